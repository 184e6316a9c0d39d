// Tickets from the client's own service desk: an externalRef, unique per customer. Creating
// again with it (a retry, or the client desk syncing) answers with the first ticket.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;
let acme: { id: string; key: string };
let globex: { id: string; key: string };
const REF = `INC0012345 “desk” <Ω> 🙂 ${'x'.repeat(180)}`.slice(0, 200);
const body = (externalRef: string, subject = 'Kiosk down') => ({
  subject,
  description: 'From the client desk',
  priority: 'P2',
  externalRef,
});

beforeAll(async () => {
  h = await harness();
  agent = await h.key('agent');
  acme = await h.customer('ombori-production');
  globex = await h.customer('ombori-production');
});

describe('externalRef', () => {
  it('returns the first ticket when the same customer creates with the same ref again', async () => {
    const first = await h.call('POST', '/tickets', { key: acme.key, body: body(REF) });
    expect(first.status).toBe(201);
    expect(first.body.externalRef).toBe(REF);
    const again = await h.call('POST', '/tickets', { key: acme.key, body: body(REF, 'A different subject') });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.subject).toBe('Kiosk down');
    // Another customer's desk may use the same id for its own ticket.
    const theirs = await h.call('POST', '/tickets', { key: globex.key, body: body(REF) });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
    // An agent creating for the customer meets the same ticket.
    const byAgent = await h.call('POST', '/tickets', {
      key: agent,
      body: { ...body(REF), customerId: acme.id },
    });
    expect(byAgent.status).toBe(200);
    expect(byAgent.body.id).toBe(first.body.id);
  });

  it('makes exactly one ticket of concurrent creations with one ref', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => h.call('POST', '/tickets', { key: acme.key, body: body('RACE-1') })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const listed = await h.call('GET', `/tickets?customerId=${acme.id}&limit=100`, { key: agent });
    expect(listed.body.items.filter((t: { externalRef: string }) => t.externalRef === 'RACE-1')).toHaveLength(
      1,
    );
  });

  it('finds a ticket by ref, within the customer only', async () => {
    const mine = await h.call('GET', `/tickets?externalRef=${encodeURIComponent(REF)}`, { key: acme.key });
    expect(mine.body.items.map((t: { customerId: string }) => t.customerId)).toEqual([acme.id]);
    const staff = await h.call(
      'GET',
      `/tickets?externalRef=${encodeURIComponent(REF)}&customerId=${globex.id}`,
      {
        key: agent,
      },
    );
    expect(staff.body.items.map((t: { customerId: string }) => t.customerId)).toEqual([globex.id]);
    const unnamed = await h.call('GET', `/tickets?externalRef=${encodeURIComponent(REF)}`, { key: agent });
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.error.details[0].field).toBe('customerId');
    const none = await h.call('GET', '/tickets?externalRef=NOPE', { key: acme.key });
    expect(none.body).toMatchObject({ items: [], nextCursor: null });
  });

  it('refuses refs that are empty, too long or carry control characters', async () => {
    for (const ref of ['', '   ', 'x'.repeat(201), 'INC\u0000001', 'INC\r\nBcc: x']) {
      const res = await h.call('POST', '/tickets', { key: acme.key, body: body(ref) });
      expect(res.status, JSON.stringify(ref)).toBe(400);
      expect(res.body.error.details[0].field).toBe('externalRef');
    }
  });
});
