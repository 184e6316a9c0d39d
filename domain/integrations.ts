// What the desk tells other systems, and how it keeps trying: which timeline entry makes which
// webhook event, the back-off between delivery attempts (for a day), and the priority a chat
// message asks for.
import type { Priority } from './plans';

export const WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'message.created',
  'sla.warning',
  'sla.breached',
  'ticket.resolved',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The parts of a timeline entry that decide its event. */
export interface EntryFacts {
  type: string;
  internal?: boolean;
  to?: unknown;
}

/**
 * The event one timeline entry makes, or null: internal notes, mail, time entries and the
 * desk's bookkeeping make none. A status change to resolved is `ticket.resolved`; any other
 * change of status, priority, assignee or category is `ticket.updated`.
 */
export function eventOf(entry: EntryFacts): WebhookEvent | null {
  switch (entry.type) {
    case 'created':
      return 'ticket.created';
    case 'message':
      return entry.internal ? null : 'message.created';
    case 'status':
      return entry.to === 'resolved' ? 'ticket.resolved' : 'ticket.updated';
    case 'priority':
    case 'assignee':
    case 'category':
    case 'field':
    case 'routed':
      return 'ticket.updated';
    case 'warning':
      return 'sla.warning';
    case 'breach':
      return 'sla.breached';
    default:
      return null;
  }
}

/** A delivery is tried for this long after its first attempt, then listed as failed. */
export const DELIVERY_WINDOW_MS = 24 * 3600_000;
/** The first retry waits this long; each next one twice as long, up to RETRY_MAX_MS. */
export const RETRY_FIRST_MS = 30_000;
export const RETRY_MAX_MS = 4 * 3600_000;

/**
 * How long to wait after the `failures`-th failed attempt (1 = the first), or null when the
 * next attempt would fall outside the day since the first: 30 s, 1 min, 2 min … 4 h, 14
 * attempts in all, the last 20.3 h after the first (the test counts them).
 */
export function retryDelay(failures: number, firstAttemptAt: number, now: number): number | null {
  if (!Number.isInteger(failures) || failures < 1) throw new RangeError('failures counts from 1');
  const delay = Math.min(RETRY_FIRST_MS * 2 ** Math.min(failures - 1, 30), RETRY_MAX_MS);
  return now + delay - firstAttemptAt <= DELIVERY_WINDOW_MS ? delay : null;
}

/**
 * The priority a chat message asks for: a `P1`..`P4` word (any case, as a word of its own),
 * the first one written; else the fallback.
 */
export function chatPriority(text: string, fallback: Priority): Priority {
  const match = /(?<![\p{L}\p{N}_])P([1-4])(?![\p{L}\p{N}_])/iu.exec(text);
  return match ? (`P${match[1]}` as Priority) : fallback;
}
