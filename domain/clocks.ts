// SLA clocks as a pure fold over a ticket's history and its plan.
//  - response: from creation to the first public agent message.
//  - update: from each public agent message (the first response included) to the next; a
//    new cycle also starts when a resolved ticket is reopened after a response.
//  - resolution: from creation to resolved; a reopened ticket resumes it.
// Every clock counts business time of its level's calendar only while the ticket is new or
// open; pending-customer pauses and the remaining time carries on at resume.
//
// Priority changes: a clock that is still running (or paused) is judged as if the ticket had
// had its current priority from the clock's start: target and calendar both. A clock that
// already stopped keeps the priority it stopped under, and a breach already recorded by the
// escalation function stays recorded. Rejected alternatives (README, "Priority changes"):
// carrying the used fraction over, restarting the clock at the change, or keeping the
// elapsed time and only swapping the target from the change on. A change of category (ticket
// type) follows the same rule: a level may hold a category to its own targets (Plan.byCategory).
import type { BusinessCalendar, Instant } from './calendar';
import type { Target } from './duration';
import { type ClockName, clockRule, type Plan, type Priority } from './plans';
import { type Category, clocksRun, type Status, type TicketEvent } from './ticket';

/** The warning fires when this share of a clock's business time is used (PRODUCT.md). */
export const WARNING_SHARE = 0.8;

export type ClockState = 'running' | 'paused' | 'stopped' | 'not-started' | 'not-applicable';

export interface Clock {
  clock: ClockName;
  state: ClockState;
  /** 1 for response and resolution; the update cycle (1 = the first update after the response). */
  cycle: number;
  /** The priority whose target judges this cycle. */
  priority: Priority;
  /** The ticket type whose own target judges it (the plan's override), or null: the level's. */
  override: Category | null;
  target: Target;
  startedAt: Instant | null;
  stoppedAt: Instant | null;
  /** The target as open time from this cycle's start, in ms (null without a clock). */
  businessTarget: number | null;
  /** Open time counted so far (to its stop, else to now), in ms. */
  businessUsed: number;
  /** When the clock breaches if it keeps running: set only while running. */
  dueAt: Instant | null;
  /** When WARNING_SHARE of the target is used: set only while running. */
  warningAt: Instant | null;
  calendar: BusinessCalendar | null;
}

export interface Breach {
  clock: ClockName;
  cycle: number;
  dueAt: Instant;
  /** When the escalation function recorded it; the due time where it has not (yet). */
  breachedAt: Instant;
  recorded: boolean;
}

export interface SlaState {
  status: Status;
  priority: Priority;
  response: Clock;
  update: Clock;
  resolution: Clock;
  respondedAt: Instant | null;
  paused: boolean;
  /** One level per recorded breach and per key-word or manual escalation. */
  escalationLevel: number;
  breaches: Breach[];
}

/** One run of a clock: its counting stretches of real time, judged later against a target. */
export interface Cycle {
  clock: ClockName;
  number: number;
  start: Instant;
  /** Set when the cycle stopped; a resolved ticket's response/resolution cycle may resume. */
  end: Instant | null;
  segments: [Instant, Instant][];
  countingSince: Instant | null;
  /** Priority in force when it stopped; an active cycle is judged by the current priority. */
  stoppedUnder: Priority | null;
  /** Category in force when it stopped (the same rule). */
  stoppedCategory: Category | null;
}

export interface History {
  status: Status;
  priority: Priority;
  category: Category | null;
  respondedAt: Instant | null;
  response: Cycle;
  resolution: Cycle;
  updates: Cycle[];
  /** [from, to, status] for the whole life of the ticket; the last `to` is null. */
  statuses: [Instant, Instant | null, Status][];
  recorded: Map<string, { at: Instant; dueAt: Instant }>;
  escalations: number;
  lastEventAt: Instant;
}

export class MalformedHistory extends Error {
  constructor(reason: string) {
    super(`ticket history cannot be folded: ${reason}`);
    this.name = 'MalformedHistory';
  }
}

function newCycle(clock: ClockName, number: number, start: Instant, counting: boolean): Cycle {
  return {
    clock,
    number,
    start,
    end: null,
    segments: [],
    countingSince: counting ? start : null,
    stoppedUnder: null,
    stoppedCategory: null,
  };
}

function pauseCycle(cycle: Cycle, at: Instant): void {
  if (cycle.countingSince === null) return;
  cycle.segments.push([cycle.countingSince, at]);
  cycle.countingSince = null;
}

function stopCycle(cycle: Cycle, at: Instant, h: Pick<History, 'priority' | 'category'>): void {
  if (cycle.end !== null) return;
  pauseCycle(cycle, at);
  cycle.end = at;
  cycle.stoppedUnder = h.priority;
  cycle.stoppedCategory = h.category;
}

