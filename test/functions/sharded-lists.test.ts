// The ticket lists over sharded indexes, against DynamoDB Local: the queue (DUE#0..15) and the
// newest-first lists (TICKET#0..15, <status>#0..15) merged from every shard are the whole list
// in order, page after page, each ticket once; filtered lists return full pages (or stop at the
// examination budget with a cursor that goes on); a cursor of another list or shard count is
// refused; tickets stored with other keys (unsharded, another shard count) are moved.
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { shardKey, shardOf } from '../../domain/shards';
import { documentClient } from '../../functions/adapters/aws/dynamodb';
import { rekeyTickets } from '../../functions/adapters/aws/ticket-rekey';
import { DynamoTicketStore } from '../../functions/adapters/aws/ticket-store';
import { unwritten } from '../../functions/app/ticket-writes';
import { config } from '../../functions/config';
import type { TicketQuery, TicketRecord } from '../../functions/ports';
import { harness } from './harness';

const N = 240;
let store: DynamoTicketStore;
let table: string;
const db = () => documentClient(config());

/** A ticket as a write stores it; due times collide on purpose (the id breaks the tie). */
function ticket(i: number): TicketRecord {
  const at = new Date(Date.parse('2026-11-02T08:00:00Z') + i * 60_000).toISOString();
  const due =
    i % 5 === 4 ? null : new Date(Date.parse('2026-11-20T08:00:00Z') + (i % 37) * 600_000).toISOString();
  return {
    ...unwritten(),
    id: `TKT-${String(i).padStart(4, '0')}X${(i * 7919).toString(36).toUpperCase()}`,
    customerId: i % 3 === 0 ? 'CUS-B' : 'CUS-A',
    planId: 'ombori-enterprise',
    planVersion: 1,
    subject: `Ticket ${i}`,
    description: 'd',
    priority: i % 10 === 0 ? 'P1' : 'P3',
    category: null,
    component: null,
    device: null,
    channel: 'api',
    requesterEmail: 'ops@acme.test',
    externalRef: null,
    status: i % 4 === 0 ? 'open' : 'new',
    assignee: null,
    assigneeName: null,
    assigneeId: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    timelineLength: 0,
    nextBreachAt: due,
  } as TicketRecord;
}
const all = Array.from({ length: N }, (_, i) => ticket(i));

