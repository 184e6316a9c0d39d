// "Why is this due at 10:42?": for each clock, the stretches of time from its start to its due
// time (or its stop, or now) and whether each counted: open hours, closed hours, holidays,
// time paused while pending-customer or resolved. Built from the same replay as the fold.

import type { BusinessCalendar, Instant } from './calendar';
import { type Cycle, foldHistory, type History, judge, replay } from './clocks';
import { describeTarget, inWords, type Target } from './duration';
import { type ClockName, clockRule, levelCalendar, type Plan } from './plans';
import { clocksRun, type Status, type TicketEvent } from './ticket';
import { formatLocal } from './zone';

export interface ExplainedSegment {
  from: Instant;
  to: Instant;
  kind: 'open' | 'closed' | 'holiday' | 'paused';
  /** The holiday's name, or the status that paused the clock. */
  reason?: string;
  /** Open time this stretch added to the clock, in ms. */
  counted: number;
}

export interface ClockExplanation {
  clock: ClockName;
  cycle: number;
  state: string;
  priority: string;
  /** The ticket type whose own target applies (the plan's override), or null: the level's. */
  override: string | null;
  target: string;
  plan: { id: string; version: number };
  calendar: { name: string; timeZone: string; hours: string };
  startedAt: Instant | null;
  dueAt: Instant | null;
  stoppedAt: Instant | null;
  businessTarget: number | null;
  businessUsed: number;
  segments: ExplainedSegment[];
  /** One or two sentences a customer could be sent. */
  summary: string;
}

/** Explains every clock of a ticket at `now`. */
export function explain(plan: Plan, events: readonly TicketEvent[], now: Instant): ClockExplanation[] {
  const history = replay(events);
  const state = foldHistory(plan, history, now);
  const until = Math.max(now, history.lastEventAt);
  const cycles: [ClockName, Cycle | undefined][] = [
    ['response', history.response],
    ['update', history.updates[history.updates.length - 1]],
    ['resolution', history.resolution],
  ];
  return cycles.map(([name, cycle]) => {
    const clock = state[name];
    const calendarDef = levelCalendar(plan, clock.priority);
    const rule = clockRule(plan, clock.priority, name, clock.override);
    const base: ClockExplanation = {
      clock: name,
      cycle: clock.cycle,
      state: clock.state,
      priority: clock.priority,
      override: clock.override,
      target: clock.target,
      plan: { id: plan.id, version: plan.version },
      calendar: { name: calendarDef.name, timeZone: calendarDef.timeZone, hours: rule.calendar.describe() },
      startedAt: clock.startedAt,
      dueAt: clock.dueAt,
      stoppedAt: clock.stoppedAt,
      businessTarget: clock.businessTarget,
      businessUsed: clock.businessUsed,
      segments: [],
      summary: '',
    };
    if (!cycle || !rule.duration) {
      return { ...base, summary: idleSummary(name, clock.state, clock.target) };
    }
    const judged = judge(cycle, plan, clock.priority, until, clock.override)!;
    // Explain up to the due time while running; up to the stop (or now) otherwise, and on
    // to the breach time when a stopped clock was late.
    const end =
      clock.state === 'running'
        ? Math.max(judged.dueAt ?? until, until)
        : Math.max(cycle.end ?? until, cycle.start);
    const explained = { ...base, segments: explainSegments(history, cycle, end, rule.calendar) };
    return { ...explained, summary: summary(explained, judged.dueAt, judged.breached, calendarDef.timeZone) };
  });
}

function explainSegments(
  history: History,
  cycle: Cycle,
  end: Instant,
  calendar: BusinessCalendar,
): ExplainedSegment[] {
  const out: ExplainedSegment[] = [];
  const counting = [
    ...cycle.segments,
    ...(cycle.countingSince !== null ? [[cycle.countingSince, end]] : []),
  ] as [Instant, Instant][];
  let cursor = cycle.start;
  for (const [from, to] of counting) {
    if (from > cursor) out.push(...pausedBetween(history.statuses, cursor, Math.min(from, end)));
    if (from >= end) break;
    for (const s of calendar.segments(from, Math.min(to, end))) {
      out.push({
        from: s.from,
        to: s.to,
        kind: s.kind,
        ...(s.holiday ? { reason: s.holiday } : {}),
        counted: s.kind === 'open' ? s.to - s.from : 0,
      });
    }
    cursor = Math.min(to, end);
  }
  if (cursor < end) out.push(...pausedBetween(history.statuses, cursor, end));
  return out;
}

function pausedBetween(statuses: History['statuses'], from: Instant, to: Instant): ExplainedSegment[] {
  const out: ExplainedSegment[] = [];
  for (const [start, stop, status] of statuses) {
    const a = Math.max(start, from);
    const b = Math.min(stop ?? to, to);
    if (a < b && !clocksRun(status))
      out.push({ from: a, to: b, kind: 'paused', reason: status as Status, counted: 0 });
  }
  return out;
}

function local(t: Instant, zone: string): string {
  return formatLocal(t, zone, { seconds: true }).replace(/ (\S+)$/, ' ($1)');
}

function idleSummary(clock: ClockName, state: string, target: string): string {
  if (state === 'not-applicable')
    return `The ${clock} target is ${describeTarget(target as Target)}: no clock runs.`;
  return `The ${clock} clock has not started: it starts with the first public agent reply.`;
}

function summary(e: ClockExplanation, dueAt: Instant | null, breached: boolean, zone: string): string {
  const paused = e.segments.filter((s) => s.kind === 'paused').reduce((sum, s) => sum + s.to - s.from, 0);
  const kind = e.override ? ` ${e.override} tickets` : '';
  // Business days are open time of a length the calendar decides: said in hours too.
  const words = describeTarget(e.target as Target);
  const open = /day/.test(words) ? ` (${inWords(e.businessTarget ?? 0)} of open time)` : '';
  const target = `the target for ${e.priority}${kind} is ${words}${open}`;
  const from = e.startedAt === null ? '' : ` counted from ${local(e.startedAt, zone)}`;
  const hours = ` in ${e.calendar.hours}`;
  const pause = paused > 0 ? `, not counting ${inWords(paused)} paused` : '';
  const head = `${e.clock} clock: ${target}${from}${hours}${pause}.`;
  if (e.state === 'paused')
    return `${head} Paused with ${inWords(Math.max(0, (e.businessTarget ?? 0) - e.businessUsed))} left.`;
  if (dueAt === null) return `${head} Stopped at ${local(e.stoppedAt!, zone)}, within target.`;
  if (breached) return `${head} It was due at ${local(dueAt, zone)} and breached.`;
  if (e.state === 'stopped') return `${head} It was due at ${local(dueAt, zone)} and was met.`;
  return `${head} It is due at ${local(dueAt, zone)}.`;
}
