// Listing: newest first, pages that cover everything once, filters that combine.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;
let a: { id: string; key: string };
let b: { id: string; key: string };

async function pages(url: string, key: string) {
  const seen: string[] = [];
  let cursor: string | null = null;
  let rounds = 0;
  do {
    const res = await h.call(
      'GET',
      `${url}${url.includes('?') ? '&' : '?'}limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      { key },
    );
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(7);
    seen.push(...res.body.items.map((t: { id: string }) => t.id));
    cursor = res.body.nextCursor;
    rounds++;
  } while (cursor && rounds < 50);
  return seen;
}

beforeAll(async () => {
  h = await harness();
  agent = await h.key('agent');
  a = await h.customer('ombori-enterprise');
  b = await h.customer('ombori-enterprise');
  for (let i = 0; i < 24; i++) {
    const owner = i % 3 === 0 ? b : a;
    h.clock.set(h.clock.now() + 60_000); // one minute apart: a stable newest-first order
    await h.call('POST', '/tickets', {
      key: owner.key,
      body: { subject: `t${i}`, description: 'd', priority: i % 2 ? 'P1' : 'P3' },
    });
  }
});

describe('GET /tickets', () => {
  it('pages through every ticket once, newest first', async () => {
    const ids = await pages('/tickets', agent);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
    const first = await h.call('GET', '/tickets?limit=2', { key: agent });
    expect(first.body.items.map((t: { subject: string }) => t.subject)).toEqual(['t23', 't22']);
  });

  it('pages through one customer’s tickets for that customer and for agents', async () => {
    expect(await pages('/tickets', a.key)).toHaveLength(16);
    expect(await pages(`/tickets?customerId=${b.id}`, agent)).toHaveLength(8);
  });

  it('combines status, priority and breached filters', async () => {
    expect(await pages('/tickets?priority=P1', agent)).toHaveLength(12);
    expect(await pages(`/tickets?customerId=${a.id}&status=new&priority=P3`, agent)).toHaveLength(8);
    expect(await pages('/tickets?status=open', agent)).toHaveLength(0);
    expect(await pages('/tickets?breached=true', agent)).toHaveLength(0);
    h.clock.set(h.clock.now() + 45 * 60_000); // every 30-minute P1 response is now late, P3 (8 h) not
    expect(await pages('/tickets?breached=true', agent)).toHaveLength(12);
  });

  it('refuses a cursor from another listing', async () => {
    const first = await h.call('GET', '/tickets?limit=2', { key: agent });
    const reused = await h.call('GET', `/tickets?status=new&cursor=${first.body.nextCursor}`, { key: agent });
    expect(reused.status).toBe(400);
  });
});
