// Mail in: every received message ends as a ticket, a message on a ticket, a duplicate (a
// re-sent copy) or a quarantine record with its reason; nothing is dropped. Exactly once per SES
// message id: a ticket is opened under an idempotency claim on the id, a message carries it, the
// outcome is recorded. Reading the mail is mail-reading.ts; its rules (loops, replies) domain/mail.ts.

import { createHash } from 'node:crypto';
import EmailReplyParser from 'email-reply-parser';
import { RuleViolation } from '../../domain/errors';
import { machineMail, newTextOfReply, subjectThread } from '../../domain/mail';
import type { Priority } from '../../domain/plans';
import { parseSender } from '../../domain/sender';
import { escapeRegExp } from '../../domain/text';
import { ItemTooLarge } from '../adapters/aws/item-size';
import { config, supportFormUrl } from '../config';
import { count, NO_PLAN } from '../metrics';
import type { Attachment, Deps, InboundRecord, TimelineEntry } from '../ports';
import { receivedFileKey, receivedFolder } from './attachments';
import { contactOf, cut, type Principal } from './common';
import { escapeHtml, firstInWindow, SUBJECT_MAX } from './mail';
import { headerEnd, type MailHeaders, type ReadMail, readMail, Unreadable } from './mail-reading';
import { postPartnerMessage, routedPartner } from './partners';
import { openTicket, postMessage } from './tickets';

export type Verdict = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

export interface ReceivedMail {
  messageId: string;
  receivedAt: string;
  rawKey: string;
  /** SMTP's MAIL FROM as SES saw it: empty for a bounce (`<>`); null when not known. */
  envelopeSender: string | null;
  verdicts: { spam: Verdict; virus: Verdict; spf: Verdict; dkim: Verdict; dmarc: Verdict };
}

const TICKET_ID = /TKT-[0-9A-HJKMNP-TV-Z]{10}/;
const SUBJECT_LIMIT = 200;
const RECORD_SUBJECT_LIMIT = 1000;
const TEXT_LIMIT = 64_000;
/** Attachments one mail may file on a ticket; a mail with more is quarantined, whole. */
export const MAX_ATTACHMENTS = 50;
/** How long a sender's Message-ID is remembered: longer than any server retries a delivery (5 days). */
export const RESENT_WITHIN_MS = 30 * 86_400_000;
/**
 * A first delivery that recorded no outcome this long after it began has failed (the inbound
 * function runs at most 2 minutes): a copy sent again is filed in its place, not lost.
 */
export const DELIVERY_STALE_MS = 5 * 60_000;

class Quarantine extends Error {
  constructor(
    readonly reason: string,
    readonly autoReply: string | null = null,
    /** What could be read of a mail that could not be read whole. */
    readonly heard: MailHeaders | null = null,
  ) {
    super(reason);
  }
}

const UNREADABLE =
  'we could not read your mail: it arrived damaged or in a form we cannot read. Please send it again, or open your request through ';

