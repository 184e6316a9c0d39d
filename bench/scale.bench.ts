// `npm run bench:scale`: the desk at scale on DynamoDB Local. Loads SCALE_CUSTOMERS customers x
// SCALE_TICKETS tickets each (default 100 x 10 000), opened evenly over the year to December
// 2026, nine in ten answered and resolved, written as their creations write them (BatchWriteItem,
// in parallel: the API would take days), then times what people do at that size: the agents'
// queue (first page, 20 pages deep, filtered by priority), a customer's queue, the search index
// built from the store and a search and a view over it, one sweep, and November's monthly
// reports for every customer through the fan-out. One JSON line per case with the load average.
import '../infra/local/powertools';
import { loadavg } from 'node:os';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Contract } from '../domain/billing';
import type { Plan } from '../domain/plans';
import { documentClient } from '../functions/adapters/aws/dynamodb';
import { newTicketItems } from '../functions/adapters/aws/ticket-store';
import type { VirtualClock } from '../functions/adapters/local/clock';
import { sweep } from '../functions/app/attend';
import { rebuildSearch } from '../functions/app/search';
import { prepareWrite, unwritten } from '../functions/app/ticket-writes';
import { config } from '../functions/config';
import type { CustomerRecord, NewTimelineEntry, TicketRecord } from '../functions/ports';
import { inParallel, novemberRuntime, timedReports } from './load';

const CUSTOMERS = Number(process.env.SCALE_CUSTOMERS ?? 100);
const PER_CUSTOMER = Number(process.env.SCALE_TICKETS ?? 10_000);
// The in-memory search index is built for up to 100 000 tickets (README: Search); SCALE_SEARCH=0
// leaves it out of a larger run, and says so.
const SEARCH = process.env.SCALE_SEARCH !== '0';
const YEAR_START = Date.parse('2025-12-01T00:00:00Z');
const YEAR_END = Date.parse('2026-12-01T00:00:00Z');
const iso = (t: number) => new Date(t).toISOString();
const print = (fields: object) =>
  console.log(JSON.stringify({ ...fields, loadAverage1m: Number(loadavg()[0]!.toFixed(2)) }));

/** Ticket `i` of a customer: answered within 90 minutes, nine in ten resolved an hour later. */
function scaleTicket(customer: CustomerRecord, plan: Plan, i: number, created: number) {
  const base: TicketRecord = {
    id: `TKT-${customer.id.slice(4)}-${i}`,
    customerId: customer.id,
    planId: plan.id,
    planVersion: plan.version,
    subject: `Kiosk ${i % 97} screen ${['black', 'frozen', 'flickering', 'offline'][i % 4]}`,
    description: `Store ${i % 31}: the screen went ${['black', 'dark', 'blank'][i % 3]} after the update.`,
    priority: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4]!,
    category: i % 3 === 0 ? 'bug' : 'advice',
    component: null,
    device: null,
    channel: 'form',
    requesterEmail: customer.contacts[0]!.email,
    externalRef: null,
    status: 'new',
    assignee: null,
    assigneeName: null,
    assigneeId: null,
    createdAt: iso(created),
    updatedAt: iso(created),
    ...unwritten(),
  };
  const reply = created + (i % 7) * 15 * 60_000;
  const entries: NewTimelineEntry[] = [
    {
      type: 'created',
      at: iso(created),
      actor: null,
      priority: base.priority,
      category: base.category,
      channel: 'form',
    },
    {
      type: 'message',
      at: iso(reply),
      actor: null,
      author: 'agent',
      internal: false,
      body: 'On it: restarting the player.',
    },
    { type: 'status', at: iso(reply), actor: null, from: 'new', to: 'open' },
    { type: 'time-entry', at: iso(reply), actor: null, minutes: 10 + (i % 50), note: null },
  ];
  const done = i % 10 !== 0;
  if (done)
    entries.push({ type: 'status', at: iso(reply + 3_600_000), actor: null, from: 'open', to: 'resolved' });
  const last = done ? reply + 3_600_000 : reply;
  return prepareWrite(base, 0, plan, [], entries, Math.min(last, YEAR_END - 1));
}

/** The median and the worst of `runs` timings of `work`, in ms. */
async function timed(runs: number, work: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    await work();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: Math.round(ms[Math.floor(ms.length / 2)]!), worstMs: Math.round(ms.at(-1)!) };
}

