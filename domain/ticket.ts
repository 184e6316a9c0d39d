// The ticket life cycle: statuses, who may move a ticket between them, and the history of
// events the SLA clocks are folded from (clocks.ts). Illegal moves are typed errors.
import type { Instant } from './calendar';
import type { ClockName, Priority } from './plans';
import { escapeRegExp } from './text';

export const STATUSES = ['new', 'open', 'pending-customer', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export const CATEGORIES = [
  'bug',
  'configuration-error',
  'advice',
  'configuration-request',
  'feature-request',
] as const; // Atollon's request categories (seed 003)
export type Category = (typeof CATEGORIES)[number];

export type Role = 'admin' | 'agent' | 'customer';

/** What happened to a ticket, oldest first. Times are instants; the fold needs nothing else. */
export type TicketEvent =
  | { type: 'created'; at: Instant; priority: Priority; category?: Category | null }
  /** The ticket type changed: clocks are judged by the new type's targets, as for a priority change. */
  | { type: 'category'; at: Instant; from: Category | null; to: Category | null }
  | { type: 'message'; at: Instant; author: 'agent' | 'customer' | 'partner'; internal: boolean }
  | { type: 'status'; at: Instant; from: Status; to: Status }
  | { type: 'priority'; at: Instant; from: Priority; to: Priority }
  /** Written by the escalation function when a deadline event found its clock overdue. */
  | { type: 'breach'; at: Instant; clock: ClockName; cycle: number; dueAt: Instant }
  /** An escalation not caused by a breach: the plan's key-word, or an agent's decision. */
  | { type: 'escalated'; at: Instant; reason: 'keyword' | 'manual' };

export type StatusChange = Extract<TicketEvent, { type: 'status' }>;

export class IllegalTransition extends Error {
  readonly from: Status;
  readonly to: Status;
  readonly allowed: readonly Status[];
  constructor(from: Status, to: Status, allowed: readonly Status[]) {
    const options = allowed.length > 0 ? `allowed from ${from}: ${allowed.join(', ')}` : `${from} is final`;
    super(`a ticket cannot go from ${from} to ${to} (${options})`);
    this.name = 'IllegalTransition';
    this.from = from;
    this.to = to;
    this.allowed = allowed;
  }
}

export class TransitionNotPermitted extends Error {
  readonly role: Role;
  constructor(role: Role, from: Status, to: Status) {
    super(
      `a ${role} cannot move a ticket from ${from} to ${to}: customers may resolve and reopen their tickets`,
    );
    this.name = 'TransitionNotPermitted';
    this.role = role;
  }
}

// new → open (an agent responded) → pending-customer (clocks paused) → open → resolved →
// closed; a resolved ticket may be reopened, a closed one is final (PRODUCT.md, Status).
const NEXT: Record<Status, readonly Status[]> = {
  new: ['open', 'pending-customer', 'resolved', 'closed'],
  open: ['pending-customer', 'resolved', 'closed'],
  'pending-customer': ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};

/** Customers may resolve their own ticket and reopen a resolved one; the rest is agents' work. */
function customerMay(from: Status, to: Status): boolean {
  return to === 'resolved' || (from === 'resolved' && to === 'open');
}

/** Checks a requested status change and returns the event to append; throws when it is not allowed. */
export function changeStatus(from: Status, to: Status, role: Role, at: Instant): StatusChange {
  const allowed = NEXT[from];
  if (!allowed.includes(to)) throw new IllegalTransition(from, to, allowed);
  if (role === 'customer' && !customerMay(from, to)) throw new TransitionNotPermitted(role, from, to);
  return { type: 'status', at, from, to };
}

export function canTransition(from: Status, to: Status): boolean {
  return NEXT[from].includes(to);
}

/**
 * The events a new message brings: the message itself and the status change it implies.
 * An agent's public reply opens a new ticket; a customer's reply resumes a ticket waiting on
 * them, and reopens a resolved one. Internal notes change nothing.
 */
export function postMessage(
  status: Status,
  author: 'agent' | 'customer',
  internal: boolean,
  at: Instant,
): TicketEvent[] {
  const events: TicketEvent[] = [{ type: 'message', at, author, internal }];
  if (internal) return events;
  const opens =
    author === 'agent' ? status === 'new' : status === 'pending-customer' || status === 'resolved';
  if (opens) events.push({ type: 'status', at, from: status, to: 'open' });
  return events;
}

/**
 * An onsite partner's answer (partners.ts) is for the desk: an internal message, no response
 * to the customer and no status change, so the customer's clocks keep running.
 */
export function partnerMessage(at: Instant): Extract<TicketEvent, { type: 'message' }> {
  return { type: 'message', at, author: 'partner', internal: true };
}

/** Whether a customer's text carries the plan's escalation key-word (case-insensitive, whole word). */
export function mentionsKeyword(text: string, keyword: string | null): boolean {
  if (!keyword) return false;
  return new RegExp(`(?:^|[^\\p{L}\\p{N}_#])${escapeRegExp(keyword)}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
}

/** Clocks count while the desk owes the customer something: new and open. */
export function clocksRun(status: Status): boolean {
  return status === 'new' || status === 'open';
}