/** What became of the mail (the recorded outcome on a repeat delivery). */
export async function receiveMail(deps: Deps, mail: ReceivedMail): Promise<InboundRecord> {
  const known = await deps.inbound.get(mail.messageId);
  if (known) return known;
  const raw = await deps.blobs.get(mail.rawKey);
  const base = {
    messageId: mail.messageId,
    receivedAt: mail.receivedAt,
    from: null,
    subject: null,
    ticketId: null,
  };
  if (!raw)
    return record(deps, {
      ...base,
      outcome: 'quarantine',
      reason: `no raw message at ${mail.rawKey}`,
      rawKey: mail.rawKey,
    });

  let read: ReadMail | null = null;
  try {
    if (raw.length > config().MAX_INBOUND_BYTES) {
      throw new Quarantine(`too large: ${raw.length} bytes, the limit is ${config().MAX_INBOUND_BYTES}`);
    }
    if (mail.verdicts.virus === 'FAIL') throw new Quarantine('virus verdict FAIL');
    if (mail.verdicts.spam === 'FAIL') throw new Quarantine('spam verdict FAIL');
    read = await readMail(raw).catch(async (error) => {
      if (!(error instanceof Unreadable)) throw error;
      throw new Quarantine(error.message, await unreadableReply(deps, mail, error), error.headers);
    });
    const repeat = await earlierDelivery(deps, mail, read, raw);
    if (repeat) return repeat;
    return await route(deps, mail, read, raw).catch((error) => {
      // A mail the desk cannot file (the ticket is full, an item would be over its budget) is
      // kept with its reason; throwing would have SES (or SMTP) deliver it again and again.
      if (error instanceof RuleViolation || error instanceof ItemTooLarge)
        throw new Quarantine(`could not be filed: ${error.message}`);
      throw error;
    });
  } catch (error) {
    if (!(error instanceof Quarantine)) throw error;
    const heard = read ?? error.heard;
    const from = heard?.from ?? null;
    const key = `quarantine/${mail.messageId}`;
    await deps.blobs.put(key, raw, 'message/rfc822');
    const outcome: InboundRecord = {
      ...base,
      from,
      subject: heard?.subject ?? null,
      outcome: 'quarantine',
      reason: error.reason,
      rawKey: key,
    };
    const { stored, first } = await recordFirst(deps, outcome);
    if (first && error.autoReply && from) await answerRefused(deps, from, heard, error.autoReply);
    return stored;
  }
}

/**
 * The polite answer to a known contact whose mail could not be read (a person's mail: never to a
 * machine's), else null: nobody else learns that we exist.
 */
async function unreadableReply(deps: Deps, mail: ReceivedMail, error: Unreadable): Promise<string | null> {
  const read = error.headers;
  if (!read || machineWrote(mail, read) || !(await deps.directory.customerByEmail(read.from))) return null;
  return `${UNREADABLE}${supportFormUrl(config())}.`;
}

/** Why the mail was written by a machine (domain/mail.ts's loop rules), or null. */
function machineWrote(mail: ReceivedMail, read: MailHeaders): string | null {
  return machineMail(read.header, {
    from: read.from,
    envelopeSender: mail.envelopeSender,
    subject: read.subject,
    ownAddress: parseSender(config().SENDER_EMAIL).address,
  });
}

/**
 * The sender's re-sent copy of a message (a new SES id, the same Message-ID and content: a server
 * that lost our 250 and tried again) is recorded as a duplicate of the first delivery and filed
 * nowhere. The content counts too: a sender that reuses a Message-ID for another mail loses nothing;
 * and a first delivery that failed (no outcome DELIVERY_STALE_MS after it began) gives way to the copy.
 */
async function earlierDelivery(
  deps: Deps,
  mail: ReceivedMail,
  read: ReadMail,
  raw: Uint8Array,
): Promise<InboundRecord | null> {
  const now = deps.clock.now();
  // Without a Message-ID a re-sent copy is known by its stable headers, which servers on the way
  // leave as the sender wrote them, and its content.
  const identity = read.messageId ?? `no Message-ID ${stableHeaderDigest(read)}`;
  const copy = `${identity} ${contentDigest(raw)}`;
  const first = await deps.inbound.firstDelivery(
    read.from,
    copy,
    mail.messageId,
    now,
    now + RESENT_WITHIN_MS,
  );
  if (first === mail.messageId) return null;
  const earlier = await deps.inbound.get(first);
  if (
    !earlier &&
    (await deps.inbound.takeOverDelivery(
      read.from,
      copy,
      first,
      mail.messageId,
      now,
      now - DELIVERY_STALE_MS,
    ))
  )
    return null;
  return record(deps, {
    messageId: mail.messageId,
    receivedAt: mail.receivedAt,
    from: read.from,
    subject: read.subject,
    outcome: 'duplicate',
    ticketId: earlier?.ticketId ?? null,
    reason: `a repeat of ${read.messageId ? cut(read.messageId, 300) : 'a mail without Message-ID'} from ${read.from}, first delivered as ${first}`,
    rawKey: mail.rawKey,
  });
}

