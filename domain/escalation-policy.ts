// An escalation policy: who is told or paged when a clock warns or breaches, and who next while
// no one acknowledges ("at the warning notify the assignee; at the breach page the team's
// on-call; if not acknowledged within 15 minutes page the secondary; then the support manager").
// Each step is due at an instant of its own; an acknowledgement, or the ticket resolved, makes
// every later step do nothing. Platform.sh's "#escalate" and a P1 on a 24/7 level page at once.

import type { Instant } from './calendar';
import { wholeNumber } from './numbers';
import * as z from './zod';

export const MAX_STEPS = 10;
export const MAX_STEP_DELAY_MINUTES = 24 * 60;

export const RECIPIENTS = ['assignee', 'on-call', 'secondary', 'support-manager', 'director'] as const;
export type Recipient = (typeof RECIPIENTS)[number];

export const EscalationStep = z.object({
  /** What starts the step's countdown. */
  on: z.enum(['warning', 'breach']),
  /** Minutes after it, if no one has acknowledged by then. */
  afterMinutes: wholeNumber(0, MAX_STEP_DELAY_MINUTES),
  to: z.enum(RECIPIENTS),
  /** A notification (console, mail) or a page (the paging service: phone, SMS). */
  by: z.enum(['notify', 'page']),
});
export type EscalationStep = z.infer<typeof EscalationStep>;

export const EscalationPolicy = z.object({
  steps: z.array(EscalationStep).check(z.minLength(1), z.maxLength(MAX_STEPS)),
});
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;

/** The policy the example describes: what a plan level has unless it names its own. */
export const DEFAULT_POLICY: EscalationPolicy = {
  steps: [
    { on: 'warning', afterMinutes: 0, to: 'assignee', by: 'notify' },
    { on: 'breach', afterMinutes: 0, to: 'on-call', by: 'page' },
    { on: 'breach', afterMinutes: 15, to: 'secondary', by: 'page' },
    { on: 'breach', afterMinutes: 30, to: 'support-manager', by: 'page' },
  ],
};

/**
 * What starts a chain of steps: a warning or a breach as recorded (`response#1#breach`), or an
 * escalation that pages at once (the key-word, a P1 on a 24/7 level), which runs the breach's
 * steps from its own moment. `seq` is the timeline entry that started it: an event names it, so
 * an event of a chain that is not on the ticket does nothing (stale by construction).
 */
export interface Chain {
  key: string;
  on: 'warning' | 'breach';
  startedAt: Instant;
  seq: number;
}

export interface DueStep {
  chain: Chain;
  index: number;
  step: EscalationStep;
  at: Instant;
}

/** `response#1#breach/2`: a step handled once, by recording it on the ticket. */
export const stepKey = (chain: string, index: number) => `${chain}/${index}`;

/** A chain's steps at their instants, in time order (steps of the same instant in policy order). */
export function stepsDue(policy: EscalationPolicy, chain: Chain): DueStep[] {
  return policy.steps
    .flatMap((step, index) =>
      step.on === chain.on ? [{ chain, index, step, at: chain.startedAt + step.afterMinutes * 60_000 }] : [],
    )
    .sort((a, b) => a.at - b.at || a.index - b.index);
}

/** What stops a chain: acknowledgements and resolutions of the ticket, as instants. */
export interface Stops {
  acknowledgements: readonly Instant[];
  resolutions: readonly Instant[];
}

/** The first of `instants` at or after `since`, or null. */
const firstSince = (instants: readonly Instant[], since: Instant): Instant | null =>
  instants.reduce<Instant | null>(
    (first, t) => (t >= since && (first === null || t < first) ? t : first),
    null,
  );

/**
 * Whether a step due at `at` still acts when its event arrives: not once the ticket was
 * acknowledged or resolved since its chain began, at or before the step (a page the responder
 * already took is noise). An acknowledgement of an earlier chain does not silence a later one.
 * A notification acts even after an acknowledgement: it is not a page.
 */
export function stepActs(due: DueStep, stops: Stops): boolean {
  const resolvedAt = firstSince(stops.resolutions, due.chain.startedAt);
  if (resolvedAt !== null && resolvedAt <= due.at) return false;
  const acknowledgedAt = firstSince(stops.acknowledgements, due.chain.startedAt);
  if (due.step.by === 'page' && acknowledgedAt !== null && acknowledgedAt <= due.at) return false;
  return true;
}

/**
 * The steps of every chain still to act, soonest first: not handled yet, and not stopped by an
 * acknowledgement or a resolution before they are due. A step due later that a future
 * acknowledgement may still stop is listed: whether it acts is decided again when it is due.
 */
export function pendingSteps(
  policy: EscalationPolicy,
  chains: readonly Chain[],
  handled: ReadonlySet<string>,
  stops: Stops,
): DueStep[] {
  return chains
    .flatMap((chain) => stepsDue(policy, chain))
    .filter((d) => !handled.has(stepKey(d.chain.key, d.index)) && stepActs(d, stops))
    .sort((a, b) => a.at - b.at || a.index - b.index);
}

/** Why a ticket pages the on-call at once, at its creation or the customer's message, or null. */
export function pagesAtOnce(ticket: {
  priority: string;
  /** Whether the level's calendar is open around the clock (24/7). */
  aroundTheClock: boolean;
  /** The plan's escalation key-word was in the customer's words. */
  keyword: boolean;
}): 'keyword' | 'p1-around-the-clock' | null {
  if (ticket.keyword) return 'keyword';
  if (ticket.priority === 'P1' && ticket.aroundTheClock) return 'p1-around-the-clock';
  return null;
}

/** Whether a calendar is open every minute of the week and has no holidays: 24/7. */
export function aroundTheClock(calendar: {
  weekly: Record<string, readonly { from: string; to: string }[]>;
  holidays: readonly unknown[];
}): boolean {
  return (
    calendar.holidays.length === 0 &&
    Object.values(calendar.weekly).length === 7 &&
    Object.values(calendar.weekly).every((hours) => hours.some((h) => h.from === '00:00' && h.to === '24:00'))
  );
}

/**
 * `TKT-….response.1.breach.s2`: the one-shot event of a step, at most 64 characters of
 * [0-9a-zA-Z-_.] (EventBridge Scheduler's names); the same step, the same name.
 */
export function stepScheduleName(ticketId: string, chain: string, step: number): string {
  return `${ticketId}.${chain.replace(/[^0-9a-zA-Z_-]+/g, '.')}.s${step}`.slice(0, 64);
}

/**
 * How a customer escalates, in words (the portal and a P1's acknowledgement): the plan's
 * escalation phone and key-word; null where the plan has neither.
 */
export function escalationInWords(escalation: {
  phone?: string | null;
  keyword: string | null;
}): string | null {
  const { phone, keyword } = escalation;
  const ways = [
    phone ? `call ${phone}` : null,
    keyword ? `write ${keyword} in a message on the ticket` : null,
  ].filter(Boolean);
  return ways.length ? `To escalate, ${ways.join(' or ')}: the engineer on call is paged at once.` : null;
}
