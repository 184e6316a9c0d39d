// What each route costs on the request path: DynamoDB calls by command and schedules created or
// deleted, counted through the real handlers against DynamoDB Local. Publishing (mail, webhooks)
// follows the write off the request path, as the tickets stream does on AWS, so it is not
// counted here. README's "Calls per route" lists these figures.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishing } from '../../functions/adapters/local/publishing-tickets';
import type { LocalScheduler } from '../../functions/adapters/local/scheduler';
import { publish } from '../../functions/app/outbound';
import { config } from '../../functions/config';
import type { TicketStore } from '../../functions/ports';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;
let customer: { id: string; key: string };
const counts = new Map<string, number>();
const add = (name: string, n = 1) => counts.set(name, (counts.get(name) ?? 0) + n);
// The local scheduler (and job queue) keep their items in DynamoDB Local's schedules table: those
// calls are EventBridge Scheduler's (and SQS's) on AWS, not the store's, and are not counted. A
// creation's schedules are written beside its transaction, so they are told apart by table.

beforeAll(async () => {
  h = await harness('2026-11-23T08:00:00Z');
  agent = await h.key('agent');
  customer = await h.customer('ombori-enterprise');
  // A key's use is written once a minute at most (its lastUsedAt): the keys are used once here,
  // so that the counts below are the routes' own.
  for (const key of [agent, customer.key]) await h.call('GET', '/plans', { key });
  // As on AWS: the stream publishes after the request; here, nothing does.
  h.deps.tickets = Object.getPrototypeOf(h.deps.tickets) as TicketStore;
  const send = DynamoDBDocumentClient.prototype.send;
  vi.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (
    this: DynamoDBDocumentClient,
    command: { constructor: { name: string }; input: { TableName?: string } },
    ...rest: unknown[]
  ) {
    if (command.input.TableName !== config().SCHEDULES_TABLE) add(command.constructor.name);
    return (send as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
  } as never);
  const scheduler = h.deps.scheduler as LocalScheduler;
  const schedule = scheduler.schedule.bind(scheduler);
  const cancel = scheduler.cancel.bind(scheduler);
  const counted =
    (name: string, call: typeof schedule): typeof schedule =>
    async (id, deadlines) => {
      add(name, deadlines.length);
      await call(id, deadlines);
    };
  scheduler.schedule = counted('schedule create', schedule);
  scheduler.cancel = counted('schedule delete', cancel);
});

afterAll(() => {
  vi.restoreAllMocks();
});

/** The calls one request makes, by name (the API key's lookup and session reads included). */
async function callsOf(method: string, url: string, key: string, body?: unknown) {
  counts.clear();
  const res = await h.call(method, url, { key, ...(body === undefined ? {} : { body }) });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return { res, calls: Object.fromEntries([...counts].sort()) };
}

const writes = (calls: Record<string, number>) =>
  Object.entries(calls).filter(([name]) => /Transact|Put|Update|Delete|BatchWrite/.test(name));

describe('calls per route', () => {
  let ticketId: string;

  it('creation: one transaction and the first response’s two schedules, nothing else written', async () => {
    const { res, calls } = await callsOf('POST', '/tickets', customer.key, {
      subject: 'Screen 4 black',
      description: 'x',
      priority: 'P2',
    });
    ticketId = res.body.id;
    expect(writes(calls)).toEqual([['TransactWriteCommand', 1]]);
    expect(calls['schedule create']).toBe(2);
    expect(calls['schedule delete'] ?? 0).toBe(0);
    console.log(JSON.stringify({ route: 'POST /tickets', calls }));
  });

  it.each([
    ['POST', 'messages', { body: 'On it.' }, 2, 2],
    ['PATCH', '', { priority: 'P1' }, 2, 2],
    ['POST', 'time-entries', { minutes: 30 }, 0, 0],
    ['POST', 'status', { status: 'resolved' }, 0, 2],
  ] as const)(
    '%s /tickets/{id}/%s: one transaction, %d schedules created, %d deleted',
    async (method, path, body, created, deleted) => {
      const { calls } = await callsOf(method, `/tickets/${ticketId}${path ? `/${path}` : ''}`, agent, body);
      expect(writes(calls)).toEqual([['TransactWriteCommand', 1]]);
      expect(calls['schedule create'] ?? 0).toBe(created);
      expect(calls['schedule delete'] ?? 0).toBe(deleted);
      console.log(JSON.stringify({ route: `${method} /tickets/{id}${path ? `/${path}` : ''}`, calls }));
    },
  );

  it('creation with its publishing (mail, webhooks, live): the ticket written once, its mail marked on its own entry', async () => {
    h.deps.tickets = publishing(h.deps.tickets, (ticket, entries) => publish(h.deps, ticket, entries));
    try {
      await callsOf('POST', '/tickets', customer.key, {
        subject: 'Warm-up',
        description: 'x',
        priority: 'P3',
      });
      const before = h.outbox.list().length;
      const { calls } = await callsOf('POST', '/tickets', customer.key, {
        subject: 'Screen 5 black',
        description: 'x',
        priority: 'P2',
      });
      expect(h.outbox.list()).toHaveLength(before + 1); // the acknowledgement went out
      // No re-read of the ticket, no second transaction: the mail's entry is marked sent by itself,
      // and the customer's webhooks come from the publisher's cache (read by the warm-up).
      expect(writes(calls)).toEqual([
        ['TransactWriteCommand', 1],
        ['UpdateCommand', 1],
      ]);
      expect(calls.QueryCommand ?? 0).toBe(0);
      console.log(JSON.stringify({ route: 'POST /tickets, published', calls }));
    } finally {
      h.deps.tickets = Object.getPrototypeOf(h.deps.tickets) as TicketStore;
    }
  });

  it('reads write nothing', async () => {
    for (const url of [`/tickets/${ticketId}`, '/tickets?sort=deadline', `/tickets/${ticketId}/explain`]) {
      const { calls } = await callsOf('GET', url, agent);
      expect(writes(calls)).toEqual([]);
      expect(calls['schedule create'] ?? 0).toBe(0);
      console.log(JSON.stringify({ route: `GET ${url.replace(ticketId, '{id}')}`, calls }));
    }
  });
});
