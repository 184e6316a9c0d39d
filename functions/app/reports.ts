// The monthly report per customer: uptime against the plan's target, tickets by priority and
// channel, each clock met or breached, first-response business time, time logged and what
// is chargeable, devices over the allowance. Built by paging through customers and tickets
// (no table is read into memory), stored, and mailed once unless a resend is asked for.

import {
  bankUsedBefore,
  billMonth,
  Contract,
  type Device,
  isExtraDevice,
  type TimeEntry,
} from '../../domain/billing';
import { businessCalendar } from '../../domain/calendar';
import { describeTarget, formatBusinessMs, type Target, targetDuration } from '../../domain/duration';
import { RuleViolation } from '../../domain/errors';
import { learningSuggestions, PREVIOUS_MONTHS, type TicketFacts } from '../../domain/insights';
import { type ClockName, levelCalendar, type Plan, PRIORITIES, type Priority } from '../../domain/plans';
import { breachedBy, breachesAt, firstResponseBy, outcomeAt, updateBreachesAt } from '../../domain/summary';
import {
  errorBudget,
  flooredUptime,
  monthlyUptime,
  monthPeriod,
  outageWithin,
  type Period,
  previousMonth,
} from '../../domain/uptime';
import { localMonth } from '../../domain/zone';
import { config, portalAt } from '../config';
import type { CustomerRecord, Deps, ReportRun, TicketRecord } from '../ports';
import { billingTickets } from './billing-reads';
import { iso } from './common';
import { headlineOf, previousHeadlines } from './report-trend';
import { planOf } from './ticket-writes';

interface ClockTally {
  met: number;
  breached: number;
  /** Still running and not yet due at report time. */
  pending: number;
  attainmentPercent: number | null;
}

const tally = (): ClockTally => ({ met: 0, breached: 0, pending: 0, attainmentPercent: null });
function summed(tallies: ClockTally[]): ClockTally {
  const sum = tally();
  for (const t of tallies) {
    sum.met += t.met;
    sum.breached += t.breached;
    sum.pending += t.pending;
  }
  return sum;
}
const finish = (t: ClockTally): ClockTally => ({
  ...t,
  attainmentPercent:
    t.met + t.breached === 0 ? null : Math.round((t.met / (t.met + t.breached)) * 10_000) / 100,
});

/** The nearest-rank percentile of a sorted list. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface TicketRow {
  id: string;
  subject: string;
  createdAt: string;
  priority: string;
  channel: string;
  category: string | null;
  component: string | null;
  device: string | null;
  status: string;
  firstResponseBusiness: string | null;
  response: 'met' | 'breached' | 'pending' | 'no target';
  updateBreaches: number;
  resolution: 'met' | 'breached' | 'pending' | 'no target';
}

/** The breaches a report lists by name; past this many it counts the rest. */
export const MAX_REPORT_BREACHES = 100;

export interface ReportBreach {
  ticketId: string;
  subject: string;
  priority: Priority;
  clock: ClockName;
  dueAt: string;
  /** Business time from the due time to the clock's stop (or the report); null for a missed update. */
  lateBusinessSeconds: number | null;
  /** The ticket's page in the portal. */
  url: string;
}

interface PriorityTally {
  tickets: number;
  response: ClockTally;
  resolution: ClockTally;
  firstResponses: number[];
  /** Tickets whose update clock ran (it starts with the first response). */
  updateTickets: number;
  updateBreachedTickets: number;
}

const priorityTally = (): PriorityTally => ({
  tickets: 0,
  response: tally(),
  resolution: tally(),
  firstResponses: [],
  updateTickets: 0,
  updateBreachedTickets: 0,
});

/** A priority's line of the report; update and resolution only where the plan sets a clock. */
function priorityFigures(plan: Plan, priority: Priority, t: PriorityTally) {
  const level = plan.levels[priority];
  const sorted = [...t.firstResponses].sort((a, b) => a - b);
  const hasClock = (target: Target) => targetDuration(target) !== null;
  return {
    name: level.name,
    tickets: t.tickets,
    response: { target: describeTarget(level.response), ...finish(t.response) },
    firstResponse: { medianMs: percentile(sorted, 50), p90Ms: percentile(sorted, 90) },
    update: hasClock(level.update)
      ? {
          target: describeTarget(level.update),
          /** Of the tickets whose update clock ran (from the first response). */
          tickets: t.updateTickets,
          ticketsOnTime: t.updateTickets - t.updateBreachedTickets,
          ticketsLate: t.updateBreachedTickets,
          attainmentPercent:
            t.updateTickets === 0
              ? null
              : Math.round(((t.updateTickets - t.updateBreachedTickets) / t.updateTickets) * 10_000) / 100,
        }
      : null,
    resolution: hasClock(level.resolution)
      ? { target: describeTarget(level.resolution), ...finish(t.resolution) }
      : null,
  };
}

