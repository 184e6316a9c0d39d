// The agents' workbench through the API: search over every ticket (stemmed, prefix and typo
// tolerant, what a customer may see only), views and their counts, saved views, tags, macros
// with placeholders, and bulk changes where each ticket succeeds or fails on its own.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, openTicket } from './harness';

let h: Harness;
let acme: { id: string; key: string };
let other: { id: string; key: string };
let agentKey: string;

beforeAll(async () => {
  h = await harness();
  acme = await h.customer('ombori-production', [{ email: 'anna.berg@acme.test', name: 'Anna Berg' }]);
  other = await h.customer('ombori-production', [{ email: 'olle@other.test', name: 'Olle Ek' }]);
  agentKey = (await h.person('agent', 'Maja Lind')).key;
});

const search = (query: string, key: string = h.adminKey) =>
  h.call('GET', `/search/tickets?${query}`, { key });
const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);

describe('search', () => {
  let resolved: string;
  let elsewhere: string;
  beforeAll(async () => {
    resolved = await openTicket(h, acme.key, 'P3', 'Kiosk screen flickers');
    await h.call('POST', `/tickets/${resolved}/messages`, { body: { body: 'We restarted it twice.' } });
    await h.call('POST', `/tickets/${resolved}/messages`, {
      key: acme.key,
      body: { body: 'Still the same.' },
    });
    await h.call('POST', `/tickets/${resolved}/messages`, {
      body: { body: 'The invoices for fakturorna were printed on the Drucker in Rechnungen.' },
    });
    await h.call('POST', `/tickets/${resolved}/messages`, {
      body: { body: 'Escalated to the vendor: hardware swap scheduled', internal: true },
    });
    await h.call('POST', `/tickets/${resolved}/status`, { body: { status: 'resolved' } });
    elsewhere = await openTicket(h, other.key, 'P3', 'Invoice export fails');
  });

  it('finds a resolved ticket by a word of its third message, stemmed, with the matching words', async () => {
    const found = await search('q=invoice');
    expect(ids(found)).toContain(resolved);
    const hit = found.body.items.find((i: { id: string }) => i.id === resolved);
    expect(hit).toMatchObject({
      status: 'resolved',
      customerName: expect.any(String),
      requesterName: 'Anna Berg',
    });
    expect(hit.terms).toContain('invoic');
    expect(hit.snippet).toContain('invoices');
  });

  it('stems Swedish and German, tolerates a typo and a prefix', async () => {
    for (const q of ['faktura', 'rechnung', 'druck', 'invoise', 'flick', 'fakturorna']) {
      expect(ids(await search(`q=${encodeURIComponent(q)}`)), q).toContain(resolved);
    }
  });

  it('finds by requester name and address, customer name, ticket id and internal note (staff)', async () => {
    for (const q of ['Anna Berg', 'anna.berg@acme.test', resolved, resolved.slice(0, 8), 'vendor hardware']) {
      expect(ids(await search(`q=${encodeURIComponent(q)}`)), q).toContain(resolved);
    }
  });

  it('shows a customer its own tickets only, and never by an internal note', async () => {
    expect(ids(await search('q=invoice', acme.key))).toEqual([resolved]);
    expect(ids(await search('q=invoice', other.key))).toEqual([elsewhere]);
    expect(ids(await search('q=vendor', acme.key))).toEqual([]);
    const own = await search('q=flickers', acme.key);
    expect(own.body.items[0]).not.toHaveProperty('tags');
    expect(own.body.items[0]).not.toHaveProperty('assigneeId');
    const forced = await search(`q=invoice&customerId=${other.id}`, acme.key);
    expect(forced.status).toBe(403);
    expect((await search('q=x&tag=vip', acme.key)).status).toBe(403);
  });

  it('combines words with filters, and refuses a bad cursor or filter naming the field', async () => {
    expect(ids(await search('q=invoice&status=resolved'))).toEqual([resolved]);
    expect(ids(await search('q=invoice&status=new'))).toEqual([elsewhere]);
    const bad = await search('status=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('status.0');
    const cursor = await search('cursor=notacursor');
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.details[0].field).toBe('cursor');
  });
});

