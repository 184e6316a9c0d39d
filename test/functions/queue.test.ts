// The agents' queue: tickets with a running clock, soonest due first, with the 80 % warning
// time for its colours; and the priority preview an agent reads before saving a change.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, type Person } from './harness';

let h: Harness;
let agent: string;
let bob: Person;
let acme: { id: string; key: string };
let globex: { id: string; key: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  h = await harness(); // Mon 23 Nov 2026 09:00 Stockholm
  agent = await h.key('agent');
  acme = await h.customer('ombori-production');
  globex = await h.customer('ombori-production');
  const open = async (name: string, key: string, priority: string) => {
    ids[name] = (
      await h.call('POST', '/tickets', { key, body: { subject: name, description: 'd', priority } })
    ).body.id;
  };
  await open('p4', acme.key, 'P4');
  await open('p1', acme.key, 'P1');
  await open('p2', globex.key, 'P2');
  await open('waiting', acme.key, 'P1');
  await h.call('POST', `/tickets/${ids.waiting}/status`, {
    key: agent,
    body: { status: 'pending-customer' },
  });
  bob = await h.person('agent', 'Bob');
  await h.call('PATCH', `/tickets/${ids.p2}`, { key: agent, body: { assigneeId: bob.id } });
});

const queue = async (query = '', key = agent) =>
  (await h.call('GET', `/tickets?sort=deadline${query}`, { key })).body.items as {
    id: string;
    nextBreachAt: string;
    nextWarningAt: string | null;
  }[];

describe('the queue', () => {
  it('lists tickets with a running clock, soonest due first, with the 80 % warning before each', async () => {
    const items = await queue();
    const mine = items.filter((t) => Object.values(ids).includes(t.id));
    expect(mine.map((t) => t.id)).toEqual([ids.p1, ids.p2, ids.p4]); // the paused one is not in it
    const dues = mine.map((t) => t.nextBreachAt);
    expect([...dues].sort()).toEqual(dues);
    for (const t of mine) expect(t.nextWarningAt! < t.nextBreachAt).toBe(true);
  });

  it('filters by customer, priority, status and assignee, and keeps customers to their own', async () => {
    expect((await queue(`&customerId=${globex.id}`)).map((t) => t.id)).toEqual([ids.p2]);
    expect((await queue('&priority=P4')).map((t) => t.id)).toContain(ids.p4);
    expect((await queue('&priority=P4')).map((t) => t.id)).not.toContain(ids.p1);
    expect((await queue(`&assignee=${bob.email}`)).map((t) => t.id)).toEqual([ids.p2]);
    expect((await queue('&assignee=me', bob.key)).map((t) => t.id)).toEqual([ids.p2]);
    // A system's key is nobody: `me` is refused, naming the field.
    const nobody = await h.call('GET', '/tickets?assignee=me', { key: agent });
    expect(nobody.status).toBe(422);
    expect(nobody.body.error).toMatchObject({ code: 'no-person', details: [{ field: 'assignee' }] });
    expect((await queue('', acme.key)).map((t) => t.id)).toEqual([ids.p1, ids.p4]);
    expect((await h.call('GET', `/tickets?assignee=${bob.email}`, { key: acme.key })).status).toBe(403);
  });

  it('drops a ticket whose clocks stopped', async () => {
    await h.call('POST', `/tickets/${ids.p4}/status`, { key: agent, body: { status: 'resolved' } });
    expect((await queue()).map((t) => t.id)).not.toContain(ids.p4);
  });
});

describe('the priority preview', () => {
  it('shows the due time a priority would give, and writes nothing', async () => {
    const before = (await h.call('GET', `/tickets/${ids.p2}`, { key: agent })).body;
    const preview = await h.call('GET', `/tickets/${ids.p2}/preview?priority=P1`, { key: agent });
    expect(preview.status).toBe(200);
    expect(preview.body.responseDueAt < before.sla.responseDueAt).toBe(true);
    const same = await h.call('GET', `/tickets/${ids.p2}/preview?priority=P2`, { key: agent });
    expect(same.body.responseDueAt).toBe(before.sla.responseDueAt);
    expect((await h.call('GET', `/tickets/${ids.p2}`, { key: agent })).body.version).toBe(before.version);
    expect((await h.call('GET', `/tickets/${ids.p2}/preview?priority=P1`, { key: globex.key })).status).toBe(
      403,
    );
    expect((await h.call('GET', `/tickets/${ids.p2}/preview?priority=P9`, { key: agent })).status).toBe(400);
  });
});
