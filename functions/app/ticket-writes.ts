// Every write of a ticket goes through here: the domain's history from the timeline, the SLA
// fold, the deadline events the ticket should have, the mail still to send and when the
// sweeper should look at it, all written in the same conditional transaction.
import { foldClocks, nextDue, type SlaState } from '../../domain/clocks';
import {
  handledKey,
  NO_GENERATIONS,
  pendingDeadlines,
  planSchedule,
  type SchedulePlan,
} from '../../domain/deadlines';
import { NotFound, VersionConflict } from '../../domain/errors';
import type { Plan } from '../../domain/plans';
import { summarize } from '../../domain/summary';
import type { TicketEvent } from '../../domain/ticket';
import { config } from '../config';
import type {
  Attachment,
  CustomerRecord,
  Deps,
  NewTimelineEntry,
  TicketRecord,
  TimelineEntry,
} from '../ports';
import { stepsLeft } from './chains';
import { canSeeCustomer, iso, type Principal, shortLived } from './common';
import type { MailDraft } from './mail';

/** The scheduler fires first; the sweeper steps in a minute after a deadline it did not. */
export const DEADLINE_GRACE_MS = 60_000;
/** Mail is sent right after the write that queues it; the sweeper retries what is left after this. */
export const MAIL_GRACE_MS = 2 * 60_000;
const WRITE_ATTEMPTS = 5;
/**
 * Entries a ticket takes from callers (messages, changes, time); the desk's own entries
 * (warnings, breaches, pages) still land after it. Keeps a ticket read bounded.
 */
export const MAX_TIMELINE_LENGTH = 3000;

/** The domain's history from the stored timeline. */
export function historyOf(timeline: readonly TimelineEntry[]): TicketEvent[] {
  const events: TicketEvent[] = [];
  // Tickets from before the created entry kept its category: the first change's `from`.
  const firstChange = timeline.find((e) => e.type === 'category');
  for (const e of timeline) {
    const at = Date.parse(e.at);
    if (e.type === 'created') {
      const category =
        e.category !== undefined ? e.category : firstChange?.type === 'category' ? firstChange.from : null;
      events.push({ type: 'created', at, priority: e.priority, category });
    } else if (e.type === 'category') events.push({ type: 'category', at, from: e.from, to: e.to });
    else if (e.type === 'message')
      events.push({ type: 'message', at, author: e.author, internal: e.internal });
    else if (e.type === 'status') events.push({ type: 'status', at, from: e.from, to: e.to });
    else if (e.type === 'priority') events.push({ type: 'priority', at, from: e.from, to: e.to });
    else if (e.type === 'breach')
      events.push({ type: 'breach', at, clock: e.clock, cycle: e.cycle, dueAt: Date.parse(e.dueAt) });
    else if (e.type === 'escalated') events.push({ type: 'escalated', at, reason: e.reason });
  }
  return events;
}

/** A ticket's time entries as its item keeps them: `[at (ms), minutes]`. */
export function timeLogOf(timeline: readonly TimelineEntry[]): [number, number][] {
  return timeline.flatMap((e): [number, number][] =>
    e.type === 'time-entry' ? [[Date.parse(e.at), e.minutes]] : [],
  );
}

/** Warnings and breaches already recorded: each deadline is handled once. */
export function handledSet(timeline: readonly TimelineEntry[]): Set<string> {
  const handled = new Set<string>();
  for (const e of timeline)
    if (e.type === 'warning' || e.type === 'breach') handled.add(handledKey(e.clock, e.cycle, e.type));
  return handled;
}

/** What a timeline entry keeps of the mail it came from (each field only when there is one). */
export function fromMail(mail: {
  sourceMessageId?: string | undefined;
  attachments?: Attachment[] | undefined;
  original?: Attachment | undefined;
  mailProblem?: string | undefined;
}) {
  return {
    ...(mail.sourceMessageId ? { sourceMessageId: mail.sourceMessageId } : {}),
    ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
    ...(mail.original ? { original: mail.original } : {}),
    ...(mail.mailProblem ? { mailProblem: mail.mailProblem } : {}),
  };
}