export type MonthlyReport = Awaited<ReturnType<typeof buildReport>>['report'];

export async function buildReport(deps: Deps, customer: CustomerRecord, month: string) {
  const plan: Plan = await planOf(deps, customer.planId);
  const zone = plan.calendar.timeZone;
  const period = monthPeriod(month, zone);
  const now = deps.clock.now();

  // Uptime: incidents of the UTC months the local month spans, for this customer or all.
  const utcMonths = new Set([period.start, period.end - 1].map((t) => localMonth('UTC', t)));
  const incidents = new Map<string, Awaited<ReturnType<typeof deps.incidents.touching>>[number]>();
  for (const m of utcMonths) for (const i of await deps.incidents.touching(m)) incidents.set(i.id, i);
  const affecting = [...incidents.values()].filter(
    (i) => i.customerIds === null || i.customerIds.includes(customer.id),
  );
  const outageOf = (i: (typeof affecting)[number]) => ({
    start: Date.parse(i.startedAt),
    end: i.endedAt ? Date.parse(i.endedAt) : null,
    planned: i.planned,
  });
  const uptime = monthlyUptime(affecting.map(outageOf), period, now, {
    targetPercent: plan.uptimeTarget,
    excludePlannedMaintenance: plan.excludePlannedMaintenance,
    serviceCredits: plan.serviceCredits,
  });

  const byChannel: Record<string, number> = {};
  const perPriority = Object.fromEntries(PRIORITIES.map((p) => [p, priorityTally()])) as Record<
    Priority,
    PriorityTally
  >;
  let updateBreaches = 0;
  const breaches: ReportBreach[] = [];
  let breachesNotListed = 0;
  const calendarOf = (priority: Priority) => businessCalendar(levelCalendar(plan, priority));
  const entries: TimeEntry[] = [];
  const rows: TicketRow[] = [];
  // This month and the three before it, for the learning suggestions (plans that offer them).
  const months = [period];
  while (plan.learningSuggestions && months.length <= PREVIOUS_MONTHS)
    months.push(monthPeriod(previousMonth(months[months.length - 1]!.start, zone), zone));
  const facts: TicketFacts[] = [];

  // Ticket items only: each carries the summary of its clocks and its time (billing-reads.ts).
  // Each month's tickets are judged as that month's report judged them: as of its end.
  const asOf = (m: Period) => Math.min(now, m.end);
  // Tickets written since the earliest of these months began: every one something happened to.
  for await (const { ticket, summary, time } of billingTickets(
    deps,
    customer.id,
    period,
    months.at(-1)!.start,
  )) {
    const created = Date.parse(ticket.createdAt);
    entries.push(...time);
    const monthsAgo = months.findIndex((m) => created >= m.start && created < m.end);
    if (monthsAgo > 0) facts.push(factsOf(ticket, monthsAgo, breachedBy(summary, asOf(months[monthsAgo]!))));
    if (created < period.start) continue; // older tickets count for billing only
    const at = asOf(period);
    if (plan.learningSuggestions) facts.push(factsOf(ticket, 0, breachedBy(summary, at)));
    byChannel[ticket.channel] = (byChannel[ticket.channel] ?? 0) + 1;
    const mine = perPriority[ticket.priority];
    const r = outcomeAt(summary.response, at);
    if (r !== 'no target') mine.response[r]++;
    const res = outcomeAt(summary.resolution, at);
    if (res !== 'no target') mine.resolution[res]++;
    const updates = updateBreachesAt(summary, at);
    updateBreaches += updates;
    mine.tickets++;
    if (summary.respondedAt !== null && summary.respondedAt <= at) mine.updateTickets++;
    if (updates > 0) mine.updateBreachedTickets++;
    const firstResponse = firstResponseBy(summary, at);
    if (firstResponse !== null) mine.firstResponses.push(firstResponse);
    rows.push(rowOf(ticket, firstResponse, r, updates, res));
    for (const b of breachesAt(summary, at)) {
      if (breaches.length >= MAX_REPORT_BREACHES) {
        breachesNotListed++;
        continue;
      }
      breaches.push({
        ticketId: ticket.id,
        subject: ticket.subject,
        priority: ticket.priority,
        clock: b.clock,
        dueAt: iso(b.dueAt),
        lateBusinessSeconds:
          b.lateUntil === null
            ? null
            : Math.round(calendarOf(ticket.priority).elapsed(b.dueAt, b.lateUntil) / 1000),
        url: portalAt(config(), `/#/tickets/${ticket.id}`),
      });
    }
  }

  // The month's totals are the priorities' summed.
  const all = PRIORITIES.map((p) => perPriority[p]);
  const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, perPriority[p].tickets]));
  const response = summed(all.map((t) => t.response));
  const resolution = summed(all.map((t) => t.resolution));
  const firstResponses = all.flatMap((t) => t.firstResponses).sort((a, b) => a - b);
  const median = percentile(firstResponses, 50);
  const p90 = percentile(firstResponses, 90);
  const contract = Contract.parse(customer.contract);
  const bill = billMonth(entries, contract, period, bankUsedBefore(entries, contract, month, zone));
  const extras: Device[] = [];
  if (plan.devicesIncluded !== null) {
    // Devices are listed in registration order from the first one past the allowance.
    let page: string | undefined;
    do {
      const devices = await deps.directory.listDevices(customer.id, 1000, page, plan.devicesIncluded);
      extras.push(...devices.items.filter((d) => isExtraDevice(d, plan.devicesIncluded)));
      page = devices.nextCursor ?? undefined;
    } while (page);
  }

  const budget = errorBudget(uptime);
  const seconds = (ms: number) => Math.round(ms / 1000);
  const core = {
    customerId: customer.id,
    customerName: customer.name,
    planId: plan.id,
    planName: `${plan.vendor} ${plan.name}`,
    month,
    timeZone: zone,
    period: { start: iso(period.start), end: iso(period.end) },
    generatedAt: iso(now),
    uptime: {
      percent: flooredUptime(uptime.downtimeMs, uptime.periodMs, 5),
      targetPercent: uptime.targetPercent,
      met: uptime.met,
      downtimeSeconds: Math.round(uptime.downtimeMs / 1000),
      allowedDowntimeSeconds:
        uptime.allowedDowntimeMs === null ? null : Math.round(uptime.allowedDowntimeMs / 1000),
      serviceCreditPercent: uptime.creditPercent,
      /** Whether the plan owes service credits below some uptime (tiers). */
      hasServiceCredits: plan.serviceCredits.length > 0,
      /** The allowed downtime as a budget: 100 % is all of it (null without an uptime target). */
      budget: budget && {
        allowedSeconds: seconds(budget.allowedMs),
        usedSeconds: seconds(budget.usedMs),
        leftSeconds: seconds(budget.leftMs),
        usedPercent: budget.usedPercent,
        over: budget.over,
      },
      incidents: affecting
        .map((i) => ({
          id: i.id,
          component: i.component,
          startedAt: i.startedAt,
          endedAt: i.endedAt,
          planned: i.planned,
          /** Within this month (an open one: until the report was made). */
          secondsInMonth: seconds(outageWithin(outageOf(i), period, now)),
          /** Planned maintenance the plan excludes does not count against the target. */
          counted: !(i.planned && plan.excludePlannedMaintenance),
        }))
        .filter((i) => i.secondsInMonth > 0)
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
    },
    /** The business hours the clocks counted in, with the priorities that count in each. */
    businessHours: businessHoursOf(plan),
    tickets: { total: rows.length, byPriority, byChannel },
    /** Per priority: its targets in words and how the month's tickets kept them. */
    priorities: Object.fromEntries(PRIORITIES.map((p) => [p, priorityFigures(plan, p, perPriority[p])])),
    /** Every deadline missed, by ticket (the first MAX_REPORT_BREACHES; the rest counted). */
    breaches: breaches.sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
    breachesNotListed,
    clocks: {
      response: {
        ...finish(response),
        byPriority: Object.fromEntries(PRIORITIES.map((p) => [p, finish(perPriority[p].response)])),
      },
      update: { breaches: updateBreaches },
      resolution: finish(resolution),
    },
    firstResponse: {
      responded: firstResponses.length,
      medianBusiness: median === null ? null : formatBusinessMs(median),
      p90Business: p90 === null ? null : formatBusinessMs(p90),
      medianMs: median,
      p90Ms: p90,
    },
    time: {
      loggedMinutes: bill.loggedMinutes,
      billedMinutes: bill.billedMinutes,
      chargeableMinutes: bill.chargeableMinutes,
      freeMinutes: bill.freeMinutes,
      amount: bill.amount,
      currency: bill.currency,
      /** The support-hours bank (contracts with one): included, drawn, left, beyond it. */
      bank: bill.bank,
      lines: bill.lines.map((l) => ({
        ticketId: l.ticketId,
        at: iso(l.at),
        category: l.category,
        minutes: l.minutes,
        billedMinutes: l.billedMinutes,
        bankMinutes: l.bankMinutes,
        chargeable: l.chargeable,
        reason: l.reason,
        amount: l.amount,
      })),
    },
    devices: {
      registered: customer.deviceCount ?? 0,
      included: plan.devicesIncluded,
      extra: extras.map((d) => ({ id: d.id, name: d.name, registeredAt: d.registeredAt })),
    },
    /** Where tickets could be prevented (plans with learningSuggestions), against the three months before. */
    learning: plan.learningSuggestions
      ? {
          comparedWith: months.slice(1).map((m) => localMonth(zone, m.start)),
          suggestions: learningSuggestions(facts),
        }
      : null,
  };
  // The three months before from their stored reports, then this one: oldest first.
  const trend = [...(await previousHeadlines(deps, customer.id, month)), headlineOf(month, core)];
  const report = { ...core, trend };
  return { report, rows };
}