/** From, To, Date and Subject as the sender wrote them: what a copy without a Message-ID shares. */
function stableHeaderDigest(read: ReadMail): string {
  const fields = [read.from, read.header('to'), read.header('date'), read.subject];
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
}

/**
 * RFC 3834's loop breaker: one automatic answer of a kind (the acknowledgement, or a refusal
 * with its reason) to one address a day per mail thread (its subject without Re:/Fwd: and tags),
 * which stops any loop the loop rules missed.
 */
const mayAnswerAutomatically = (deps: Deps, to: string, subject: string, answer: string) =>
  firstInWindow(deps, cut(to, 320), [subjectThread(subject), answer], 86_400_000);

/** The message after its header block, which servers on the way (and SES) leave as it was sent. */
function contentDigest(raw: Uint8Array): string {
  const bytes = Buffer.from(raw);
  return createHash('sha256')
    .update(bytes.subarray(headerEnd(bytes)))
    .digest('base64url');
}

async function route(
  deps: Deps,
  mail: ReceivedMail,
  read: ReadMail,
  raw: Uint8Array,
): Promise<InboundRecord> {
  const { from } = read;
  const mailProblem = read.damage ? `read despite damage: ${read.damage}` : undefined;
  const machine = machineWrote(mail, read);
  if (machine) throw new Quarantine(machine);
  const failed = (['spf', 'dkim', 'dmarc'] as const).filter((v) => mail.verdicts[v] === 'FAIL');
  const checks = failed.map((f) => f.toUpperCase()).join(', ');
  const base = {
    messageId: mail.messageId,
    receivedAt: mail.receivedAt,
    from,
    subject: read.subject || null,
    rawKey: mail.rawKey,
    reason: mailProblem ?? null,
  };
  const reference = threadReference(read);
  const existing = reference ? await deps.tickets.get(reference) : null;
  const filed = (customerId: string) => storeMail(deps, customerId, mail.messageId, read, raw);
  const text = (ours: string | null) => body(read, ours);
  // An onsite partner answering a ticket routed to them: a partner message, for the desk.
  const partner = existing && routedPartner(existing.timeline, from);
  if (partner) {
    if (failed.length) throw new Quarantine(`spoofing: ${checks} FAIL for partner ${from}`);
    const { id, customerId } = existing.ticket;
    await postPartnerMessage(deps, id, partner, {
      body: text(quotedMailOf(existing.timeline, read)),
      sourceMessageId: mail.messageId,
      ...(await filed(customerId)),
    });
    return record(deps, { ...base, outcome: 'message', ticketId: id });
  }
  const customerId = await deps.directory.customerByEmail(from);
  if (failed.length) {
    throw new Quarantine(
      customerId ? `spoofing: ${checks} FAIL for contact ${from}` : `unauthenticated sender: ${checks} FAIL`,
    );
  }
  const formUrl = supportFormUrl(config());
  const customer = customerId ? await deps.directory.getCustomer(customerId) : null;
  const contact = contactOf(customer, from);
  if (!customer || !contact) {
    throw new Quarantine(
      `unknown sender ${from}`,
      `we could not find ${from} among the contacts of our customers. Please open your request through ${formUrl}, or ask your company's support administrator to add you as a contact.`,
    );
  }
  const plan = await deps.directory.getPlan(customer.planId);
  if (!plan?.channels.includes('email')) {
    throw new Quarantine(
      `plan ${customer.planId} does not include e-mail`,
      `your support plan does not include requests by e-mail. Please open your request through ${formUrl}.`,
    );
  }
  if (!contact.mayOpenTickets) {
    throw new Quarantine(
      `${from} holds no seat of plan ${plan.id}`,
      `your address is not one of the contacts who may open requests for ${customer.name}. Please ask one of them, or your administrator, to add you; or use ${formUrl}.`,
    );
  }

  const principal: Principal = {
    keyId: 'inbound-mail',
    name: contact.name,
    role: 'customer',
    customerId: customer.id,
  };
  const files = await filed(customer.id);

  if (existing && existing.ticket.customerId === customer.id && existing.ticket.status !== 'closed') {
    try {
      await postMessage(deps, principal, reference!, {
        body: text(quotedMailOf(existing.timeline, read)),
        sourceMessageId: mail.messageId,
        ...files,
        mailProblem,
      });
      return record(deps, { ...base, outcome: 'message', ticketId: reference });
    } catch (error) {
      if (!(error instanceof RuleViolation && error.code === 'ticket-closed')) throw error;
    }
  }
  const { subject, priority } = subjectAndPriority(read.subject);
  const related = existing && existing.ticket.customerId === customer.id ? reference! : undefined;
  const description = text(existing ? quotedMailOf(existing.timeline, read) : null);
  const acknowledge = await mayAnswerAutomatically(deps, from, read.subject, 'acknowledgement');
  const { view } = await openTicket(
    deps,
    principal,
    {
      acknowledge,
      subject,
      description: related ? `Follow-up to ${related}, which was closed.\n\n${description}` : description,
      priority: priority ?? plan.defaultPriority,
      channel: 'email',
      requesterEmail: from,
      sourceMessageId: mail.messageId,
      ...(read.messageId ? { inReplyTo: cut(read.messageId, 998) } : {}),
      ...files,
      mailProblem,
      ...(related ? { relatedTicketId: related } : {}),
    },
    `mail:${mail.messageId}`,
  );
  return record(deps, { ...base, outcome: 'ticket', ticketId: view.ticket.id });
}