export function mailEntry(mail: MailDraft, at: string): NewTimelineEntry {
  return { type: 'mail', at, actor: null, ...mail, messageId: '' };
}

/** Numbers new entries after the existing ones; a mail gets its Message-ID from its place. */
function numbered(ticketId: string, entries: readonly NewTimelineEntry[], after: number): TimelineEntry[] {
  return entries.map((entry, i) => {
    const seq = after + i + 1;
    const withId =
      entry.type === 'mail' ? { ...entry, messageId: `<${ticketId}.${seq}@${config().MAIL_DOMAIN}>` } : entry;
    return { ...withId, seq } as TimelineEntry;
  });
}

/** A ticket before its first write: the bookkeeping that write (prepareWrite) fills in. */
export function unwritten(): Pick<
  TicketRecord,
  'version' | 'timelineLength' | 'nextBreachAt' | 'breached' | 'deadlines' | 'generations' | 'attentionAt'
> {
  return {
    version: 0,
    timelineLength: 0,
    nextBreachAt: null,
    breached: false,
    deadlines: [],
    generations: NO_GENERATIONS,
    attentionAt: null,
  };
}
/** The version callers see and pin (TicketRecord.revision). */
export const revisionOf = (t: TicketRecord): number => t.revision ?? t.version;

/** The ticket as a write left it. */
export function loadedAfter(write: PreparedWrite, plan: Plan): Loaded {
  return { ticket: write.record, timeline: write.timeline, plan };
}

export interface PreparedWrite {
  record: TicketRecord;
  entries: TimelineEntry[];
  timeline: TimelineEntry[];
  sla: SlaState;
  schedule: SchedulePlan;
}

/** The ticket after `entries`: `base` is the ticket with any field changes applied. */
export function prepareWrite(
  base: TicketRecord,
  previousVersion: number,
  plan: Plan,
  timeline: readonly TimelineEntry[],
  newEntries: readonly NewTimelineEntry[],
  now: number,
): PreparedWrite {
  const entries = numbered(base.id, newEntries, timeline.length);
  const all = [...timeline, ...entries];
  const sla = foldClocks(plan, historyOf(all), now);
  const handled = handledSet(all);
  // A deadline that fired and was handled is gone from the scheduler already (deleted after
  // completion): dropping it is no change, so the clock keeps its generation and its other event.
  const stillScheduled = base.deadlines.filter((d) => !handled.has(handledKey(d.clock, d.cycle, d.kind)));
  const schedule = planSchedule(stillScheduled, base.generations, pendingDeadlines(sla, handled));
  // Mail left unsent is the outbox's (TicketStore.unsentMail), not the ticket's.
  const attention = [
    ...schedule.scheduled.map((d) => d.at + DEADLINE_GRACE_MS),
    // The next escalation step: the sweeper acts on it when its own event was lost.
    ...stepsLeft(plan, base.priority, all)
      .slice(0, 1)
      .map((d) => d.at + DEADLINE_GRACE_MS),
  ];
  const due = nextDue(sla);
  const record: TicketRecord = {
    ...base,
    status: sla.status,
    updatedAt: iso(now),
    version: previousVersion + 1,
    revision: (base.revision ?? previousVersion) + 1,
    timelineLength: all.length,
    nextBreachAt: due ? iso(due.dueAt!) : null,
    breached: sla.breaches.length > 0,
    deadlines: schedule.scheduled,
    generations: schedule.generations,
    summary: summarize(sla),
    timeLog: timeLogOf(all),
    attentionAt: attention.length ? iso(Math.min(...attention)) : null,
  };
  return {
    record,
    entries,
    timeline: all,
    sla,
    schedule,
  };
}