const breachKey = (clock: ClockName, cycle: number) => `${clock}#${cycle}`;

/** Walks the events (oldest first) into clock cycles; no targets are applied yet. */
export function replay(events: readonly TicketEvent[]): History {
  const first = events[0];
  if (first?.type !== 'created') throw new MalformedHistory('the first event must be "created"');
  const at0 = first.at;
  const h: History = {
    status: 'new',
    priority: first.priority,
    category: first.category ?? null,
    respondedAt: null,
    response: newCycle('response', 1, at0, true),
    resolution: newCycle('resolution', 1, at0, true),
    updates: [],
    statuses: [[at0, null, 'new']],
    recorded: new Map(),
    escalations: 0,
    lastEventAt: at0,
  };
  const active = (): Cycle[] =>
    [h.response, h.resolution, h.updates[h.updates.length - 1]].filter(
      (c): c is Cycle => !!c && c.end === null,
    );

  for (let i = 1; i < events.length; i++) {
    const event = events[i]!;
    if (event.at < h.lastEventAt)
      throw new MalformedHistory(`event ${i} (${event.type}) is older than the one before`);
    h.lastEventAt = event.at;
    switch (event.type) {
      case 'created':
        throw new MalformedHistory('a ticket is created only once');
      case 'priority':
        h.priority = event.to;
        break;
      case 'category':
        h.category = event.to;
        break;
      case 'breach':
        if (!h.recorded.has(breachKey(event.clock, event.cycle))) {
          h.recorded.set(breachKey(event.clock, event.cycle), { at: event.at, dueAt: event.dueAt });
          h.escalations++;
        }
        break;
      case 'escalated':
        h.escalations++;
        break;
      case 'message': {
        if (event.author !== 'agent' || event.internal || h.status === 'closed') break;
        if (h.respondedAt === null) {
          h.respondedAt = event.at;
          stopCycle(h.response, event.at, h);
        }
        const current = h.updates[h.updates.length - 1];
        if (current) stopCycle(current, event.at, h);
        if (h.status !== 'resolved') {
          h.updates.push(newCycle('update', h.updates.length + 1, event.at, clocksRun(h.status)));
        }
        break;
      }
      case 'status': {
        const { to } = event;
        const from = h.status;
        if (to === 'resolved' || to === 'closed') {
          for (const cycle of active()) stopCycle(cycle, event.at, h);
        } else if (from === 'resolved' && to === 'open') {
          // Reopened: what the desk still owes resumes with the time it had left.
          if (h.respondedAt === null) resume(h.response);
          resume(h.resolution);
          if (h.respondedAt !== null)
            h.updates.push(newCycle('update', h.updates.length + 1, event.at, false));
        }
        for (const cycle of active()) {
          if (clocksRun(to)) cycle.countingSince ??= event.at;
          else pauseCycle(cycle, event.at);
        }
        h.statuses[h.statuses.length - 1]![1] = event.at;
        h.statuses.push([event.at, null, to]);
        h.status = to;
        break;
      }
    }
  }
  return h;
}

function resume(cycle: Cycle): void {
  cycle.end = null;
  cycle.stoppedUnder = null;
  cycle.stoppedCategory = null;
}

/** The priority and category a cycle is judged under: as it stopped, else the ticket's now. */
export function judgedUnder(
  cycle: Cycle | undefined,
  h: History,
): { priority: Priority; category: Category | null } {
  return cycle?.end != null && cycle.stoppedUnder
    ? { priority: cycle.stoppedUnder, category: cycle.stoppedCategory }
    : { priority: h.priority, category: h.category };
}

export interface Judged {
  businessTarget: number;
  businessUsed: number;
  dueAt: Instant | null;
  warningAt: Instant | null;
  breached: boolean;
}

/** Applies a target to a cycle: open time used, when it was (or will be) due, and whether it breached. */
export function judge(
  cycle: Cycle,
  plan: Plan,
  priority: Priority,
  until: Instant,
  category: Category | null = null,
): Judged | null {
  const rule = clockRule(plan, priority, cycle.clock, category);
  if (!rule.duration) return null;
  const calendar = rule.calendar;
  const target = calendar.businessMs(cycle.start, rule.duration);
  const warning = Math.round(target * WARNING_SHARE);
  let used = 0;
  let dueAt: Instant | null = null;
  let warningAt: Instant | null = null;
  for (const [from, to] of cycle.segments) {
    const counted = calendar.elapsed(from, to);
    if (warningAt === null && used + counted >= warning) warningAt = calendar.add(from, warning - used);
    if (dueAt === null && used + counted >= target) dueAt = calendar.add(from, target - used);
    used += counted;
  }
  if (cycle.countingSince !== null) {
    // Still counting: project the remaining time forward from the last resume.
    warningAt ??= calendar.add(cycle.countingSince, warning - used);
    dueAt ??= calendar.add(cycle.countingSince, target - used);
    used += calendar.elapsed(cycle.countingSince, until);
  }
  const stop = cycle.end ?? until;
  return {
    businessTarget: target,
    businessUsed: used,
    dueAt,
    warningAt,
    breached: dueAt !== null && stop > dueAt,
  };
}

