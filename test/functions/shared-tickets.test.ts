// Shared tickets (Cloudomation standard and premium: "ability to browse shared service desk
// tickets from other customers"): agents share a public summary and resolution; customers on
// plans that allow it list and search them and see nothing of who asked; others get 403.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;
let premium: { id: string; key: string };
let standard: { id: string; key: string };
let pilot: { id: string; key: string };
let ticketId: string;

beforeAll(async () => {
  h = await harness('2026-11-23T08:00:00Z');
  agent = await h.key('agent');
  premium = await h.customer('cloudomation-premium', [
    { email: 'secret.requester@acme.test', name: 'Ann Acme' },
  ]);
  standard = await h.customer('cloudomation-standard', [{ email: 'bo@beta.test', name: 'Bo' }]);
  pilot = await h.customer('ombori-pilot');
  const created = await h.call('POST', '/tickets', {
    key: premium.key,
    body: {
      subject: 'Acme Corp VPN to Vienna drops',
      description: 'Our secret hostname vpn.acme.internal times out',
      priority: 'P2',
      category: 'configuration-error',
    },
  });
  ticketId = created.body.id;
  await h.call('POST', `/tickets/${ticketId}/messages`, {
    key: agent,
    body: { body: 'internal: Acme runs an old gateway', internal: true },
  });
});

describe('shared tickets', () => {
  it('are shared by agents only, from an existing ticket', async () => {
    const body = { summary: 'Workflow VPN connector times out', resolution: 'Raise the keep-alive to 30 s' };
    expect((await h.call('POST', `/tickets/${ticketId}/share`, { key: premium.key, body })).status).toBe(403);
    expect((await h.call('POST', '/tickets/TKT-0000000000/share', { key: agent, body })).status).toBe(404);
    const empty = await h.call('POST', `/tickets/${ticketId}/share`, {
      key: agent,
      body: { summary: ' ', resolution: 'x' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].field).toBe('summary');
    const shared = await h.call('POST', `/tickets/${ticketId}/share`, { key: agent, body });
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({ ticketId, category: 'configuration-error', priority: 'P2', ...body });
  });

  it('are listed to customers on plans that browse them, with nothing of who asked', async () => {
    const list = await h.call('GET', '/shared-tickets', { key: standard.key });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toEqual({
      id: expect.stringMatching(/^SHR-/),
      category: 'configuration-error',
      priority: 'P2',
      summary: 'Workflow VPN connector times out',
      resolution: 'Raise the keep-alive to 30 s',
      sharedAt: '2026-11-23T08:00:00.000Z',
    });
    const text = JSON.stringify(list.body);
    for (const secret of [ticketId, premium.id, 'Acme', 'secret', 'gateway', 'vpn.acme.internal'])
      expect(text).not.toContain(secret);
    const denied = await h.call('GET', '/shared-tickets', { key: pilot.key });
    expect(denied.status).toBe(403);
    expect((await h.call('GET', '/shared-tickets', { key: agent })).body.items[0].ticketId).toBe(ticketId);
  });

  it('are searched by every word, in any case and form of the text', async () => {
    const search = async (q: string) =>
      (await h.call('GET', `/shared-tickets?q=${encodeURIComponent(q)}`, { key: standard.key })).body.items
        .length;
    expect(await search('vpn TIMES')).toBe(1);
    expect(await search('keep-alive')).toBe(1);
    expect(await search('configuration-error')).toBe(1);
    expect(await search('vpn printer')).toBe(0);
    expect(await search('ＶＰＮ')).toBe(1); // full-width letters fold (NFKC)
    expect(await search('')).toBe(1);
    const many = await h.call('GET', `/shared-tickets?q=${encodeURIComponent('a '.repeat(9))}`, {
      key: standard.key,
    });
    expect(many.status).toBe(400);
    // The words are the query's, not the body's.
    expect(many.body.error.details[0]).toMatchObject({ field: 'q', in: 'query' });
    const eight = await h.call('GET', `/shared-tickets?q=${encodeURIComponent('a '.repeat(8))}`, {
      key: standard.key,
    });
    expect(eight.status).toBe(200);
  });

  it('are replaced when shared again and gone when taken back', async () => {
    const again = await h.call('POST', `/tickets/${ticketId}/share`, {
      key: agent,
      body: { summary: 'Überlauf im VPN-Connector 🧊', resolution: 'Keep-alive 30 s' },
    });
    expect(again.status).toBe(201);
    const items = (await h.call('GET', '/shared-tickets?q=überlauf', { key: standard.key })).body.items;
    expect(items).toHaveLength(1);
    expect((await h.call('GET', '/shared-tickets', { key: standard.key })).body.items).toHaveLength(1);
    expect((await h.call('DELETE', `/tickets/${ticketId}/share`, { key: agent })).status).toBe(200);
    expect((await h.call('DELETE', `/tickets/${ticketId}/share`, { key: agent })).status).toBe(404);
    expect((await h.call('GET', '/shared-tickets', { key: standard.key })).body.items).toEqual([]);
  });
});