function factsOf(t: TicketRecord, monthsAgo: number, breached: boolean): TicketFacts {
  return {
    monthsAgo,
    category: t.category,
    component: t.component ?? null,
    device: t.device ?? null,
    tags: t.tags ?? [],
    breached,
  };
}

function rowOf(
  t: TicketRecord,
  firstResponse: number | null,
  response: TicketRow['response'],
  updateBreaches: number,
  resolution: TicketRow['resolution'],
): TicketRow {
  return {
    id: t.id,
    subject: t.subject,
    createdAt: t.createdAt,
    priority: t.priority,
    channel: t.channel,
    category: t.category,
    component: t.component ?? null,
    device: t.device ?? null,
    status: t.status,
    firstResponseBusiness: firstResponse === null ? null : formatBusinessMs(firstResponse),
    response,
    updateBreaches,
    resolution,
  };
}

/**
 * A customer's stored report. One whose body was lost (a blob store emptied, a bucket
 * restored) is built again from the tickets and stored, keeping when it was mailed.
 */
export async function readReport(
  deps: Deps,
  customerId: string,
  month: string,
): Promise<Record<string, unknown> | null> {
  const stored = await deps.reports.getStored(customerId, month);
  if (!stored) return null;
  if (stored.report) return stored.report;
  const customer = await deps.directory.getCustomer(customerId);
  if (!customer) return null;
  const { report } = await buildReport(deps, customer, month);
  await deps.reports.put(customerId, month, { report, mailedAt: stored.mailedAt });
  return report;
}