/** The running clock due soonest (the queue's and the lists' next deadline), or null. */
export function nextDue(sla: SlaState): Clock | null {
  let next: Clock | null = null;
  for (const c of [sla.response, sla.update, sla.resolution])
    if (c.state === 'running' && c.dueAt !== null && (next === null || c.dueAt < next.dueAt!)) next = c;
  return next;
}

/** The SLA state of a ticket at `now`: every clock, the pause flag, escalation level and breaches. */
export function foldClocks(plan: Plan, events: readonly TicketEvent[], now: Instant): SlaState {
  return foldHistory(plan, replay(events), now);
}

/** The same fold from an already replayed history (explain.ts shares one replay). */
export function foldHistory(plan: Plan, h: History, now: Instant): SlaState {
  const until = Math.max(now, h.lastEventAt);
  const breaches = new Map<string, Breach>();

  const view = (clock: ClockName, cycle: Cycle | undefined): Clock => {
    const { priority, category } = judgedUnder(cycle, h);
    const rule = clockRule(plan, priority, clock, category);
    const base = {
      clock,
      priority,
      override: rule.override,
      target: rule.target,
      cycle: cycle?.number ?? 0,
      calendar: rule.calendar,
    };
    const idle = {
      startedAt: null,
      stoppedAt: null,
      businessTarget: null,
      businessUsed: 0,
      dueAt: null,
      warningAt: null,
    };
    if (!rule.duration) return { ...base, ...idle, state: 'not-applicable', calendar: null };
    if (!cycle) return { ...base, ...idle, state: 'not-started' };
    const judged = judge(cycle, plan, priority, until, category)!;
    const state: ClockState =
      cycle.end !== null ? 'stopped' : cycle.countingSince !== null ? 'running' : 'paused';
    return {
      ...base,
      state,
      startedAt: cycle.start,
      stoppedAt: cycle.end,
      businessTarget: judged.businessTarget,
      businessUsed: judged.businessUsed,
      dueAt: state === 'running' ? judged.dueAt : null,
      warningAt: state === 'running' ? judged.warningAt : null,
    };
  };

  const collect = (cycle: Cycle) => {
    const { priority, category } = judgedUnder(cycle, h);
    const judged = judge(cycle, plan, priority, until, category);
    if (judged?.breached && judged.dueAt !== null) {
      breaches.set(breachKey(cycle.clock, cycle.number), {
        clock: cycle.clock,
        cycle: cycle.number,
        dueAt: judged.dueAt,
        breachedAt: judged.dueAt,
        recorded: false,
      });
    }
  };
  collect(h.response);
  collect(h.resolution);
  for (const cycle of h.updates) collect(cycle);
  // A recorded breach stands as recorded, even where a later priority change would not breach.
  for (const [key, { at, dueAt }] of h.recorded) {
    const [clock, cycle] = key.split('#') as [ClockName, string];
    breaches.set(key, { clock, cycle: Number(cycle), dueAt, breachedAt: at, recorded: true });
  }

  return {
    status: h.status,
    priority: h.priority,
    response: view('response', h.response),
    update: view('update', h.updates[h.updates.length - 1]),
    resolution: view('resolution', h.resolution),
    respondedAt: h.respondedAt,
    paused: h.status === 'pending-customer',
    escalationLevel: h.escalations,
    breaches: [...breaches.values()].sort((a, b) => a.dueAt - b.dueAt || a.clock.localeCompare(b.clock)),
  };
}

export interface Deadline {
  clock: ClockName;
  cycle: number;
  kind: 'warning' | 'breach';
  at: Instant;
}

/** The warning and breach times of every running clock: what the scheduler has to fire. */
export function deadlines(state: SlaState): Deadline[] {
  const out: Deadline[] = [];
  for (const clock of [state.response, state.update, state.resolution]) {
    if (clock.state !== 'running') continue;
    if (clock.warningAt !== null)
      out.push({ clock: clock.clock, cycle: clock.cycle, kind: 'warning', at: clock.warningAt });
    if (clock.dueAt !== null)
      out.push({ clock: clock.clock, cycle: clock.cycle, kind: 'breach', at: clock.dueAt });
  }
  return out.sort((a, b) => a.at - b.at);
}
