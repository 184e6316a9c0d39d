// `npm run bench:fanout`: a monthly report run over many customers (default 2 000 customers x
// 50 tickets, BENCH_CUSTOMERS and BENCH_TICKETS_PER_CUSTOMER to change), as the fan-out runs
// it: one unit per customer. Locally the units run one after another in-process, so the total is
// their sum; on AWS they run side by side, five to an invocation, and what bounds an invocation
// is its longest units. Prints the total, the longest unit and the median.
import '../infra/local/powertools';
import { Contract } from '../domain/billing';
import type { VirtualClock } from '../functions/adapters/local/clock';
import type { CustomerRecord } from '../functions/ports';
import { inParallel, novemberRuntime, storeBenchTicket, storeOf, timedReports } from './load';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 2_000);
const PER_CUSTOMER = Number(process.env.BENCH_TICKETS_PER_CUSTOMER ?? 50);
const CONCURRENCY = 16;

const runtime = await novemberRuntime();
try {
  const { deps } = runtime;
  const store = storeOf(runtime);
  const plan = (await deps.directory.getPlan('ombori-production'))!;
  const monthStart = Date.parse('2026-11-01T00:00:00Z');
  const loadStarted = performance.now();
  const customers: CustomerRecord[] = [];
  await inParallel(CUSTOMERS, CONCURRENCY, async (c) => {
    const customer: CustomerRecord = {
      id: `CUS-F${String(c).padStart(9, '0')}`,
      name: `Fan-out ${c}`,
      planId: plan.id,
      contacts: [{ email: `ops@c${c}.test`, name: 'Ops', mayOpenTickets: true }],
      contract: Contract.parse({ hourlyRate: 100 }),
      createdAt: new Date(monthStart).toISOString(),
      version: 1,
    };
    await deps.directory.createCustomer(customer);
    customers.push(customer);
  });
  const spacing = Math.floor((29 * 86_400_000) / PER_CUSTOMER);
  await inParallel(CUSTOMERS * PER_CUSTOMER, CONCURRENCY, (n) => {
    const customer = customers[Math.floor(n / PER_CUSTOMER)]!;
    const i = n % PER_CUSTOMER;
    return storeBenchTicket(
      store,
      customer.id,
      customer.contacts[0]!.email,
      plan,
      i,
      monthStart + 3_600_000 + i * spacing,
    );
  });
  const loadSeconds = (performance.now() - loadStarted) / 1000;

  (runtime.clock as VirtualClock).set(Date.parse('2026-12-01T00:10:00Z'));
  const { run, seconds, longestUnitMs, medianUnitMs } = await timedReports(deps, '2026-11');
  console.log(
    JSON.stringify({
      case: 'report-fan-out',
      customers: run.customers,
      ticketsPerCustomer: PER_CUSTOMER,
      done: run.done,
      failed: run.failed,
      totalSeconds: Math.round(seconds * 10) / 10,
      longestUnitMs,
      medianUnitMs,
      loadSeconds: Math.round(loadSeconds),
    }),
  );
} finally {
  await runtime.stop();
}