/**
 * Starts a month's run: one unit per customer, queued a page at a time (SQS on AWS, where the
 * report function takes each; in-process locally), so no invocation reports more than a
 * batch. Returns the run as it stands once every unit is queued.
 */
/**
 * Queues a month's report of every customer that existed in it (created by its end, in
 * REPORT_TIME_ZONE). `strict` (a run asked for by hand): only a complete month, and one some
 * customer existed in; any other is a 422 naming `month` (a report of year 9923, or of a month
 * before the customer, would be mailed as if it were true). The scheduled run is never strict.
 */
export async function startMonthlyReports(
  deps: Deps,
  month: string,
  options: { resend?: boolean; strict?: boolean } = {},
): Promise<ReportRun> {
  const zone = config().REPORT_TIME_ZONE;
  const lastComplete = previousMonth(deps.clock.now(), zone);
  if (options.strict && month > lastComplete)
    throw new RuleViolation(
      'month-not-complete',
      `${month} has not ended; the last complete month is ${lastComplete}`,
      'month',
    );
  const queued: string[] = [];
  let first: string | null = null;
  let cursor: string | undefined;
  do {
    const page = await deps.directory.listCustomers(100, cursor);
    for (const c of page.items) {
      const since = localMonth(zone, Date.parse(c.createdAt));
      if (first === null || since < first) first = since;
      if (since <= month) queued.push(c.id);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (options.strict && first !== null && !queued.length)
    throw new RuleViolation(
      'month-before-customers',
      `no customer existed in ${month}; the first month with one is ${first}`,
      'month',
    );
  await deps.reports.startRun(month, iso(deps.clock.now()));
  for (let i = 0; i < queued.length; i += 100) {
    const ids = queued.slice(i, i + 100);
    await deps.reports.addCustomers(month, ids.length, iso(deps.clock.now()));
    await deps.reportQueue.send(
      ids.map((customerId) => ({ customerId, month, resend: options.resend ?? false })),
    );
  }
  return (await deps.reports.getRun(month))!;
}

/** The plan's business hours in words, a line per calendar with the priorities counting in it. */
function businessHoursOf(plan: Plan): { priorities: Priority[]; hours: string }[] {
  const byHours = new Map<string, Priority[]>();
  for (const p of PRIORITIES) {
    const hours = businessCalendar(levelCalendar(plan, p)).describe();
    byHours.set(hours, [...(byHours.get(hours) ?? []), p]);
  }
  return [...byHours].map(([hours, priorities]) => ({ priorities, hours }));
}