/** The stored outcome: this one, or the one a concurrent delivery stored first. */
async function record(deps: Deps, outcome: InboundRecord): Promise<InboundRecord> {
  return (await recordFirst(deps, outcome)).stored;
}

/** Records the outcome; `first` tells whether this delivery was the one that did. */
async function recordFirst(
  deps: Deps,
  outcome: InboundRecord,
): Promise<{ stored: InboundRecord; first: boolean }> {
  // Headers are the sender's: a megabyte subject must not make the record unstorable.
  const bounded: InboundRecord = {
    ...outcome,
    from: outcome.from === null ? null : cut(outcome.from, 320),
    subject: outcome.subject === null ? null : cut(outcome.subject, RECORD_SUBJECT_LIMIT),
    reason: outcome.reason === null ? null : cut(outcome.reason, 2000),
  };
  if (await deps.inbound.put(bounded)) return { stored: bounded, first: true };
  return { stored: (await deps.inbound.get(bounded.messageId)) ?? bounded, first: false };
}

/** The ticket a reply belongs to: a [TKT-…] tag in the subject, else our Message-ID in its headers. */
function threadReference(read: ReadMail): string | null {
  const tagged = new RegExp(`\\[(${TICKET_ID.source})\\]`, 'i').exec(read.subject);
  if (tagged) return tagged[1]!.toUpperCase();
  const domain = escapeRegExp(config().MAIL_DOMAIN);
  const ours = new RegExp(`<(${TICKET_ID.source})(?:\\.\\d+)?@${domain}>`, 'i');
  const headers = [read.inReplyTo ?? '', ...read.references].join(' ');
  return ours.exec(headers)?.[1]?.toUpperCase() ?? null;
}

/** The first line of our mail the reply answers (In-Reply-To, else References), where its quote begins. */
function quotedMailOf(timeline: TimelineEntry[], read: ReadMail): string | null {
  const answered = [read.inReplyTo, ...read.references.toReversed()];
  for (const id of answered) {
    const mail = timeline.find((e) => e.type === 'mail' && e.messageId === id);
    if (mail?.type === 'mail') return mail.paragraphs[0]?.split('\n')[0] ?? null;
  }
  return null;
}

