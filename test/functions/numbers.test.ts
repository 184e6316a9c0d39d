// Every numeric field of every write route, found in the served OpenAPI document, gets the
// extremes DynamoDB cannot store or a report cannot sum: each is a 400 naming the field,
// never a 500. A new numeric field without a base value here fails the walk below.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;
let ids: Record<string, string>;

// Raw JSON tokens: JSON.stringify cannot write -0 or 2^53 + 1.
const EXTREMES = [
  '1e308',
  '-1e308',
  '5e-324',
  '-5e-324',
  '1e-130',
  '1e126',
  '9007199254740993',
  '-9007199254740993',
  '-0',
  '0.1e-200',
  '123456789012345678901234567890123456789012',
];

const pages = { steps: [{ on: 'breach', afterMinutes: 15, to: 'secondary', by: 'page' }] };
const plan = (id: string) => ({
  id,
  vendor: 'Acme',
  name: 'Gold',
  calendar: {
    name: 'office',
    timeZone: 'Europe/Berlin',
    weekly: { mon: [{ from: '09:00', to: '17:00' }] },
  },
  levels: {
    P1: { name: 'Critical', response: 'PT1H', update: 'PT2H', escalationPolicy: pages },
    P2: { name: 'Major', response: 'PT4H', update: 'when-done', escalationPolicy: pages },
    P3: { name: 'Minor', response: 'P1D', update: 'when-done', escalationPolicy: pages },
    P4: { name: 'Cosmetic', response: 'best-effort', update: 'when-done', escalationPolicy: pages },
  },
  channels: ['form'],
  seats: 2,
  devicesIncluded: 10,
  uptimeTarget: 99.9,
  serviceCredits: [{ belowPercent: 99.5, creditPercent: 10 }],
  escalation: {
    contacts: [],
    policy: { steps: [{ on: 'breach', afterMinutes: 15, to: 'secondary', by: 'page' }] },
  },
  version: 1,
});

/** A valid body per write route, holding every numeric field the route's schema has. */
const bases = (): Record<string, unknown> => ({
  'POST /uploads': { contentType: 'image/png', size: 1000 },
  'POST /plans': plan('numbers-base'),
  'POST /customers': {
    name: 'Numbers',
    planId: 'ombori-pilot',
    contacts: [{ email: 'numbers@acme.test', name: 'N' }],
    contract: {
      hourlyRate: 95.5,
      freeConfigurationTasksPerMonth: 2,
      supportHours: { hours: 10, per: 'month' },
    },
  },
  'POST /tickets/{id}/time-entries': { minutes: 30 },
  'POST /views': {
    name: 'Numbers',
    scope: 'personal',
    filter: { dueWithinMinutes: 60, resolvedWithinDays: 7 },
    sort: { field: 'due', direction: 'asc' },
  },
  'PATCH /views/{id}': { filter: { dueWithinMinutes: 60, resolvedWithinDays: 7 } },
  'POST /macros/{id}/preview': { ticketId: 'TKT-0000000000', ticketVersion: 1 },
  'POST /macros/{id}/apply': { ticketId: 'TKT-0000000000', ticketVersion: 1 },
  'POST /customers/{id}/webhooks/{webhookId}/secret': { keepPreviousHours: 24 },
  'POST /integrations/opsgenie': {
    action: 'Acknowledge',
    alert: { alertId: 'a-1', alias: 'TKT-0000000000/response#1#breach', updatedAt: 1.7e18 },
  },
  'POST /integrations/alerts': {
    version: '4',
    status: 'firing',
    truncatedAlerts: 0,
    alerts: [{ status: 'firing', labels: { alertname: 'Down' }, startsAt: '2026-11-23T08:00:00Z' }],
  },
});

interface Schema {
  type?: string;
  /** Kept by the server (a plan calendar's holidayYears): what a caller sends is ignored. */
  readOnly?: boolean;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

/** Paths of the numbers a schema holds (array items as index 0). */
function numericPaths(schema: Schema, path: (string | number)[] = []): (string | number)[][] {
  if (schema.type === 'number' || schema.type === 'integer') return [path];
  const found: (string | number)[][] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {}))
    if (!property.readOnly) found.push(...numericPaths(property, [...path, name]));
  if (schema.items) found.push(...numericPaths(schema.items, [...path, 0]));
  for (const part of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    found.push(...numericPaths(part, path));
  return found;
}

function withToken(body: unknown, path: (string | number)[], token: string): string {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  if (!(path.at(-1)! in at)) throw new Error(`the base body has no ${path.join('.')}`);
  at[path.at(-1)!] = '__NUMBER__';
  return JSON.stringify(copy).replace('"__NUMBER__"', token);
}

