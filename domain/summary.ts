// What the monthly report needs of a ticket's clocks, kept on the ticket by every write (the
// same conditional write that changes it), so a report reads ticket items and never replays a
// timeline. Outcomes are judged as of a moment (the month's end, or now): a clock still running
// at the write is breached once its due time has passed by then, as the fold would judge it.
import type { Instant } from './calendar';
import type { SlaState } from './clocks';
import type { ClockName } from './plans';

/** Update breaches a summary keeps the times of; a ticket with more counts them all the same. */
export const MAX_SUMMARY_BREACHES = 200;

export interface ClockFacts {
  /** The plan sets a target for it. */
  applies: boolean;
  stoppedAt: Instant | null;
  /** While it runs: when it breaches. */
  dueAt: Instant | null;
  /** Its breach, recorded or judged. */
  breachedAt: Instant | null;
  /** The due time it breached (summaries written before this was kept have only breachedAt). */
  breachDueAt?: Instant | null;
}

export interface SlaSummary {
  response: ClockFacts;
  resolution: ClockFacts;
  respondedAt: Instant | null;
  /** Open business time to the first response, once responded. */
  firstResponseMs: number | null;
  /** When each update cycle breached, oldest first (at most MAX_SUMMARY_BREACHES). */
  updateBreaches: Instant[];
  /** The running update cycle's due time. */
  updateDueAt: Instant | null;
}

export type Outcome = 'met' | 'breached' | 'pending' | 'no target';

function facts(sla: SlaState, clock: Exclude<ClockName, 'update'>): ClockFacts {
  const c = sla[clock];
  const breach = sla.breaches.find((b) => b.clock === clock);
  return {
    applies: c.state !== 'not-applicable',
    stoppedAt: c.state === 'stopped' ? c.stoppedAt : null,
    dueAt: c.state === 'running' ? c.dueAt : null,
    breachedAt: breach ? breach.breachedAt : null,
    breachDueAt: breach ? breach.dueAt : null,
  };
}

/** The summary of the clocks as a write leaves them. */
export function summarize(sla: SlaState): SlaSummary {
  return {
    response: facts(sla, 'response'),
    resolution: facts(sla, 'resolution'),
    respondedAt: sla.respondedAt,
    firstResponseMs:
      sla.respondedAt !== null && sla.response.state === 'stopped' ? sla.response.businessUsed : null,
    updateBreaches: sla.breaches
      .filter((b) => b.clock === 'update')
      .map((b) => b.breachedAt)
      .slice(0, MAX_SUMMARY_BREACHES),
    updateDueAt: sla.update.state === 'running' ? sla.update.dueAt : null,
  };
}

/** A clock's outcome as of `asOf`. */
export function outcomeAt(c: ClockFacts, asOf: Instant): Outcome {
  if (!c.applies) return 'no target';
  if (c.breachedAt !== null && c.breachedAt <= asOf) return 'breached';
  if (c.dueAt !== null && c.dueAt <= asOf) return 'breached';
  return c.stoppedAt !== null && c.stoppedAt <= asOf ? 'met' : 'pending';
}

/** Update cycles breached by `asOf`. */
export function updateBreachesAt(s: SlaSummary, asOf: Instant): number {
  const recorded = s.updateBreaches.filter((at) => at <= asOf).length;
  const running =
    s.updateDueAt !== null && s.updateDueAt <= asOf && !s.updateBreaches.includes(s.updateDueAt);
  return recorded + (running ? 1 : 0);
}

/** Whether any deadline was missed by `asOf`. */
export function breachedBy(s: SlaSummary, asOf: Instant): boolean {
  return (
    outcomeAt(s.response, asOf) === 'breached' ||
    outcomeAt(s.resolution, asOf) === 'breached' ||
    updateBreachesAt(s, asOf) > 0
  );
}

/** The first response's business time, if it came by `asOf`. */
export function firstResponseBy(s: SlaSummary, asOf: Instant): number | null {
  return s.respondedAt !== null && s.respondedAt <= asOf ? s.firstResponseMs : null;
}

export interface BreachFact {
  clock: ClockName;
  /** When it was due (and breached). */
  dueAt: Instant;
  /** Until when it ran late: the clock's stop, or `asOf` while it still runs; null for an update cycle (the summary keeps when each breached, not when the next update came). */
  lateUntil: Instant | null;
}

/** Every deadline missed by `asOf`, oldest first: the response, the resolution, each update cycle. */
export function breachesAt(s: SlaSummary, asOf: Instant): BreachFact[] {
  const out: BreachFact[] = [];
  for (const clock of ['response', 'resolution'] as const) {
    const c = s[clock];
    if (outcomeAt(c, asOf) !== 'breached') continue;
    const dueAt = c.breachDueAt ?? c.breachedAt ?? c.dueAt!;
    out.push({ clock, dueAt, lateUntil: c.stoppedAt !== null && c.stoppedAt <= asOf ? c.stoppedAt : asOf });
  }
  const updates = s.updateBreaches.filter((at) => at <= asOf);
  if (s.updateDueAt !== null && s.updateDueAt <= asOf && !updates.includes(s.updateDueAt))
    updates.push(s.updateDueAt);
  for (const dueAt of updates) out.push({ clock: 'update', dueAt, lateUntil: null });
  return out.sort((a, b) => a.dueAt - b.dueAt);
}