describe('lists and views', () => {
  it('pages a sorted list in a stable order: every ticket once, ties broken by id', async () => {
    const opened = [];
    for (let i = 0; i < 7; i++) opened.push(await openTicket(h, acme.key, i % 2 ? 'P2' : 'P4', `Paged ${i}`));
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const res = await search(`q=paged&sort=priority&order=asc&limit=3${cursor}`);
      expect(res.status).toBe(200);
      seen.push(...ids(res));
      if (!res.body.nextCursor) break;
      cursor = `&cursor=${res.body.nextCursor}`;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(new Set(opened));
    const all = await search('q=paged&sort=priority&order=asc&limit=100');
    expect(ids(all)).toEqual(seen);
    expect(all.body.items.map((i: { priority: string }) => i.priority)).toEqual([
      'P2',
      'P2',
      'P2',
      'P4',
      'P4',
      'P4',
      'P4',
    ]);
  });

  it('counts the built-in views, and a saved view’s count changes when a ticket enters it', async () => {
    const before = await h.call('GET', '/views', { key: agentKey });
    expect(before.status).toBe(200);
    expect(before.body.items.map((v: { id: string }) => v.id).slice(0, 7)).toEqual([
      'mine',
      'unassigned',
      'breaching',
      'breached',
      'waiting',
      'resolved',
      'all',
    ]);
    const saved = await h.call('POST', '/views', {
      key: agentKey,
      body: {
        name: 'P1 of Acme breaching within the hour',
        scope: 'personal',
        filter: { priorities: ['P1'], customerId: acme.id, dueWithinMinutes: 60 },
        sort: { field: 'due', direction: 'asc' },
      },
    });
    expect(saved.status).toBe(201);
    const count = async () =>
      (await h.call('GET', '/views', { key: agentKey })).body.items.find(
        (v: { id: string }) => v.id === saved.body.id,
      ).count as number;
    const start = await count();
    const p1 = await openTicket(h, acme.key, 'P1', 'Everything is down');
    const due = (await h.call('GET', `/tickets/${p1}`)).body.sla.responseDueAt as string;
    const counted = await count();
    const inHour = Date.parse(due) - h.clock.now() <= 3_600_000;
    expect(counted).toBe(start + (inHour ? 1 : 0));
    if (!inHour) {
      await h.advance(Date.parse(due) - 30 * 60_000);
      expect(await count()).toBe(start + 1);
    }
    const listed = await search(`view=${saved.body.id}`, agentKey);
    expect(ids(listed)).toContain(p1);
    // Someone else's personal view is not theirs to see.
    const admin = await h.call('GET', '/views');
    expect(admin.body.items.map((v: { id: string }) => v.id)).not.toContain(saved.body.id);
    expect((await search(`view=${saved.body.id}`)).status).toBe(404);
  });

  it('keeps shared views for admins and the team, and refuses a bad filter by field', async () => {
    const agentShares = await h.call('POST', '/views', {
      key: agentKey,
      body: { name: 'All', scope: 'everyone', filter: {}, sort: { field: 'due', direction: 'asc' } },
    });
    expect(agentShares.status).toBe(403);
    const bad = await h.call('POST', '/views', {
      key: agentKey,
      body: {
        name: 'x',
        scope: 'personal',
        filter: { dueWithinMinutes: 1e12 },
        sort: { field: 'due', direction: 'asc' },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('filter.dueWithinMinutes');
    const shared = await h.call('POST', '/views', {
      body: {
        name: 'Everyone’s P1',
        scope: 'everyone',
        filter: { priorities: ['P1'] },
        sort: { field: 'due', direction: 'asc' },
      },
    });
    expect(shared.status).toBe(201);
    const seen = await h.call('GET', '/views', { key: agentKey });
    expect(seen.body.items.map((v: { id: string }) => v.id)).toContain(shared.body.id);
    expect((await h.call('DELETE', `/views/${shared.body.id}`, { key: agentKey })).status).toBe(403);
    expect((await h.call('DELETE', `/views/${shared.body.id}`)).status).toBe(200);
  });
});

describe('tags', () => {
  it('normalises tags, keeps them from customers, suggests those in use and filters by them', async () => {
    const id = await openTicket(h, acme.key, 'P3', 'Tagged');
    const tagged = await h.call('PATCH', `/tickets/${id}`, {
      body: { tags: ['VIP Kund', 'kiosk', 'kiosk'] },
    });
    expect(tagged.status).toBe(200);
    expect(tagged.body.tags).toEqual(['vip-kund', 'kiosk']);
    const customer = await h.call('GET', `/tickets/${id}`, { key: acme.key });
    expect(customer.body).not.toHaveProperty('tags');
    expect(customer.body.timeline.map((e: { type: string }) => e.type)).not.toContain('tags');
    const bad = await h.call('PATCH', `/tickets/${id}`, { body: { tags: ['<script>'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('tags.0');
    const tooMany = await h.call('PATCH', `/tickets/${id}`, {
      body: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
    });
    expect(tooMany.status).toBe(400);
    const suggested = await h.call('GET', '/tags?prefix=vi');
    expect(suggested.body.items).toEqual([{ tag: 'vip-kund', count: 1 }]);
    expect(ids(await search('tag=vip-kund'))).toEqual([id]);
    expect(ids(await search('q=kund'))).toContain(id);
  });
});

describe('macros', () => {
  it('fills the placeholders for each ticket, previews without writing, and applies fields and reply', async () => {
    const macro = await h.call('POST', '/macros', {
      body: {
        name: 'Ask for logs',
        scope: 'everyone',
        reply: {
          body: 'Hi {{requester.firstName}}, about {{ticket.id}}: could you send the logs? Next: {{ticket.nextDue}}. {{agent.name}}',
          internal: false,
        },
        changes: { status: 'pending-customer', addTags: ['needs-logs'], assignee: 'me' },
      },
    });
    expect(macro.status).toBe(201);
    const id = await openTicket(h, acme.key, 'P2', 'Logs please');
    const entries = (await h.call('GET', `/tickets/${id}`)).body.timeline.length;
    const preview = await h.call('POST', `/macros/${macro.body.id}/preview`, {
      key: agentKey,
      body: { ticketId: id },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.reply.body).toMatch(
      new RegExp(`^Hi Anna, about ${id}: could you send the logs\\? Next: response due .+\\. Maja Lind$`),
    );
    expect((await h.call('GET', `/tickets/${id}`)).body.timeline).toHaveLength(entries);
    const applied = await h.call('POST', `/macros/${macro.body.id}/apply`, {
      key: agentKey,
      body: { ticketId: id },
    });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({
      status: 'pending-customer',
      tags: ['needs-logs'],
      assigneeName: 'Maja Lind',
    });
    const reply = applied.body.timeline.find((e: { type: string }) => e.type === 'message');
    expect(reply.body).toBe(preview.body.reply.body);
    const stale = await h.call('POST', `/macros/${macro.body.id}/apply`, {
      key: agentKey,
      body: { ticketId: id, ticketVersion: 1 },
    });
    expect(stale.status).toBe(409);
  });

  it('refuses an unknown placeholder naming the field; agents keep their own, not shared ones', async () => {
    const bad = await h.call('POST', '/macros', {
      key: agentKey,
      body: { name: 'x', scope: 'personal', reply: { body: 'Hi {{requester.shoeSize}}' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'unknown-placeholder', details: [{ field: 'reply.body' }] });
    const shared = await h.call('POST', '/macros', {
      key: agentKey,
      body: { name: 'x', scope: 'everyone', reply: { body: 'Hi' } },
    });
    expect(shared.status).toBe(403);
    const own = await h.call('POST', '/macros', {
      key: agentKey,
      body: { name: 'Mine', scope: 'personal', reply: { body: 'Hi {{requester.name}}' } },
    });
    expect(own.status).toBe(201);
    const adminList = await h.call('GET', '/macros');
    expect(adminList.body.items.map((m: { id: string }) => m.id)).not.toContain(own.body.id);
    expect(adminList.body.placeholders).toHaveProperty(['requester.firstName']);
  });
});

describe('bulk changes', () => {
  it('assigns 20 tickets, each with its own write, and names each one that failed and why', async () => {
    const opened: string[] = [];
    for (let i = 0; i < 20; i++) opened.push(await openTicket(h, acme.key, 'P3', `Bulk ${i}`));
    const closed = opened[3]!;
    await h.call('POST', `/tickets/${closed}/status`, { body: { status: 'resolved' } });
    await h.call('POST', `/tickets/${closed}/status`, { body: { status: 'closed' } });
    const res = await h.call('POST', '/tickets/bulk', {
      key: agentKey,
      body: {
        ids: [...opened, 'TKT-NOSUCHTKT0'],
        changes: { assignee: 'me', priority: 'P2', status: 'open' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.succeeded).toBe(19);
    expect(res.body.failed).toBe(2);
    const failures = res.body.results.filter((r: { ok: boolean }) => !r.ok);
    expect(failures.map((f: { id: string }) => f.id).sort()).toEqual([closed, 'TKT-NOSUCHTKT0'].sort());
    expect(failures.find((f: { id: string }) => f.id === 'TKT-NOSUCHTKT0').error.code).toBe('not-found');
    const mine = await search('view=mine&q=bulk&limit=100', agentKey);
    expect(mine.body.total).toBe(19);
    const one = await h.call('GET', `/tickets/${opened[0]}`);
    expect(one.body).toMatchObject({ priority: 'P2', status: 'open', assigneeName: 'Maja Lind' });
    // The priority change moved the clocks, as one PATCH would.
    expect(one.body.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['priority', 'assignee', 'status']),
    );
  });

  it('refuses more than 100 tickets and a bulk change without a change', async () => {
    const many = await h.call('POST', '/tickets/bulk', {
      body: {
        ids: Array.from({ length: 101 }, (_, i) => `TKT-${String(i).padStart(10, '0')}`),
        changes: { priority: 'P1' },
      },
    });
    expect(many.status).toBe(400);
    expect(many.body.error.details[0].field).toBe('ids');
    const none = await h.call('POST', '/tickets/bulk', { body: { ids: ['TKT-0000000000'] } });
    expect(none.status).toBe(400);
    expect(
      (
        await h.call('POST', '/tickets/bulk', {
          key: acme.key,
          body: { ids: ['TKT-0000000000'], changes: { priority: 'P1' } },
        })
      ).status,
    ).toBe(403);
  });
});
