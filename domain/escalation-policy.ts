// An escalation policy: who is told or paged when a clock warns or breaches, and who next while
// no one acknowledges ("at the warning notify the assignee; at the breach page the team's
// on-call; if not acknowledged within 15 minutes page the secondary; then the support manager").
// Each step is due at an instant of its own; an acknowledgement, or the ticket resolved, makes
// every later step do nothing. Platform.sh's "#escalate" and a P1 on a 24/7 level page at once.
import * as z from 'zod';
import type { Instant } from './calendar';

export const MAX_STEPS = 10;
export const MAX_STEP_DELAY_MINUTES = 24 * 60;

export const RECIPIENTS = ['assignee', 'on-call', 'secondary', 'support-manager', 'director'] as const;
export type Recipient = (typeof RECIPIENTS)[number];

export const EscalationStep = z.object({
  /** What starts the step's countdown. */
  on: z.enum(['warning', 'breach']),
  /** Minutes after it, if no one has acknowledged by then. */
  afterMinutes: z.number().int().min(0).max(MAX_STEP_DELAY_MINUTES),
  to: z.enum(RECIPIENTS),
  /** A notification (console, mail) or a page (the paging service: phone, SMS). */
  by: z.enum(['notify', 'page']),
});
export type EscalationStep = z.infer<typeof EscalationStep>;

export const EscalationPolicy = z.object({ steps: z.array(EscalationStep).min(1).max(MAX_STEPS) });
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

export interface ClockMoments {
  /** When the clock warns and breaches (null: it does not, e.g. paused or met). */
  warningAt: Instant | null;
  breachAt: Instant | null;
}

export interface DueStep {
  index: number;
  step: EscalationStep;
  at: Instant;
}

/** Each step's instant, in time order (steps of the same instant in policy order). */
export function stepsDue(policy: EscalationPolicy, clock: ClockMoments): DueStep[] {
  return policy.steps
    .flatMap((step, index) => {
      const start = step.on === 'warning' ? clock.warningAt : clock.breachAt;
      return start === null ? [] : [{ index, step, at: start + step.afterMinutes * 60_000 }];
    })
    .sort((a, b) => a.at - b.at || a.index - b.index);
}

/**
 * Whether a step due at `at` still acts when its event arrives: not once the ticket is
 * acknowledged or resolved at or before it (a page the responder already took is noise).
 * A notification to the assignee acts even after a page was acknowledged: it is not a page.
 */
export function stepActs(
  due: DueStep,
  state: { acknowledgedAt: Instant | null; resolvedAt: Instant | null },
): boolean {
  if (state.resolvedAt !== null && state.resolvedAt <= due.at) return false;
  if (due.step.by === 'page' && state.acknowledgedAt !== null && state.acknowledgedAt <= due.at) return false;
  return true;
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
