// Tickets for the benches, written straight through the store (the API would take minutes to
// open them): each answered after a while, with a time entry, its clocks summarised as any
// write does.
import type { Plan } from '../domain/plans';
import { InProcessReportQueue } from '../functions/adapters/local/report-queue';
import { reportUnit, UNIT_ATTEMPTS } from '../functions/app/report-units';
import { startMonthlyReports } from '../functions/app/reports';
import { prepareWrite, unwritten } from '../functions/app/ticket-writes';
import type { Deps, NewTimelineEntry, TicketRecord, TicketStore } from '../functions/ports';
import { type LocalRuntime, startLocalRuntime } from '../infra/local/runtime';

const iso = (t: number) => new Date(t).toISOString();

/** Ticket `i` of a customer, opened at `created`, answered by an agent up to 90 minutes later. */
export function benchTicket(customerId: string, requester: string, plan: Plan, i: number, created: number) {
  const base: TicketRecord = {
    // Unique per customer and number (a customer id is unique already).
    id: `TKT-${customerId.slice(4)}-${i}`,
    customerId,
    planId: plan.id,
    planVersion: plan.version,
    subject: `Bench ticket ${i}`,
    description: 'generated',
    priority: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4]!,
    category: i % 3 === 0 ? 'bug' : 'advice',
    channel: 'form',
    requesterEmail: requester,
    status: 'new',
    assignee: null,
    createdAt: iso(created),
    updatedAt: iso(created),
    ...unwritten(),
  };
  const reply = created + (i % 7) * 15 * 60_000;
  const entries: NewTimelineEntry[] = [
    { type: 'created', at: iso(created), actor: null, priority: base.priority, channel: 'form' },
    { type: 'message', at: iso(reply), actor: null, author: 'agent', internal: false, body: 'On it' },
    { type: 'status', at: iso(reply), actor: null, from: 'new', to: 'open' },
    { type: 'time-entry', at: iso(reply), actor: null, minutes: 10 + (i % 50), note: null },
  ];
  return prepareWrite(base, 0, plan, [], entries, reply);
}

/** Runs `count` writes, `concurrency` at a time. */
export async function inParallel(count: number, concurrency: number, write: (i: number) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await write(i);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Writes ticket `i` of a customer through the store. */
export async function storeBenchTicket(
  store: TicketStore,
  customerId: string,
  requester: string,
  plan: Plan,
  i: number,
  created: number,
) {
  const write = benchTicket(customerId, requester, plan, i, created);
  await store.create(write.record, write.entries);
}

/** An in-memory runtime on the virtual clock, at the start of November 2026. */
export const novemberRuntime = () =>
  startLocalRuntime({
    port: 0,
    smtpPort: 0,
    dataDir: null,
    clock: 'virtual',
    clockStart: Date.parse('2026-11-01T08:00:00Z'),
  });

/** The runtime's ticket store itself: what it publishes after a write (mail, webhooks) is not measured. */
export const storeOf = (runtime: LocalRuntime) => Object.getPrototypeOf(runtime.deps.tickets) as TicketStore;

/** A month's reports for every customer through the fan-out, each unit timed (in turn, in-process). */
export async function timedReports(deps: Deps, month: string, options: { resend?: boolean } = {}) {
  const units: number[] = [];
  deps.reportQueue = new InProcessReportQueue(async (unit, last) => {
    const started = performance.now();
    await reportUnit(deps, unit, last);
    units.push(performance.now() - started);
  }, UNIT_ATTEMPTS);
  const started = performance.now();
  const run = await startMonthlyReports(deps, month, options);
  const seconds = (performance.now() - started) / 1000;
  units.sort((a, b) => a - b);
  return {
    run,
    seconds,
    longestUnitMs: Math.round(units.at(-1) ?? 0),
    medianUnitMs: Math.round(units[Math.floor(units.length / 2)] ?? 0),
  };
}
