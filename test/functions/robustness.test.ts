// Defects found by trying sla-desk as a new user would and attacking it from outside: the
// plain path on every plan, what customers see, bounds on what is recorded.
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESET_IDS } from '../../domain/presets/index';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;

beforeAll(async () => {
  h = await harness(); // Mon 23 Nov 2026 09:00 Stockholm
  agent = await h.key('agent');
});

describe('the plain path', () => {
  it.each(PRESET_IDS.filter((id) => id !== 'cloudomation-self-service'))(
    'opens a ticket named only by subject, description and priority with a customer key on %s',
    async (planId) => {
      const customer = await h.customer(planId);
      const res = await h.call('POST', '/tickets', {
        key: customer.key,
        body: { subject: 'Screens black', description: 'All three in the lobby', priority: 'P2' },
      });
      expect(res.status).toBe(201);
      // The online form where the plan has it, else the API.
      const plan = (await h.call('GET', `/plans/${planId}`)).body;
      expect(res.body.channel).toBe(plan.channels.includes('form') ? 'form' : 'api');
    },
  );

  it('refuses only a channel the request names and the plan lacks', async () => {
    const pilot = await h.customer('ombori-pilot');
    const named = await h.call('POST', '/tickets', {
      key: pilot.key,
      body: { subject: 'x', description: 'y', priority: 'P3', channel: 'api' },
    });
    expect(named.status).toBe(422);
    expect(named.body.error).toMatchObject({ code: 'channel-not-included', details: [{ field: 'channel' }] });
    // A plan without form and api: a request naming no channel must name one.
    const pilot2 = (await h.call('GET', '/plans/ombori-pilot')).body;
    const mailOnly = { ...pilot2, id: 'mail-only', channels: ['email', 'phone'] };
    expect((await h.call('POST', '/plans', { body: mailOnly })).status).toBe(201);
    const customer = await h.customer('mail-only');
    const res = await h.call('POST', '/tickets', {
      key: customer.key,
      body: { subject: 'x', description: 'y', priority: 'P3' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe(
      'plan mail-only accepts tickets by email, phone; name the channel this ticket came by',
    );
    const byPhone = await h.call('POST', '/tickets', {
      key: agent,
      body: { subject: 'x', description: 'y', priority: 'P3', channel: 'phone', customerId: customer.id },
    });
    expect(byPhone.status).toBe(201);
  });
});

describe('what customers see', () => {
  it('shows customers minutes but no staff notes, and the assignee by name, never by address', async () => {
    const acme = await h.customer('ombori-production', [{ email: 'ann@acme.test', name: 'Ann' }]);
    const id = (
      await h.call('POST', '/tickets', {
        key: acme.key,
        body: { subject: 'Kiosk', description: 'offline', priority: 'P2' },
      })
    ).body.id;
    const bob = await h.person('agent', 'Bob Smith');
    const carol = await h.person('agent', 'Carol (2nd line)');
    await h.call('PATCH', `/tickets/${id}`, { key: agent, body: { assignee: bob.email } });
    await h.call('POST', `/tickets/${id}/time-entries`, {
      key: agent,
      body: { minutes: 25, note: 'internal: customer is difficult' },
    });
    await h.call('PATCH', `/tickets/${id}`, {
      key: agent,
      body: { assigneeId: carol.id },
    });

    const seen = await h.call('GET', `/tickets/${id}`, { key: acme.key });
    const text = JSON.stringify(seen.body);
    expect(text).not.toContain('difficult');
    expect(text).not.toContain('@staff.test');
    expect(seen.body.assignee).toBe('Carol (2nd line)');
    expect(seen.body.timeline.filter((e: { type: string }) => e.type === 'assignee')).toEqual([
      expect.objectContaining({ from: null, to: 'Bob Smith' }),
      expect.objectContaining({ from: 'Bob Smith', to: 'Carol (2nd line)' }),
    ]);
    const time = seen.body.timeline.find((e: { type: string }) => e.type === 'time-entry');
    expect(time).toEqual({ seq: time.seq, at: time.at, type: 'time-entry', actor: time.actor, minutes: 25 });
    const listed = await h.call('GET', '/tickets', { key: acme.key });
    expect(JSON.stringify(listed.body)).not.toContain('@staff.test');

    // Staff see addresses and notes.
    const staff = await h.call('GET', `/tickets/${id}`, { key: agent });
    expect(staff.body).toMatchObject({ assignee: carol.email, assigneeName: 'Carol (2nd line)' });
    expect(JSON.stringify(staff.body)).toContain('internal: customer is difficult');
  });
});

describe('incidents', () => {
  it('bounds open incidents as closed ones: at most 366 days, an open one counted to now', async () => {
    const ancient = await h.call('POST', '/incidents', {
      key: agent,
      body: { component: 'api', startedAt: '0000-01-01T00:00:00Z' },
    });
    expect(ancient.status).toBe(400);
    expect(ancient.body.error.details[0].field).toBe('startedAt');
    const old = await h.call('POST', '/incidents', {
      key: agent,
      body: { component: 'api', startedAt: '2025-01-01T00:00:00Z' },
    });
    expect(old.status).toBe(422);
    expect(old.body.error).toMatchObject({ code: 'too-long', details: [{ field: 'startedAt' }] });
    const recent = await h.call('POST', '/incidents', {
      key: agent,
      body: { component: 'api', startedAt: '2026-11-01T00:00:00Z' },
    });
    expect(recent.status).toBe(201);
    // Moving an open incident's start back a year is refused the same way.
    const moved = await h.call('PATCH', `/incidents/${recent.body.id}`, {
      key: agent,
      body: { startedAt: '2025-06-01T00:00:00Z' },
    });
    expect(moved.status).toBe(422);
  });
});

describe('devices', () => {
  it('keeps devices out of the customer record: 520 devices of 200 emoji each, all listed in order', async () => {
    // The customer item used to hold them inline and failed past ~400 KB (here 520 × 800 bytes).
    const acme = await h.customer('ombori-production');
    const name = (i: number) => `${i}`.padStart(4, '0') + '📟'.repeat(98);
    for (let i = 1; i <= 520; i++) {
      const res = await h.call('POST', `/customers/${acme.id}/devices`, {
        key: acme.key,
        body: { name: name(i) },
      });
      expect(res.status).toBe(201);
    }
    const customer = await h.call('GET', `/customers/${acme.id}`, { key: acme.key });
    expect(customer.body.deviceCount).toBe(520);
    expect(JSON.stringify(customer.body).length).toBeLessThan(2000);
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await h.call(
        'GET',
        `/customers/${acme.id}/devices?limit=150${cursor ? `&cursor=${cursor}` : ''}`,
        { key: acme.key },
      );
      expect(page.status).toBe(200);
      names.push(...page.body.items.map((d: { name: string }) => d.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(names).toEqual(Array.from({ length: 520 }, (_, i) => name(i + 1)));
  });

  it('registers concurrent devices once each, in one order', async () => {
    const acme = await h.customer('ombori-production');
    const added = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.call('POST', `/customers/${acme.id}/devices`, { key: acme.key, body: { name: `kiosk-${i}` } }),
      ),
    );
    expect(added.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(added.map((r) => r.body.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('stops at 10 000 devices a customer with a 422 naming the field', async () => {
    const acme = await h.customer('ombori-production');
    const record = (await h.deps.directory.getCustomer(acme.id))!;
    // Counted as if 9 999 were registered already (adding them one by one would take minutes).
    await h.deps.directory.updateCustomer(
      { ...record, deviceCount: 9_999, version: record.version + 1 },
      record.version,
    );
    const last = await h.call('POST', `/customers/${acme.id}/devices`, {
      key: acme.key,
      body: { name: 'last' },
    });
    expect(last.status).toBe(201);
    expect(last.body.seq).toBe(10_000);
    const over = await h.call('POST', `/customers/${acme.id}/devices`, {
      key: acme.key,
      body: { name: 'one more' },
    });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'too-many-devices', details: [{ field: 'name' }] });
  });

  it('lists devices to the customer’s own key and staff only', async () => {
    const acme = await h.customer('ombori-production');
    const other = await h.customer('ombori-production');
    await h.call('POST', `/customers/${acme.id}/devices`, { key: acme.key, body: { name: 'kiosk' } });
    expect((await h.call('GET', `/customers/${acme.id}/devices`, { key: other.key })).status).toBe(404);
    expect((await h.call('GET', `/customers/${acme.id}/devices`, { key: agent })).body.items).toHaveLength(1);
    expect((await h.call('GET', `/customers/${acme.id}/devices?cursor=abc`, { key: agent })).status).toBe(
      400,
    );
  });
});
