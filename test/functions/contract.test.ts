// The served OpenAPI document describes what the API answers: the checker the harness runs on
// every response refuses what the document does not list, and the document has what the
// responses carry (nullable enums, key ids, headers, examples).
import { beforeAll, describe, expect, it } from 'vitest';
import { responseChecker } from './contract';
import { type Harness, harness } from './harness';

let h: Harness;
// biome-ignore lint/suspicious/noExplicitAny: the document is read field by field
let doc: any;
let check: ReturnType<typeof responseChecker>;
let ticket: Record<string, unknown>;

beforeAll(async () => {
  h = await harness();
  doc = (await h.call('GET', '/openapi.json', { key: null })).body;
  check = responseChecker(doc);
  const agent = await h.key('agent');
  const customer = await h.customer('ombori-production');
  ticket = (
    await h.call('POST', '/tickets', {
      key: agent,
      body: { subject: 's', description: 'd', priority: 'P3', customerId: customer.id },
    })
  ).body;
});

describe('the response checker', () => {
  it('accepts a ticket as served, with an uncategorised (null) category and the acting key id', () => {
    expect(ticket.category).toBeNull();
    expect((ticket.timeline as { actor: { keyId?: string } }[])[0]!.actor.keyId).toMatch(/^KEY-/);
    expect(() => check('GET', `/tickets/${ticket.id}`, 200, { etag: '"1"' }, ticket)).not.toThrow();
  });

  it('refuses a status the route does not list', () => {
    expect(() => check('GET', `/tickets/${ticket.id}`, 418, {}, {})).toThrow(/lists no 418/);
  });

  it('refuses a body that does not match', () => {
    expect(() => check('GET', `/tickets/${ticket.id}`, 200, {}, { ...ticket, priority: 'P9' })).toThrow(
      /does not match/,
    );
    expect(() => check('GET', `/tickets/${ticket.id}`, 200, {}, { ...ticket, extra: 1 })).toThrow(
      /does not match/,
    );
  });

  it('refuses a header the document does not declare for that response', () => {
    expect(() => check('GET', '/plans', 200, { etag: '"1"' }, { items: [] })).toThrow(/does not declare/);
  });
});

describe('the document', () => {
  it('is OpenAPI 3.1 with nullable enums that allow null', () => {
    expect(doc.openapi).toBe('3.1.0');
    const category =
      doc.paths['/tickets/{id}'].get.responses['200'].content['application/json'].schema.properties.category;
    expect(JSON.stringify(category)).toContain('"null"');
  });

  it('declares ETag, Idempotent-Replayed, WWW-Authenticate and Retry-After where they are sent', () => {
    const create = doc.paths['/tickets'].post.responses;
    expect(Object.keys(create['201'].headers)).toEqual(['ETag', 'Idempotent-Replayed']);
    expect(Object.keys(create['401'].headers)).toEqual(['WWW-Authenticate']);
    expect(Object.keys(create['503'].headers)).toEqual(['Retry-After']);
    expect(Object.keys(doc.paths['/tickets/{id}'].patch.responses['200'].headers)).toEqual(['ETag']);
  });

  it('gives every path parameter an example', () => {
    const params = Object.values(doc.paths).flatMap((ops) =>
      Object.values(
        ops as Record<string, { parameters: { in: string; name: string; example?: string }[] }>,
      ).flatMap((op) => op.parameters.filter((p) => p.in === 'path')),
    );
    expect(params.length).toBeGreaterThan(10);
    expect(params.filter((p) => !p.example)).toEqual([]);
    expect(doc.paths['/tickets/{id}'].get.parameters[0].example).toBe('TKT-7K3QF9M2XA');
  });
});