/** `[P1] Site down` → P1 and "Site down"; no tag → the plan's default priority. */
export function subjectAndPriority(raw: string): { subject: string; priority: Priority | null } {
  const tag = /\[\s*(P[1-4])\s*\]/i.exec(raw);
  const subject =
    raw
      .replace(/\[\s*P[1-4]\s*\]/gi, '')
      .replace(/\s+/g, ' ')
      .trim() || '(no subject)';
  return {
    subject: cut(subject, SUBJECT_LIMIT),
    priority: tag ? (tag[1]!.toUpperCase() as Priority) : null,
  };
}

/**
 * The new text of the mail: the quoted history cut off (domain/mail.ts: our marker, our own
 * mail's first line, quote headers and blocks), then the signature (email-reply-parser).
 */
function body(read: ReadMail, ourFirstLine: string | null): string {
  const full = read.text.replace(/\r\n/g, '\n').trim();
  const forwarded = /^\s*(fwd?|fw|wg|tr|vs|rv|doorst)\s*:/i.test(read.subject);
  const reply = newTextOfReply(full, { ourFirstLine, forwarded });
  const visible = reply ? new EmailReplyParser().read(reply).getVisibleText().trim() : '';
  const text = visible || reply || full || '(no text)';
  return text.length > TEXT_LIMIT
    ? `${cut(text, TEXT_LIMIT - 40)}\n\n[truncated: the full mail is stored]`
    : text;
}

/**
 * The mail's files and the mail itself, stored under the customer's prefix (kept as long as the
 * ticket, unlike inbound/); a mail with too many files is quarantined whole.
 */
async function storeMail(
  deps: Deps,
  customerId: string,
  messageId: string,
  read: ReadMail,
  raw: Uint8Array,
): Promise<{ attachments: Attachment[]; original: Attachment }> {
  if (read.files.length > MAX_ATTACHMENTS) {
    throw new Quarantine(
      `too many attachments to file: ${read.files.length}, the limit is ${MAX_ATTACHMENTS} a mail`,
    );
  }
  const folder = receivedFolder(customerId, messageId);
  const attachments: Attachment[] = [];
  for (const [i, a] of read.files.entries()) {
    const name = cut(a.filename ?? `attachment-${i + 1}`, 200);
    const key = receivedFileKey(folder, i + 1, name);
    await deps.blobs.put(key, a.content, a.contentType);
    attachments.push({ name, type: cut(a.contentType, 200), size: a.content.length, key });
  }
  const key = `${folder}/original.eml`;
  await deps.blobs.put(key, raw, 'message/rfc822');
  return { attachments, original: { name: 'original.eml', type: 'message/rfc822', size: raw.length, key } };
}

/** One polite answer to a refused sender, at most AUTO_REPLIES_PER_DAY a day. */
async function answerRefused(deps: Deps, to: string, read: MailHeaders | null, why: string): Promise<void> {
  const day = new Date(deps.clock.now()).toISOString().slice(0, 10);
  if (!(await mayAnswerAutomatically(deps, to, read?.subject ?? '', why))) return;
  if (!(await deps.inbound.allowAutoReply(to, day, config().AUTO_REPLIES_PER_DAY))) return;
  const text = `Hello,\n\nthank you for your message. We did not open a support request from it: ${why}\n\nThis is an automatic reply.`;
  const subject = cut(`Re: ${(read?.subject ?? '').replace(/[\r\n]+/g, ' ')}`, SUBJECT_MAX);
  const answered = read?.messageId ? cut(read.messageId, 998) : null;
  await deps.mailer.send({
    to: [to],
    subject,
    text,
    html: `<p>${escapeHtml(text).replace(/\n\n/g, '</p><p>')}</p>`,
    messageId: `<auto.${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}@${config().MAIL_DOMAIN}>`,
    ...(answered ? { references: [answered] } : {}),
    headers: { 'Auto-Submitted': 'auto-replied', ...(answered ? { 'In-Reply-To': answered } : {}) },
  });
  count('MailSent', NO_PLAN);
}
