// Slack support: a channel linked to a customer is a way in. A top-level message from a contact
// with a seat opens a ticket (channel `chat`, priority from a P1..P4 word or the plan's
// default); replies in its thread are the customer's messages; agents' public replies go back
// into the thread (outbound.ts). Requests are verified by Slack's v0 signature and answered at
// once; the work is a job run after the answer. A retried event is the same message (the same
// channel and ts): the ticket is opened under an idempotency key and the message under a source
// id made of them, so a retry opens and adds nothing.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '../../domain/attachments';
import { Duplicate, Forbidden, NotFound, RuleViolation } from '../../domain/errors';
import { chatPriority } from '../../domain/integrations';
import type { Attachment, ChannelLink, ChatThread, Deps, Job, SlackFile, SlackMessage } from '../ports';
import { receivedFileKey, receivedFolder } from './attachments';
import { contactOf, cut, iso, type Principal } from './common';
import { getCustomer } from './directory';
import { openTicket, postMessage } from './tickets';

/** Slack's window for a request's timestamp. */
export const SLACK_MAX_AGE_SECONDS = 5 * 60;

export class SlackRefused extends Error {}

/** Throws SlackRefused unless `v0=HMAC-SHA256(secret, "v0:<timestamp>:<body>")` matches, signed within 5 minutes. */
export function verifySlack(
  rawBody: string,
  timestamp: string | undefined,
  signatureHeader: string | undefined,
  secret: string,
  now: number,
): void {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signatureHeader) {
    throw new SlackRefused('send X-Slack-Request-Timestamp and X-Slack-Signature');
  }
  if (Math.abs(now / 1000 - Number(timestamp)) > SLACK_MAX_AGE_SECONDS) {
    throw new SlackRefused('the request timestamp is more than 5 minutes from now');
  }
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`,
  );
  const given = Buffer.from(signatureHeader);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SlackRefused('the signature does not match');
  }
}

interface SlackEventFile {
  id: string;
  name?: string | undefined;
  title?: string | undefined;
  mimetype?: string | undefined;
  size?: number | undefined;
  mode?: string | undefined;
  url_private?: string | undefined;
  url_private_download?: string | undefined;
}

/**
 * The Slack message events the desk files: people's messages, not bots', edits or joins; with
 * their text, their files (hosted in Slack, not links to elsewhere or deleted), or both.
 */
export function fileable(event: {
  type: string;
  subtype?: string | undefined;
  bot_id?: string | undefined;
  user?: string | undefined;
  channel?: string | undefined;
  text?: string | undefined;
  ts?: string | undefined;
  thread_ts?: string | undefined;
  files?: SlackEventFile[] | undefined;
}): SlackMessage | null {
  const { type, subtype, user, channel, ts } = event;
  const text = event.text ?? '';
  const files = (event.files ?? []).flatMap((f): SlackFile[] => {
    const url = f.url_private_download ?? f.url_private;
    if (!url || f.mode === 'external' || f.mode === 'tombstone') return [];
    const name = (f.name || f.title || `file-${f.id}`).slice(0, 200);
    return [{ id: f.id, name, mimetype: f.mimetype || 'application/octet-stream', size: f.size ?? 0, url }];
  });
  if (type !== 'message' || event.bot_id || !user || !channel || !ts) return null;
  if (!text.trim() && !files.length) return null;
  if (subtype && subtype !== 'thread_broadcast' && subtype !== 'file_share') return null;
  return { channel, user, text, ts, threadTs: event.thread_ts ?? null, ...(files.length ? { files } : {}) };
}

/** Slack's markup as plain text: `<https://x|label>` → label, `<@U1>` → @U1, entities decoded. */
export function plainText(text: string): string {
  return text
    .replace(/<([^<>|]*)\|([^<>]*)>/g, '$2')
    .replace(/<([@#!]?)([^<>]*)>/g, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export async function linkChannel(
  deps: Deps,
  principal: Principal,
  customerId: string,
  teamId: string,
  channelId: string,
): Promise<ChannelLink> {
  await getCustomer(deps, principal, customerId);
  const link: ChannelLink = { teamId, channelId, customerId, createdAt: iso(deps.clock.now()) };
  await deps.integrations.linkChannel(link);
  return link;
}

export async function unlinkChannel(deps: Deps, customerId: string, teamId: string, channelId: string) {
  if (!(await deps.integrations.unlinkChannel(customerId, teamId, channelId)))
    throw new NotFound('channel', `${teamId}/${channelId}`);
}

/** Errors that another attempt would meet again: the event is dropped, not retried. */
export const isFinal = (error: unknown) =>
  error instanceof RuleViolation ||
  error instanceof Forbidden ||
  error instanceof NotFound ||
  error instanceof Duplicate;

/** Files one message event: a ticket, a message on one, or nothing (an unlinked channel, a thread no ticket started). */
export async function fileSlackMessage(
  deps: Deps,
  job: Extract<Job, { kind: 'slack-event' }>,
): Promise<'ticket' | 'message' | 'ignored'> {
  const { teamId, event } = job;
  const link = await deps.integrations.getChannel(teamId, event.channel);
  if (!link) return 'ignored';
  const email = await deps.chat.userEmail(teamId, event.user);
  const anonymous: Principal = {
    keyId: `slack:${teamId}:${event.user}`,
    name: email ?? `Slack member ${event.user}`,
    role: 'customer',
    customerId: link.customerId,
  };
  const customer = await getCustomer(deps, anonymous, link.customerId);
  const contact = email ? contactOf(customer, email) : undefined;
  // One name for the member everywhere: the contact's, as on a ticket they open.
  const member: Principal = contact
    ? { ...anonymous, name: contact.name, contactEmail: contact.email }
    : anonymous;
  const reply = event.threadTs && event.threadTs !== event.ts;
  const thread: ChatThread = {
    teamId,
    channelId: event.channel,
    threadTs: reply ? event.threadTs! : event.ts,
  };
  const ticketId = await deps.integrations.getThread(thread);
  if (reply && !ticketId) return 'ignored';
  if (!reply && ticketId) return 'ignored'; // filed by an earlier copy
  if (!reply && !contact?.mayOpenTickets) {
    await deps.chat.post(
      thread,
      `No ticket was opened: only contacts of ${customer.name} with a support seat open tickets here${email ? ` (${email} is not one)` : ''}.`,
    );
    return 'ignored';
  }
  const { left, ...files } = await slackFiles(deps, link.customerId, teamId, event);
  // Said once the message is filed: a retried job says it again only if it failed before.
  const sayLeft = () =>
    left.length ? deps.chat.post(thread, `Not attached: ${left.join('; ')}.`) : undefined;
  const text = plainText(event.text).trim() || filesInWords(event.files ?? []);
  const sourceId = `slack:${teamId}:${event.channel}:${event.ts}`;
  if (reply) {
    await postMessage(deps, member, ticketId!, {
      body: cut(text, 40_000),
      sourceMessageId: sourceId,
      ...files,
    });
    await sayLeft();
    return 'message';
  }
  const plan = await deps.directory.getPlan(customer.planId);
  const firstLine = text.split('\n').find((l) => l.trim()) ?? text;
  let opened: string;
  try {
    const { view } = await openTicket(
      deps,
      member,
      {
        subject: cut(firstLine.trim(), 200),
        description: cut(text, 40_000),
        priority: chatPriority(text, plan?.defaultPriority ?? 'P3'),
        channel: 'chat',
        chat: thread,
        ...files,
      },
      sourceId,
    );
    opened = view.ticket.id;
  } catch (error) {
    // The plan takes no chat tickets, and the like: say so where it was asked.
    if (error instanceof RuleViolation)
      await deps.chat.post(thread, `No ticket was opened: ${error.message}.`);
    throw error;
  }
  await deps.integrations.putThread(thread, opened);
  await sayLeft();
  return 'ticket';
}

/** "Shared a file: screenshot.png" for a message of files alone. */
function filesInWords(files: SlackFile[]): string {
  const names = files.map((f) => f.name);
  return `Shared ${names.length === 1 ? 'a file' : `${names.length} files`}: ${names.join(', ')}`;
}

/**
 * The message's files in the blob store, within the portal's limits (MAX_ATTACHMENTS files of
 * MAX_ATTACHMENT_BYTES each), and what was left out, to be said in the thread (never silently).
 */
async function slackFiles(
  deps: Deps,
  customerId: string,
  teamId: string,
  event: SlackMessage,
): Promise<{ attachments?: Attachment[]; left: string[] }> {
  const shared = event.files ?? [];
  if (!shared.length) return { left: [] };
  const folder = receivedFolder(customerId, `slack-${teamId}-${event.channel}-${event.ts}`);
  const attachments: Attachment[] = [];
  const left: string[] = [];
  for (const [i, file] of shared.entries()) {
    if (i >= MAX_ATTACHMENTS) {
      left.push(`${file.name} (a message takes at most ${MAX_ATTACHMENTS} files)`);
      continue;
    }
    const bytes =
      file.size > MAX_ATTACHMENT_BYTES ? null : await deps.chat.download(teamId, file, MAX_ATTACHMENT_BYTES);
    if (!bytes) {
      left.push(`${file.name} (over ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB, or no longer in Slack)`);
      continue;
    }
    const key = receivedFileKey(folder, i + 1, file.name);
    const type = cut(file.mimetype, 200);
    await deps.blobs.put(key, bytes, type);
    attachments.push({ name: file.name, type, size: bytes.length, key });
  }
  return attachments.length ? { attachments, left } : { left };
}
