// Races: concurrent retries of one POST /tickets, concurrent PATCHes of one ticket.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;
let customer: { id: string; key: string };

beforeAll(async () => {
  h = await harness();
  agent = await h.key('agent');
  customer = await h.customer('sourcegraph-premium-24x7');
});

const ticket = { subject: 'Search is slow', description: 'p99 over 10 s', priority: 'P2' };

describe('Idempotency-Key on POST /tickets', () => {
  it('makes one ticket out of ten concurrent retries and answers each with it', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.call('POST', '/tickets', {
          key: customer.key,
          body: ticket,
          headers: { 'idempotency-key': 'retry-1' },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    const listed = await h.call('GET', `/tickets?customerId=${customer.id}&limit=100`, { key: agent });
    expect(listed.body.items.filter((t: { subject: string }) => t.subject === ticket.subject)).toHaveLength(
      1,
    );
    // Each attempt scheduled its deadline events beside its write; the nine that lost had theirs
    // deleted: only the ticket's own response and update events are left.
    const events = await h.scheduler.due(Date.parse('2100-01-01T00:00:00Z'), 100);
    const [id] = [...ids] as string[];
    expect(events.map((e) => e.input.ticketId)).toEqual([id, id]);
  });

  it('refuses the same key for a different request, and scopes keys to their caller', async () => {
    const first = await h.call('POST', '/tickets', {
      key: customer.key,
      body: ticket,
      headers: { 'idempotency-key': 'k2' },
    });
    const other = await h.call('POST', '/tickets', {
      key: customer.key,
      body: { ...ticket, priority: 'P1' },
      headers: { 'idempotency-key': 'k2' },
    });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({
      code: 'idempotency-key-reused',
      details: [{ field: 'Idempotency-Key', in: 'header' }],
    });
    const secondKey = await h.key('customer', customer.id);
    const byOther = await h.call('POST', '/tickets', {
      key: secondKey,
      body: ticket,
      headers: { 'idempotency-key': 'k2' },
    });
    expect(byOther.status).toBe(201);
    expect(byOther.body.id).not.toBe(first.body.id);
  });

  it("forgets a key after 24 hours, even before DynamoDB's TTL has deleted the claim", async () => {
    const first = await h.call('POST', '/tickets', {
      key: customer.key,
      body: ticket,
      headers: { 'idempotency-key': 'daily' },
    });
    h.clock.set(h.clock.now() + 23 * 3_600_000);
    const replay = await h.call('POST', '/tickets', {
      key: customer.key,
      body: ticket,
      headers: { 'idempotency-key': 'daily' },
    });
    expect(replay.body.id).toBe(first.body.id);
    h.clock.set(h.clock.now() + 2 * 3_600_000);
    const fresh = await h.call('POST', '/tickets', {
      key: customer.key,
      body: ticket,
      headers: { 'idempotency-key': 'daily' },
    });
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(first.body.id);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
  });

  it('makes a new ticket for every request without a key', async () => {
    const [a, b] = await Promise.all(
      [1, 2].map(() => h.call('POST', '/tickets', { key: customer.key, body: ticket })),
    );
    expect(a!.body.id).not.toBe(b!.body.id);
  });
});

describe('concurrent changes to one ticket', () => {
  it('lets exactly one of several PATCHes pinned to the same version win; the rest get 409', async () => {
    const opened = await h.call('POST', '/tickets', { key: customer.key, body: ticket });
    const id = opened.body.id;
    const assignees = [];
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f'])
      assignees.push((await h.person('agent', `Agent ${n}`)).id);
    const responses = await Promise.all(
      assignees.map((assigneeId) =>
        h.call('PATCH', `/tickets/${id}`, {
          key: agent,
          body: { assigneeId },
          headers: { 'if-match': opened.headers.etag! },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
    const winner = responses.find((r) => r.status === 200)!.body.assignee;
    const stored = await h.call('GET', `/tickets/${id}`, { key: agent });
    expect(stored.body).toMatchObject({ assignee: winner, version: opened.body.version + 1 });
    expect(stored.body.timeline.filter((e: { type: string }) => e.type === 'assignee')).toHaveLength(1);
  });

  it('applies every unpinned concurrent change exactly once, each on its own version', async () => {
    const opened = await h.call('POST', '/tickets', { key: customer.key, body: ticket });
    const id = opened.body.id;
    const responses = await Promise.all(
      [15, 30, 45, 60].map((minutes) =>
        h.call('POST', `/tickets/${id}/time-entries`, { key: agent, body: { minutes } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const stored = await h.call('GET', `/tickets/${id}`, { key: agent });
    expect(stored.body.version).toBe(opened.body.version + 4);
    const logged = stored.body.timeline
      .filter((e: { type: string }) => e.type === 'time-entry')
      .map((e: { minutes: number }) => e.minutes);
    expect(logged.sort((a: number, b: number) => a - b)).toEqual([15, 30, 45, 60]);
    const seqs = stored.body.timeline.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});

describe('concurrent device registrations', () => {
  it('registers every one of 100 concurrent additions without a version: none answers 409', async () => {
    const shop = await h.customer('ombori-production');
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        h.call('POST', `/customers/${shop.id}/devices`, { key: shop.key, body: { name: `kiosk-${i}` } }),
      ),
    );
    expect(results.filter((r) => r.status !== 201).map((r) => r.status)).toEqual([]);
    const seqs = results.map((r) => r.body.seq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  }, 60_000);
});