interface Operation {
  requestBody?: { content?: { 'application/json'?: { schema: Schema } } };
}

interface Case {
  route: string;
  url: string;
  field: string;
  body: (token: string) => string;
}
let cases: Case[];

beforeAll(async () => {
  h = await harness();
  agent = await h.key('agent');
  const customer = await h.customer('ombori-production');
  const ticket = await h.call('POST', '/tickets', {
    key: customer.key,
    body: { subject: 's', description: 'd', priority: 'P3' },
  });
  const webhook = await h.call('POST', `/customers/${customer.id}/webhooks`, {
    body: { url: 'https://hooks.acme.example/numbers', events: ['ticket.created'] },
  });
  ids = { ticket: ticket.body.id, customer: customer.id, webhook: webhook.body.id };
  const doc = (await h.call('GET', '/openapi.json', { key: null })).body;
  const base = bases();
  cases = [];
  for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
    for (const [method, operation] of Object.entries(operations) as [string, Operation][]) {
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      if (!schema) continue;
      const route = `${method.toUpperCase()} ${path}`;
      for (const numberPath of numericPaths(schema)) {
        if (!(route in base)) throw new Error(`${route} has numbers but no base body in this test`);
        cases.push({
          route,
          url: path
            .replace('{id}', route.includes('tickets') ? ids.ticket! : ids.customer!)
            .replace('{webhookId}', ids.webhook!),
          field: numberPath.join('.'),
          body: (token) => withToken(base[route], numberPath, token),
        });
      }
    }
  }
});

describe('numbers on every write route', () => {
  it('finds the numeric fields of the write routes in the served document', () => {
    expect(cases.map((c) => `${c.route} ${c.field}`).sort()).toEqual([
      'PATCH /views/{id} filter.dueWithinMinutes',
      'PATCH /views/{id} filter.resolvedWithinDays',
      'POST /customers contract.freeConfigurationTasksPerMonth',
      'POST /customers contract.hourlyRate',
      'POST /customers contract.supportHours.hours',
      'POST /customers/{id}/webhooks/{webhookId}/secret keepPreviousHours',
      'POST /integrations/alerts truncatedAlerts',
      'POST /integrations/opsgenie alert.updatedAt',
      'POST /macros/{id}/apply ticketVersion',
      'POST /macros/{id}/preview ticketVersion',
      'POST /plans devicesIncluded',
      'POST /plans escalation.policy.steps.0.afterMinutes',
      'POST /plans levels.P1.escalationPolicy.steps.0.afterMinutes',
      'POST /plans levels.P2.escalationPolicy.steps.0.afterMinutes',
      'POST /plans levels.P3.escalationPolicy.steps.0.afterMinutes',
      'POST /plans levels.P4.escalationPolicy.steps.0.afterMinutes',
      'POST /plans seats',
      'POST /plans serviceCredits.0.belowPercent',
      'POST /plans serviceCredits.0.creditPercent',
      'POST /plans uptimeTarget',
      'POST /plans version',
      'POST /tickets/{id}/time-entries minutes',
      'POST /uploads size',
      'POST /views filter.dueWithinMinutes',
      'POST /views filter.resolvedWithinDays',
    ]);
  });

  it('answers 400 naming the field for every extreme value in every numeric field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), fc.constantFrom(...EXTREMES), async (c, token) => {
        const [method, path] = c.route.split(' ') as [string, string];
        const res = await h.call(method, c.url, {
          key: path.startsWith('/tickets') ? agent : undefined,
          body: c.body(token),
        });
        expect(res.status, `${c.route} ${c.field} = ${token}`).toBe(400);
        expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(c.field);
      }),
      { numRuns: 250 },
    );
  });

  it('never answers 5xx for any double in any numeric field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), fc.double({ noNaN: true }), async (c, value) => {
        const [method, path] = c.route.split(' ') as [string, string];
        const token = Number.isFinite(value) ? JSON.stringify(value) : value > 0 ? '1e999' : '-1e999';
        const res = await h.call(method, c.url, {
          key: path.startsWith('/tickets') ? agent : undefined,
          body: c.body(token),
        });
        expect(res.status, `${c.route} ${c.field} = ${token}`).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });

  it('answers 400 for extremes in numeric query parameters', async () => {
    for (const token of EXTREMES) {
      const res = await h.call('GET', `/tickets?limit=${encodeURIComponent(token)}`, { key: agent });
      expect(res.status, token).toBe(400);
      expect(res.body.error.details[0].field).toBe('limit');
    }
  });
});
