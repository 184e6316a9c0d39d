// Random bodies, headers and query strings never produce a 5xx: bad input is a 4xx with the
// contract's error shape, good input a 2xx.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;
let customer: { id: string; key: string };
let ticketId: string;
let incidentId: string;

beforeAll(async () => {
  h = await harness();
  agent = await h.key('agent');
  customer = await h.customer('ombori-enterprise');
  ticketId = (
    await h.call('POST', '/tickets', {
      key: customer.key,
      body: { subject: 's', description: 'd', priority: 'P3' },
    })
  ).body.id;
  incidentId = (
    await h.call('POST', '/incidents', {
      key: agent,
      body: { component: 'api', startedAt: '2026-11-01T00:00:00Z' },
    })
  ).body.id;
});

// Bodies that look like what each route wants, half of the time, and anything at all otherwise.
const nearTicket = fc.record(
  {
    subject: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    description: fc.oneof(fc.string({ maxLength: 300 }), fc.constant('')),
    priority: fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5', 'p1', ''),
    channel: fc.constantFrom('form', 'email', 'chat', 'fax', 'api'),
    category: fc.constantFrom('bug', 'advice', 'nope'),
    customerId: fc.oneof(fc.string(), fc.constant('CUS-X')),
    requesterEmail: fc.oneof(fc.emailAddress(), fc.string()),
  },
  { requiredKeys: [] },
);
const nearIncident = fc.record(
  {
    component: fc.string(),
    startedAt: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.string(),
    ),
    endedAt: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constant(null),
      fc.string(),
    ),
    customerIds: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), fc.constant(null)),
    planned: fc.anything(),
  },
  { requiredKeys: [] },
);
const nearPatch = fc.record(
  {
    priority: fc.constantFrom('P1', 'P4', 'P7'),
    assignee: fc.oneof(fc.emailAddress(), fc.constant(null), fc.string()),
    category: fc.constantFrom('bug', 'feature-request', null, 3),
    status: fc.constantFrom('open', 'resolved', 'pending-customer', 'closed', 'new', 'gone'),
    body: fc.string(),
    internal: fc.anything(),
    minutes: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double()),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.json().map((j) => j),
  fc.string(),
  fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
  nearTicket.map((v) => JSON.stringify(v)),
  nearIncident.map((v) => JSON.stringify(v)),
  nearPatch.map((v) => JSON.stringify(v)),
);

describe('fuzzed requests', () => {
  it('never answer 5xx on any write route, whoever sends them', async () => {
    const routes = [
      ['POST', '/tickets'],
      ['POST', `/tickets/${ticketId}/messages`],
      ['POST', `/tickets/${ticketId}/status`],
      ['PATCH', `/tickets/${ticketId}`],
      ['POST', `/tickets/${ticketId}/time-entries`],
      ['POST', '/incidents'],
      ['PATCH', `/incidents/${incidentId}`],
      ['POST', '/customers'],
      ['POST', '/api-keys'],
      ['POST', '/plans'],
    ] as const;
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom('admin', 'agent', 'customer'),
        body,
        fc.option(fc.string({ maxLength: 20 })),
        async ([method, url], role, payload, ifMatch) => {
          const key = role === 'admin' ? h.adminKey : role === 'agent' ? agent : customer.key;
          const res = await h.call(method, url, {
            key,
            body: payload,
            headers: ifMatch === null ? {} : { 'if-match': ifMatch },
          });
          statuses.add(res.status);
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
          if (res.status >= 400)
            expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
        },
      ),
      { numRuns: 300 },
    );
    // The fuzzer reaches the use cases, not only the schema checks.
    expect([...statuses].filter((s) => s < 300).length).toBeGreaterThan(0);
    expect([...statuses].filter((s) => s >= 400).length).toBeGreaterThan(0);
  });

  it('never answer 5xx on reads with random ids and query strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/tickets/',
          '/tickets?',
          '/plans/',
          '/customers/',
          `/customers/${customer.id}/reports/`,
          `/tickets/${ticketId}/explain?`,
        ),
        fc.string(),
        async (prefix, tail) => {
          const res = await h.call(
            'GET',
            prefix + encodeURIComponent(tail).replace(/%3D/g, '=').replace(/%26/g, '&'),
            { key: agent },
          );
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });
});
