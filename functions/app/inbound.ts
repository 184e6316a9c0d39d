// Mail in: every received message ends as a ticket, a message on a ticket, or a quarantine
// record with its reason; nothing is dropped. Exactly once per SES message id: a ticket is
// opened under an idempotency claim on the id, a message carries it, the outcome is recorded.

import EmailReplyParser from 'email-reply-parser';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { RuleViolation } from '../../domain/errors';
import type { Priority } from '../../domain/plans';
import { ItemTooLarge } from '../adapters/aws/item-size';
import { config } from '../config';
import { count, NO_PLAN } from '../metrics';
import type { Attachment, Deps, InboundRecord } from '../ports';
import { cut, type Principal } from './common';
import { escapeHtml, SUBJECT_MAX } from './mail';
import { postPartnerMessage, routedPartner } from './partners';
import { openTicket, postMessage } from './tickets';

export type Verdict = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

export interface ReceivedMail {
  messageId: string;
  receivedAt: string;
  rawKey: string;
  verdicts: { spam: Verdict; virus: Verdict; spf: Verdict; dkim: Verdict; dmarc: Verdict };
}

const TICKET_ID = /TKT-[0-9A-HJKMNP-TV-Z]{10}/;
const AUTOMATIC_SENDERS = /^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?)([+.-].*)?@/i;
const SUBJECT_LIMIT = 200;
const RECORD_SUBJECT_LIMIT = 1000;
const TEXT_LIMIT = 64_000;
/** Attachments one mail may file on a ticket; a mail with more is quarantined, whole. */
export const MAX_ATTACHMENTS = 50;

class Quarantine extends Error {
  constructor(
    readonly reason: string,
    readonly autoReply: string | null = null,
  ) {
    super(reason);
  }
}

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

  let parsed: ParsedMail | null = null;
  try {
    if (raw.length > config().MAX_INBOUND_BYTES) {
      throw new Quarantine(`too large: ${raw.length} bytes, the limit is ${config().MAX_INBOUND_BYTES}`);
    }
    if (mail.verdicts.virus === 'FAIL') throw new Quarantine('virus verdict FAIL');
    if (mail.verdicts.spam === 'FAIL') throw new Quarantine('spam verdict FAIL');
    parsed = await parse(raw);
    return await route(deps, mail, parsed).catch((error) => {
      // A mail the desk cannot file (the ticket is full, an item would be over its budget) is
      // kept with its reason; throwing would have SES (or SMTP) deliver it again and again.
      if (error instanceof RuleViolation || error instanceof ItemTooLarge)
        throw new Quarantine(`could not be filed: ${error.message}`);
      throw error;
    });
  } catch (error) {
    if (!(error instanceof Quarantine)) throw error;
    const from = parsed ? sender(parsed) : null;
    const subject = parsed?.subject ?? null;
    const key = `quarantine/${mail.messageId}`;
    await deps.blobs.put(key, raw, 'message/rfc822');
    const outcome: InboundRecord = {
      ...base,
      from,
      subject,
      outcome: 'quarantine',
      reason: error.reason,
      rawKey: key,
    };
    const { stored, first } = await recordFirst(deps, outcome);
    if (first && error.autoReply && from && parsed) await autoReply(deps, from, parsed, error.autoReply);
    return stored;
  }
}

async function parse(raw: Uint8Array): Promise<ParsedMail> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(Buffer.from(raw));
  } catch (error) {
    throw new Quarantine(`malformed MIME: ${(error as Error).message}`);
  }
  if (!sender(parsed)) throw new Quarantine('malformed: no From address');
  const type = parsed.headers.get('content-type') as
    | { value?: string; params?: { boundary?: string } }
    | undefined;
  const boundary = type?.value?.startsWith('multipart/') ? type.params?.boundary : undefined;
  if (boundary && !Buffer.from(raw).includes(`--${boundary}--`))
    throw new Quarantine('malformed: truncated multipart message');
  return parsed;
}

