// Which deadline events a ticket needs, and how the scheduled set changes when its clocks do.
// Each clock has a generation: when any of its deadlines moves, stops or starts, the clock's
// generation goes up and all its events are replaced, so an event of an older generation is
// stale by construction. A clock whose deadlines did not change keeps its events untouched.
import type { Instant } from './calendar';
import { type Deadline, deadlines, type SlaState } from './clocks';
import type { ClockName } from './plans';

export interface ScheduledDeadline extends Deadline {
  generation: number;
}

export type Generations = Record<ClockName, number>;

export const NO_GENERATIONS: Generations = { response: 0, update: 0, resolution: 0 };

/** `response#1#breach`: a deadline handled once, by recording a warning or a breach. */
export const handledKey = (clock: ClockName, cycle: number, kind: Deadline['kind']): string =>
  `${clock}#${cycle}#${kind}`;

/** The warnings and breaches still to fire: running clocks, less what was already handled. */
export function pendingDeadlines(state: SlaState, handled: ReadonlySet<string>): Deadline[] {
  return deadlines(state).filter((d) => !handled.has(handledKey(d.clock, d.cycle, d.kind)));
}

export interface SchedulePlan {
  scheduled: ScheduledDeadline[];
  generations: Generations;
  add: ScheduledDeadline[];
  remove: ScheduledDeadline[];
}

const sameSet = (a: readonly Deadline[], b: readonly Deadline[]) =>
  a.length === b.length &&
  a.every((x) => b.some((y) => y.kind === x.kind && y.cycle === x.cycle && y.at === x.at));

/** From what is scheduled to what should be: per clock, keep, or replace under a new generation. */
export function planSchedule(
  current: readonly ScheduledDeadline[],
  generations: Generations,
  desired: readonly Deadline[],
): SchedulePlan {
  const out: SchedulePlan = { scheduled: [], generations: { ...generations }, add: [], remove: [] };
  for (const clock of ['response', 'update', 'resolution'] as const) {
    const had = current.filter((d) => d.clock === clock);
    const want = desired.filter((d) => d.clock === clock);
    if (sameSet(had, want)) {
      out.scheduled.push(...had);
      continue;
    }
    const generation = generations[clock] + 1;
    const fresh = want.map((d) => ({ ...d, generation }));
    out.generations[clock] = generation;
    out.scheduled.push(...fresh);
    out.add.push(...fresh);
    out.remove.push(...had);
  }
  out.scheduled.sort((a, b) => a.at - b.at);
  return out;
}

/** Deterministic, at most 64 characters of [0-9a-zA-Z-_.]: what EventBridge Scheduler accepts as a name. */
export function scheduleName(
  ticketId: string,
  d: Pick<ScheduledDeadline, 'clock' | 'kind' | 'generation'>,
): string {
  return `${ticketId}.${d.clock}.${d.kind}.g${d.generation}`;
}

/** Whether an event is the one the ticket is waiting for now (not a stale or rescheduled one). */
export function isCurrent(
  scheduled: readonly ScheduledDeadline[],
  event: { clock: ClockName; kind: Deadline['kind']; generation: number },
): boolean {
  return scheduled.some(
    (d) => d.clock === event.clock && d.kind === event.kind && d.generation === event.generation,
  );
}

/** The earliest time a deadline is due, or null. */
export function earliest(list: readonly { at: Instant }[]): Instant | null {
  return list.length ? Math.min(...list.map((d) => d.at)) : null;
}