export interface Loaded {
  ticket: TicketRecord;
  timeline: TimelineEntry[];
  plan: Plan;
}

// A stored plan never changes under its id (the API creates plans, it does not edit them),
// so a warm container keeps what it read for a minute.
const PLAN_CACHE_MS = 60_000;
const plans = shortLived<Plan>(PLAN_CACHE_MS, 500);

export const planOf = (deps: Deps, planId: string): Promise<Plan> =>
  plans.get(planId, async () => {
    const plan = await deps.directory.getPlan(planId);
    if (!plan) throw new Error(`plan ${planId} of a stored record is missing`);
    return plan;
  });

/**
 * How long a warm function keeps a customer it read for the writes that only read it (a
 * creation's seat check, the search document): as long as an API key is kept. A change of
 * contacts or plan holds in this container at once (forgetCustomer) and elsewhere within it.
 */
const CUSTOMER_CACHE_MS = 10_000;
const customers = shortLived<CustomerRecord | null>(CUSTOMER_CACHE_MS);

export const customerOf = (deps: Deps, id: string): Promise<CustomerRecord | null> =>
  customers.get(id, () => deps.directory.getCustomer(id));

/** Drops a customer from this container's cache (after writing it). */
export const forgetCustomer = (id: string): void => customers.forget(id);

export async function loadTicket(deps: Deps, id: string, principal?: Principal): Promise<Loaded> {
  const found = await deps.tickets.get(id);
  if (!found || (principal && !canSeeCustomer(principal, found.ticket.customerId)))
    throw new NotFound('ticket', id);
  return { ...found, plan: await planOf(deps, found.ticket.planId) };
}

export type Decision = {
  patch?: Partial<
    Pick<
      TicketRecord,
      | 'priority'
      | 'assignee'
      | 'assigneeName'
      | 'assigneeId'
      | 'teamId'
      | 'tags'
      | 'category'
      | 'component'
      | 'device'
      | 'partner'
    >
  >;
  entries: NewTimelineEntry[];
} | null;

/**
 * Read, decide, write; retried on a concurrent write. A caller who pinned a revision
 * (If-Match) gets a 409 once another caller's change came between; the desk's own bookkeeping
 * (mail marked sent) does not count. A null decision writes nothing.
 */
export async function writeTicket(
  deps: Deps,
  id: string,
  decide: (loaded: Loaded, now: number) => Decision | Promise<Decision>,
  options: { principal?: Principal; expectedVersion?: number; preloaded?: Loaded } = {},
): Promise<{ loaded: Loaded; write: PreparedWrite | null }> {
  for (let attempt = 1; ; attempt++) {
    // The caller may know the ticket as it just wrote it; a conflict means reading it afresh.
    const loaded =
      attempt === 1 && options.preloaded ? options.preloaded : await loadTicket(deps, id, options.principal);
    const { ticket, timeline, plan } = loaded;
    if (options.expectedVersion !== undefined && revisionOf(ticket) !== options.expectedVersion) {
      throw new VersionConflict('ticket', id, options.expectedVersion, revisionOf(ticket));
    }
    // Never earlier than the last entry: the fold needs a history in time order.
    const now = Math.max(
      deps.clock.now(),
      timeline.length ? Date.parse(timeline[timeline.length - 1]!.at) : 0,
    );
    const decision = await decide(loaded, now);
    if (!decision || decision.entries.length === 0) return { loaded, write: null };
    const write = prepareWrite(
      { ...ticket, ...decision.patch },
      ticket.version,
      plan,
      timeline,
      decision.entries,
      now,
    );
    try {
      await deps.tickets.update(write.record, ticket.version, write.entries);
      return { loaded, write };
    } catch (error) {
      // A pinned change is read again too: refused above if a caller's change came between.
      if (!(error instanceof VersionConflict) || attempt >= WRITE_ATTEMPTS) throw error;
    }
  }
}