async function pages(query: TicketQuery, limit: number, s = store) {
  const seen: TicketRecord[][] = [];
  let cursor: string | undefined;
  do {
    const page = await s.list(query, limit, cursor);
    seen.push(page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && seen.length < 500);
  return seen;
}

const dueOrder = (a: TicketRecord, b: TicketRecord) => {
  const [x, y] = [`${a.nextBreachAt}#${a.id}`, `${b.nextBreachAt}#${b.id}`];
  return x < y ? -1 : x > y ? 1 : 0;
};
const newestFirst = (a: TicketRecord, b: TicketRecord) => (a.createdAt < b.createdAt ? 1 : -1);
const ids = (ts: TicketRecord[]) => ts.map((t) => t.id);

beforeAll(async () => {
  await harness();
  table = config().TICKETS_TABLE;
  store = new DynamoTicketStore(db(), table);
  for (let i = 0; i < N; i += 20) await Promise.all(all.slice(i, i + 20).map((t) => store.create(t, [])));
}, 60_000);

describe('sharded lists', () => {
  it('spreads the queue over the shards', () => {
    const used = new Set(all.map((t) => shardOf(t.id)));
    expect(used.size).toBe(16);
  });

  it.each([3, 7, 25, 100])(
    'reads the queue soonest due first, each ticket once, %d at a time',
    async (limit) => {
      const got = await pages({ byDeadline: true }, limit);
      for (const page of got.slice(0, -1)) expect(page).toHaveLength(limit);
      expect(ids(got.flat())).toEqual(ids(all.filter((t) => t.nextBreachAt).sort(dueOrder)));
    },
  );

  it('reads all tickets and a status newest first', async () => {
    expect(ids((await pages({}, 30)).flat())).toEqual(ids([...all].sort(newestFirst)));
    const open = await pages({ status: 'open' }, 9);
    for (const page of open.slice(0, -1)) expect(page).toHaveLength(9);
    expect(ids(open.flat())).toEqual(ids(all.filter((t) => t.status === 'open').sort(newestFirst)));
  });

  it('returns full pages of a queue filtered by customer, priority or status', async () => {
    const cases: [TicketQuery, (t: TicketRecord) => boolean][] = [
      [{ byDeadline: true, customerId: 'CUS-B' }, (t) => t.customerId === 'CUS-B'],
      [{ byDeadline: true, priority: 'P1' }, (t) => t.priority === 'P1'],
      [
        { byDeadline: true, status: 'open', customerId: 'CUS-A' },
        (t) => t.status === 'open' && t.customerId === 'CUS-A',
      ],
      [{ priority: 'P1' }, (t) => t.priority === 'P1'],
    ];
    for (const [query, keep] of cases) {
      const got = await pages(query, 4);
      for (const page of got.slice(0, -1)) expect(page).toHaveLength(4);
      const want = all.filter((t) => keep(t) && (!query.byDeadline || t.nextBreachAt));
      expect(ids(got.flat())).toEqual(ids(want.sort(query.byDeadline ? dueOrder : newestFirst)));
    }
  });

  it('stops a page at the examination budget with a cursor that goes on, never losing a ticket', async () => {
    const frugal = new DynamoTicketStore(db(), table, 40);
    const got = await pages({ byDeadline: true, priority: 'P1' }, 10, frugal);
    expect(got.length).toBeGreaterThan(2); // short pages, each with a cursor
    const want = all.filter((t) => t.priority === 'P1' && t.nextBreachAt).sort(dueOrder);
    expect(ids(got.flat())).toEqual(ids(want));
  });

  it('refuses a cursor of another list, another shard count or a made-up shape', async () => {
    const { nextCursor } = await store.list({ byDeadline: true }, 5);
    await expect(store.list({}, 5, nextCursor!)).rejects.toThrow('cursor');
    const decoded = JSON.parse(Buffer.from(nextCursor!, 'base64url').toString());
    const other = { ...decoded, shards: 32, positions: [...decoded.positions, ...decoded.positions] };
    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    await expect(store.list({ byDeadline: true }, 5, encode(other))).rejects.toThrow('cursor');
    const bad = { ...decoded, positions: decoded.positions.map(() => ({ after: 7 })) };
    await expect(store.list({ byDeadline: true }, 5, encode(bad))).rejects.toThrow('cursor');
    await expect(store.list({ byDeadline: true }, 5, 'not-a-cursor')).rejects.toThrow('cursor');
  });

  it('moves tickets stored with other keys (unsharded, or 4 shards) to today’s', async () => {
    const moved = [ticket(N), ticket(N + 1)];
    const oldKeys = [
      { allKey: 'TICKET', statusKey: 'new', deadlinePartition: 'DUE' },
      {
        allKey: shardKey('TICKET', shardOf(moved[1]!.id, 4)),
        statusKey: shardKey('new', shardOf(moved[1]!.id, 4)),
        deadlinePartition: shardKey('DUE', shardOf(moved[1]!.id, 4)),
      },
    ];
    for (const [i, t] of moved.entries()) {
      const item = {
        pk: `TICKET#${t.id}`,
        sk: 'TICKET',
        ...t,
        status: 'new',
        customerKey: t.customerId,
        createdKey: `${t.createdAt}#${t.id}`,
        deadlineKey: `${t.nextBreachAt}#${t.id}`,
        ...oldKeys[i],
      };
      await db().send(new PutCommand({ TableName: table, Item: item }));
    }
    const listed = async () => ids((await pages({ byDeadline: true }, 100)).flat());
    expect(await listed()).not.toContain(moved[0]!.id);
    expect(await rekeyTickets(db(), table)).toBe(2);
    // Once per key design: the next start reads the table's record of it, and scans nothing.
    const again = db();
    const sent: string[] = [];
    const send = again.send.bind(again);
    again.send = ((command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      return send(command as never);
    }) as typeof again.send;
    expect(await rekeyTickets(again, table)).toBe(0);
    expect(sent).toEqual(['GetCommand']);
    const after = await listed();
    for (const t of moved) expect(after).toContain(t.id);
    for (const t of moved)
      await db().send(
        new DeleteItemCommand({
          TableName: table,
          Key: { pk: { S: `TICKET#${t.id}` }, sk: { S: 'TICKET' } },
        }),
      );
  });
});