const runtime = await novemberRuntime();
try {
  const { deps } = runtime;
  const cfg = config();
  const db = documentClient(cfg);
  const plan = (await deps.directory.getPlan('ombori-production'))!;
  const customers: CustomerRecord[] = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    const customer: CustomerRecord = {
      id: `CUS-S${String(c).padStart(6, '0')}`,
      name: `Scale ${c}`,
      planId: plan.id,
      contacts: [{ email: `ops@s${c}.test`, name: 'Ops', mayOpenTickets: true }],
      contract: Contract.parse({ hourlyRate: 100 }),
      createdAt: iso(YEAR_START),
      version: 1,
    };
    await deps.directory.createCustomer(customer);
    customers.push(customer);
  }

  // Tickets in creation order across customers, 5 (or 6) items each, 25 items to a batch.
  const total = CUSTOMERS * PER_CUSTOMER;
  const spacing = Math.floor((YEAR_END - YEAR_START - 7_200_000) / PER_CUSTOMER);
  const loadStarted = performance.now();
  const BATCH_TICKETS = 4;
  await inParallel(Math.ceil(total / BATCH_TICKETS), 8, async (b) => {
    const items = [];
    for (let n = b * BATCH_TICKETS; n < Math.min(total, (b + 1) * BATCH_TICKETS); n++) {
      const i = Math.floor(n / CUSTOMERS);
      const write = scaleTicket(
        customers[n % CUSTOMERS]!,
        plan,
        i,
        YEAR_START + i * spacing + (n % CUSTOMERS) * 1000,
      );
      items.push(...newTicketItems(write.record, write.timeline));
    }
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    while (requests.length) {
      const { UnprocessedItems } = await db.send(
        new BatchWriteCommand({ RequestItems: { [cfg.TICKETS_TABLE]: requests } }),
      );
      requests = (UnprocessedItems?.[cfg.TICKETS_TABLE] ?? []) as typeof requests;
    }
  });
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  print({
    case: 'load',
    customers: CUSTOMERS,
    ticketsPerCustomer: PER_CUSTOMER,
    tickets: total,
    seconds: Math.round(loadSeconds),
    ticketsPerSecond: Math.round(total / loadSeconds),
  });

  (runtime.clock as VirtualClock).set(Date.parse('2026-12-01T00:10:00Z'));
  const staff = { authorization: `Bearer ${runtime.adminKey}` };
  const get = (path: string) =>
    fetch(`${runtime.url}${path}`, { headers: staff }).then(async (r) => {
      if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r.json() as Promise<{ items: unknown[]; nextCursor: string | null }>;
    });
  print({
    case: 'the queue, first page of 25',
    ...(await timed(5, () => get('/tickets?sort=deadline&limit=25'))),
  });
  print({
    case: 'the queue, 20 pages of 25',
    ...(await timed(1, async () => {
      let cursor: string | null = null;
      for (let p = 0; p < 20; p++) {
        const page = await get(`/tickets?sort=deadline&limit=25${cursor ? `&cursor=${cursor}` : ''}`);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
    })),
  });
  print({
    case: 'the queue filtered to P1, first page',
    ...(await timed(5, () => get('/tickets?sort=deadline&priority=P1&limit=25'))),
  });
  print({
    case: 'a customer’s queue, first page',
    ...(await timed(5, () => get(`/tickets?sort=deadline&customerId=${customers[7]!.id}&limit=25`))),
  });
  print({
    case: 'all tickets, newest first, first page',
    ...(await timed(5, () => get('/tickets?limit=25'))),
  });

  if (SEARCH) {
    const indexStarted = performance.now();
    const indexed = await rebuildSearch(deps);
    print({
      case: 'search index built from the store',
      tickets: indexed,
      seconds: Math.round((performance.now() - indexStarted) / 1000),
      heapMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    });
    print({
      case: 'a search ("frozen kiosk")',
      ...(await timed(5, () => get('/search/tickets?q=frozen%20kiosk&limit=25'))),
    });
    const view = await fetch(`${runtime.url}/views`, {
      method: 'POST',
      headers: { ...staff, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Open P1',
        scope: 'everyone',
        filter: { statuses: ['open'], priorities: ['P1'] },
        sort: { field: 'due', direction: 'asc' },
      }),
    }).then(async (r) => {
      if (r.status !== 201) throw new Error(`the view: ${r.status} ${await r.text()}`);
      return r.json() as Promise<{ id: string }>;
    });
    print({
      case: 'a view (open P1)',
      ...(await timed(5, () => get(`/search/tickets?view=${view.id}&limit=25`))),
    });
  } else
    print({
      case: 'search and views',
      skipped: 'SCALE_SEARCH=0 (the in-memory index holds up to 100 000 tickets)',
    });

  // One sweep as the sweeper function runs it: what its writes publish (mail, webhooks, the
  // search index) is the stream's functions' work on AWS, so it is left out here.
  const published = deps.tickets;
  deps.tickets = Object.getPrototypeOf(published) as typeof published;
  let result: Awaited<ReturnType<typeof sweep>> = null;
  const alone = await timed(1, async () => {
    result = await sweep(deps);
  });
  print({ case: 'one sweep (up to 200 tickets), its publishing elsewhere', ...alone, result });
  deps.tickets = published;

  const reports = await timedReports(deps, '2026-11', { resend: true });
  print({
    case: 'November’s reports, every customer (the fan-out, units in turn in-process)',
    customers: reports.run.customers,
    done: reports.run.done,
    failed: reports.run.failed,
    totalSeconds: Math.round(reports.seconds * 10) / 10,
    longestUnitMs: reports.longestUnitMs,
    medianUnitMs: reports.medianUnitMs,
  });
  db.destroy();
} finally {
  await runtime.stop();
}