function sender(parsed: ParsedMail): string | null {
  const from = parsed.from as AddressObject | undefined;
  return from?.value[0]?.address?.toLowerCase() ?? null;
}

/** Why a mail was written by a machine (and must never be answered), or null. */
function automatic(parsed: ParsedMail, from: string): string | null {
  const header = (name: string) => {
    const value = parsed.headers.get(name);
    return typeof value === 'string'
      ? value.toLowerCase().trim()
      : value === undefined
        ? null
        : JSON.stringify(value);
  };
  const auto = header('auto-submitted');
  if (auto && !auto.startsWith('no')) return `automatic mail (Auto-Submitted: ${auto})`;
  const precedence = header('precedence');
  if (precedence && ['bulk', 'junk', 'list'].includes(precedence))
    return `automatic mail (Precedence: ${precedence})`;
  if (header('x-autoreply') || header('x-autorespond')) return 'automatic reply (X-Autoreply)';
  const type = parsed.headers.get('content-type') as
    | { value?: string; params?: { 'report-type'?: string } }
    | undefined;
  if (type?.value === 'multipart/report') return 'delivery status notification (bounce)';
  if (AUTOMATIC_SENDERS.test(from)) return `automatic sender ${from}`;
  if (from === config().SENDER_EMAIL.toLowerCase()) return 'mail from our own address';
  return null;
}

