// Slack support: a channel linked to a customer is a way in. A top-level message from a contact
// with a seat opens a ticket (channel `chat`, priority from a P1..P4 word or the plan's
// default); replies in its thread are the customer's messages; agents' public replies go back
// into the thread (outbound.ts). Requests are verified by Slack's v0 signature and answered at
// once; the work is a job run after the answer. A retried event is the same message (the same
// channel and ts): the ticket is opened under an idempotency key and the message under a source
// id made of them, so a retry opens and adds nothing.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Duplicate, Forbidden, NotFound, RuleViolation } from '../../domain/errors';
import { chatPriority } from '../../domain/integrations';
import type { ChannelLink, ChatThread, Deps, Job, SlackMessage } from '../ports';
import { cut, iso, type Principal } from './common';
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

/** The Slack message events the desk files: people's messages, not bots', edits or joins. */
export function fileable(event: {
  type: string;
  subtype?: string | undefined;
  bot_id?: string | undefined;
  user?: string | undefined;
  channel?: string | undefined;
  text?: string | undefined;
  ts?: string | undefined;
  thread_ts?: string | undefined;
}): SlackMessage | null {
  const { type, subtype, user, channel, text, ts } = event;
  if (type !== 'message' || event.bot_id || !user || !channel || !ts || !text?.trim()) return null;
  if (subtype && subtype !== 'thread_broadcast' && subtype !== 'file_share') return null;
  return { channel, user, text, ts, threadTs: event.thread_ts ?? null };
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
  const member: Principal = {
    keyId: `slack:${teamId}:${event.user}`,
    name: email ?? `Slack member ${event.user}`,
    role: 'customer',
    customerId: link.customerId,
  };
  const text = plainText(event.text).trim();
  if (event.threadTs && event.threadTs !== event.ts) {
    const thread: ChatThread = { teamId, channelId: event.channel, threadTs: event.threadTs };
    const ticketId = await deps.integrations.getThread(thread);
    if (!ticketId) return 'ignored';
    await postMessage(deps, member, ticketId, {
      body: cut(text, 40_000),
      sourceMessageId: `slack:${teamId}:${event.channel}:${event.ts}`,
    });
    return 'message';
  }
  const thread: ChatThread = { teamId, channelId: event.channel, threadTs: event.ts };
  if (await deps.integrations.getThread(thread)) return 'ignored'; // filed by an earlier copy
  const customer = await getCustomer(deps, member, link.customerId);
  const contact = email
    ? customer.contacts.find((c) => c.email.toLowerCase() === email.toLowerCase())
    : undefined;
  if (!contact?.mayOpenTickets) {
    await deps.chat.post(
      thread,
      `No ticket was opened: only contacts of ${customer.name} with a support seat open tickets here${email ? ` (${email} is not one)` : ''}.`,
    );
    return 'ignored';
  }
  const plan = await deps.directory.getPlan(customer.planId);
  const firstLine = text.split('\n').find((l) => l.trim()) ?? text;
  let ticketId: string;
  try {
    const opened = await openTicket(
      deps,
      { ...member, name: contact.name, contactEmail: contact.email },
      {
        subject: cut(firstLine.trim(), 200),
        description: cut(text, 40_000),
        priority: chatPriority(text, plan?.defaultPriority ?? 'P3'),
        channel: 'chat',
        chat: thread,
      },
      `slack:${teamId}:${event.channel}:${event.ts}`,
    );
    ticketId = opened.view.ticket.id;
  } catch (error) {
    // The plan takes no chat tickets, and the like: say so where it was asked.
    if (error instanceof RuleViolation)
      await deps.chat.post(thread, `No ticket was opened: ${error.message}.`);
    throw error;
  }
  await deps.integrations.putThread(thread, ticketId);
  return 'ticket';
}
