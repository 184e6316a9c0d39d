// `npm run bench:report`: how long one customer's monthly report takes locally with 10 000
// tickets in the month (DynamoDB Local, in memory), against the floor: a plain paged query of
// the same ticket items from the same DynamoDB Local (target: the report within 2x of it).
// Tickets are written through the store (the API would take minutes to open them); each has a
// response and a time entry.

import '../infra/local/powertools';
import type { VirtualClock } from '../functions/adapters/local/clock';
import { startMonthlyReports } from '../functions/app/reports';
import { inParallel, novemberRuntime, storeBenchTicket, storeOf } from './load';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000);
const CONCURRENCY = 16;

const runtime = await novemberRuntime();
try {
  const { deps } = runtime;
  const store = storeOf(runtime);
  const clock = runtime.clock as VirtualClock;
  const admin = { authorization: `Bearer ${runtime.adminKey}`, 'content-type': 'application/json' };
  const customer = (await (
    await fetch(`${runtime.url}/customers`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        name: 'Bench AB',
        planId: 'ombori-enterprise',
        contacts: [{ email: 'bench@example.test', name: 'B' }],
        contract: { hourlyRate: 100 },
      }),
    })
  ).json()) as { id: string };
  const plan = (await deps.directory.getPlan('ombori-enterprise'))!;
  const monthStart = Date.parse('2026-11-01T00:00:00Z');
  const spacing = Math.floor((29 * 86_400_000) / TICKETS);

  const loadStarted = performance.now();
  await inParallel(TICKETS, CONCURRENCY, (i) =>
    storeBenchTicket(store, customer.id, 'bench@example.test', plan, i, monthStart + 3_600_000 + i * spacing),
  );
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  clock.set(Date.parse('2026-12-01T00:10:00Z'));
  // The floor: the same items (written since the month began, as billing reads), paged, nothing else.
  const floorStarted = performance.now();
  let items = 0;
  let cursor: string | undefined;
  do {
    const page = await store.listActive(
      customer.id,
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
      100,
      cursor,
    );
    items += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const floorSeconds = (performance.now() - floorStarted) / 1000;
  const started = performance.now();
  const result = await startMonthlyReports(deps, '2026-11');
  const seconds = (performance.now() - started) / 1000;
  const report = (await deps.reports.getStored(customer.id, '2026-11'))?.report as {
    tickets: { total: number };
    time: { chargeableMinutes: number };
  };
  console.log(
    JSON.stringify({
      case: 'monthly-report',
      tickets: report.tickets.total,
      reportSeconds: Math.round(seconds * 10) / 10,
      floorSeconds: Math.round(floorSeconds * 10) / 10,
      floorItems: items,
      timesFloor: Math.round((seconds / floorSeconds) * 10) / 10,
      target: 2,
      met: seconds <= 2 * floorSeconds,
      ticketsPerSecond: Math.round(report.tickets.total / seconds),
      customers: result.customers,
      mailed: result.mailed,
      loadSeconds: Math.round(loadSeconds * 10) / 10,
      heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
    }),
  );
} finally {
  await runtime.stop();
}