async function route(deps: Deps, mail: ReceivedMail, parsed: ParsedMail): Promise<InboundRecord> {
  const from = sender(parsed)!;
  const loop = automatic(parsed, from);
  if (loop) throw new Quarantine(loop);
  const failed = (['spf', 'dkim', 'dmarc'] as const).filter((v) => mail.verdicts[v] === 'FAIL');
  const checks = failed.map((f) => f.toUpperCase()).join(', ');
  const base = {
    messageId: mail.messageId,
    receivedAt: mail.receivedAt,
    from,
    subject: parsed.subject ?? null,
    rawKey: mail.rawKey,
    reason: null,
  };
  const reference = threadReference(parsed);
  const existing = reference ? await deps.tickets.get(reference) : null;
  // An onsite partner answering a ticket routed to them: a partner message, for the desk.
  const partner = existing && routedPartner(existing.timeline, from);
  if (partner) {
    if (failed.length) throw new Quarantine(`spoofing: ${checks} FAIL for partner ${from}`);
    const { id, customerId } = existing.ticket;
    await postPartnerMessage(deps, id, partner, {
      body: body(parsed),
      sourceMessageId: mail.messageId,
      attachments: await storeAttachments(deps, customerId, mail.messageId, parsed),
    });
    return record(deps, { ...base, outcome: 'message', ticketId: id });
  }
  const customerId = await deps.directory.customerByEmail(from);
  if (failed.length) {
    throw new Quarantine(
      customerId ? `spoofing: ${checks} FAIL for contact ${from}` : `unauthenticated sender: ${checks} FAIL`,
    );
  }
  const formUrl = config().SUPPORT_FORM_URL;
  if (!customerId) {
    throw new Quarantine(
      `unknown sender ${from}`,
      `we could not find ${from} among the contacts of our customers. Please open your request through ${formUrl}, or ask your company's support administrator to add you as a contact.`,
    );
  }
  const customer = (await deps.directory.getCustomer(customerId))!;
  const contact = customer.contacts.find((c) => c.email.toLowerCase() === from)!;
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

  const principal: Principal = { keyId: 'inbound-mail', name: contact.name, role: 'customer', customerId };
  const attachments = await storeAttachments(deps, customerId, mail.messageId, parsed);
  const text = body(parsed);

  if (existing && existing.ticket.customerId === customerId && existing.ticket.status !== 'closed') {
    try {
      await postMessage(deps, principal, reference!, {
        body: text,
        sourceMessageId: mail.messageId,
        attachments,
      });
      return record(deps, { ...base, outcome: 'message', ticketId: reference });
    } catch (error) {
      if (!(error instanceof RuleViolation && error.code === 'ticket-closed')) throw error;
    }
  }
  const { subject, priority } = subjectAndPriority(parsed.subject ?? '');
  const related = existing && existing.ticket.customerId === customerId ? reference! : undefined;
  const { view } = await openTicket(
    deps,
    principal,
    {
      subject,
      description: related ? `Follow-up to ${related}, which was closed.\n\n${text}` : text,
      priority: priority ?? plan.defaultPriority,
      channel: 'email',
      requesterEmail: from,
      sourceMessageId: mail.messageId,
      attachments,
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
function threadReference(parsed: ParsedMail): string | null {
  const tagged = new RegExp(`\\[(${TICKET_ID.source})\\]`).exec(parsed.subject ?? '');
  if (tagged) return tagged[1]!;
  const domain = config().MAIL_DOMAIN.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ours = new RegExp(`<(${TICKET_ID.source})(?:\\.\\d+)?@${domain}>`, 'i');
  const headers = [parsed.inReplyTo ?? '', ...[parsed.references ?? []].flat()].join(' ');
  return ours.exec(headers)?.[1]?.toUpperCase() ?? null;
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

/** The text of the mail (converted from HTML where it has no text part), without quoted history and signature. */
function body(parsed: ParsedMail): string {
  const full = (parsed.text ?? '').replace(/\r\n/g, '\n').trim();
  const visible = full ? new EmailReplyParser().read(full).getVisibleText().trim() : '';
  const text = visible || full || '(no text)';
  return text.length > TEXT_LIMIT
    ? `${cut(text, TEXT_LIMIT - 40)}\n\n[truncated: the full mail is stored]`
    : text;
}

/** The mail's files, stored under the customer's prefix; a mail with too many is quarantined whole. */
async function storeAttachments(
  deps: Deps,
  customerId: string,
  messageId: string,
  parsed: ParsedMail,
): Promise<Attachment[]> {
  if (parsed.attachments.length > MAX_ATTACHMENTS) {
    throw new Quarantine(
      `too many attachments to file: ${parsed.attachments.length}, the limit is ${MAX_ATTACHMENTS} a mail`,
    );
  }
  const out: Attachment[] = [];
  for (const [i, a] of parsed.attachments.entries()) {
    const name = cut(a.filename ?? `attachment-${i + 1}`, 200);
    const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-100);
    const key = `attachments/${customerId}/${messageId.replace(/[^A-Za-z0-9._-]+/g, '_')}/${i + 1}-${safe}`;
    await deps.blobs.put(key, a.content, a.contentType);
    out.push({ name, type: cut(a.contentType, 200), size: a.size, key });
  }
  return out;
}

/** One polite answer to a refused sender, at most AUTO_REPLIES_PER_DAY a day. */
async function autoReply(deps: Deps, to: string, parsed: ParsedMail, why: string): Promise<void> {
  const day = new Date(deps.clock.now()).toISOString().slice(0, 10);
  if (!(await deps.inbound.allowAutoReply(to, day, config().AUTO_REPLIES_PER_DAY))) return;
  const text = `Hello,\n\nthank you for your message. We did not open a support request from it: ${why}\n\nThis is an automatic reply.`;
  const subject = cut(`Re: ${(parsed.subject ?? '').replace(/[\r\n]+/g, ' ')}`, SUBJECT_MAX);
  await deps.mailer.send({
    to: [to],
    subject,
    text,
    html: `<p>${escapeHtml(text).replace(/\n\n/g, '</p><p>')}</p>`,
    messageId: `<auto.${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}@${config().MAIL_DOMAIN}>`,
    ...(parsed.messageId ? { references: [parsed.messageId] } : {}),
    headers: {
      'Auto-Submitted': 'auto-replied',
      ...(parsed.messageId ? { 'In-Reply-To': parsed.messageId } : {}),
    },
  });
  count('MailSent', NO_PLAN);
}
