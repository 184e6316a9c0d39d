// Every route of the contract, through the real handlers and DynamoDB Local, as each role.
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_ROUTES } from '../contract-routes';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;
let acme: { id: string; key: string };
let globex: { id: string; key: string };

beforeAll(async () => {
  h = await harness(); // Mon 23 Nov 2026 09:00 Stockholm
  agent = await h.key('agent');
  acme = await h.customer('ombori-production', [
    { email: 'ann@acme.test', name: 'Ann' },
    { email: 'otto@acme.test', name: 'Otto', mayOpenTickets: true },
  ]);
  globex = await h.customer('ombori-production');
});

const openAs = (key: string, body: Record<string, unknown> = {}) =>
  h.call('POST', '/tickets', {
    key,
    body: { subject: 'Kiosk offline', description: 'Store 12', priority: 'P2', channel: 'form', ...body },
  });

describe('plans', () => {
  it('lists all eleven presets to any role, with holidays expanded', async () => {
    for (const key of [h.adminKey, agent, acme.key]) {
      const res = await h.call('GET', '/plans', { key });
      expect(res.status).toBe(200);
      expect(res.body.items.map((p: { id: string }) => p.id)).toEqual(
        expect.arrayContaining([
          'ombori-free',
          'cloudomation-24x7',
          'platformsh-enterprise',
          'sourcegraph-premium-24x7',
        ]),
      );
    }
    const pilot = await h.call('GET', '/plans/ombori-pilot', { key: acme.key });
    expect(pilot.body.calendar.holidays).toContainEqual({ date: '2026-12-25', name: 'juldagen' });
    expect((await h.call('GET', '/plans/no-such-plan')).status).toBe(404);
  });

  it('lets an admin create a custom plan with region and ICS holidays, once', async () => {
    const body = {
      id: 'acme-gold',
      vendor: 'Acme',
      name: 'Gold',
      calendar: {
        name: 'Berlin office',
        timeZone: 'Europe/Berlin',
        weekly: { mon: [{ from: '09:00', to: '17:00' }], tue: [{ from: '09:00', to: '17:00' }] },
        holidayRegion: 'DE-BY',
      },
      levels: {
        P1: { name: 'Critical', response: 'PT1H', update: 'PT2H' },
        P2: { name: 'Major', response: 'PT4H', update: 'when-done' },
        P3: { name: 'Minor', response: 'P1D', update: 'when-done' },
        P4: { name: 'Cosmetic', response: 'best-effort', update: 'when-done' },
      },
      channels: ['form', 'email', 'api'],
      seats: 2,
      devicesIncluded: null,
      uptimeTarget: 99.9,
      escalation: { contacts: ['oncall@acme.test'], keyword: 'URGENT' },
      holidaysIcs:
        'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261230\r\nSUMMARY:Inventory\r\nEND:VEVENT\r\nEND:VCALENDAR',
    };
    expect((await h.call('POST', '/plans', { key: agent, body })).status).toBe(403);
    const created = await h.call('POST', '/plans', { body });
    expect(created.status).toBe(201);
    expect(created.body.calendar.holidays).toEqual(
      expect.arrayContaining([
        { date: '2026-12-24', name: 'Heiliger Abend', from: '14:00', to: '24:00' },
        { date: '2026-12-30', name: 'Inventory' },
      ]),
    );
    expect((await h.call('POST', '/plans', { body })).status).toBe(409);
    expect((await h.call('POST', '/plans', { body: { ...body, id: 'ombori-pilot' } })).status).toBe(409);
    const badRegion = await h.call('POST', '/plans', {
      body: { ...body, id: 'acme-x', calendar: { ...body.calendar, holidayRegion: 'XX' } },
    });
    expect(badRegion.status).toBe(422);
    const badTarget = await h.call('POST', '/plans', {
      body: {
        ...body,
        id: 'acme-y',
        levels: { ...body.levels, P1: { name: 'Critical', response: 'P1M', update: 'PT1H' } },
      },
    });
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.error.details[0].field).toBe('levels.P1.response');
  });
});

describe('customers and API keys', () => {
  it('lets only admins create customers and keys', async () => {
    const body = { name: 'X', planId: 'ombori-pilot', contacts: [{ email: 'x@x.test', name: 'X' }] };
    expect((await h.call('POST', '/customers', { key: agent, body })).status).toBe(403);
    expect((await h.call('POST', '/customers', { key: acme.key, body })).status).toBe(403);
    expect(
      (await h.call('POST', '/api-keys', { key: agent, body: { role: 'admin', name: 'x' } })).status,
    ).toBe(403);
  });

  it('shows a customer to staff and to itself, and to no other customer', async () => {
    expect((await h.call('GET', `/customers/${acme.id}`, { key: agent })).body.name).toMatch(/Customer/);
    expect((await h.call('GET', `/customers/${acme.id}`, { key: acme.key })).status).toBe(200);
    expect((await h.call('GET', `/customers/${acme.id}`, { key: globex.key })).status).toBe(404);
  });

  it('caps ticket-opening contacts at the plan seats and keeps e-mail addresses unique', async () => {
    const seats = await h.call('POST', '/customers', {
      body: {
        name: 'Solo',
        planId: 'cloudomation-standard',
        contacts: [
          { email: 'a@solo.test', name: 'A' },
          { email: 'b@solo.test', name: 'B' },
        ],
      },
    });
    expect(seats.status).toBe(422);
    expect(seats.body.error).toMatchObject({ code: 'seats-exceeded', details: [{ field: 'contacts' }] });
    const taken = await h.call('POST', '/customers', {
      body: { name: 'Copy', planId: 'ombori-pilot', contacts: [{ email: 'ANN@acme.test', name: 'A' }] },
    });
    expect(taken.status).toBe(409);
    const unknownPlan = await h.call('POST', '/customers', {
      body: { name: 'U', planId: 'nope', contacts: [{ email: 'u@u.test', name: 'U' }] },
    });
    expect(unknownPlan.body.error).toMatchObject({ code: 'unknown-plan', details: [{ field: 'planId' }] });
  });

  it('binds customer keys to an existing customer and staff keys to none', async () => {
    expect((await h.call('POST', '/api-keys', { body: { role: 'customer', name: 'c' } })).status).toBe(422);
    expect(
      (await h.call('POST', '/api-keys', { body: { role: 'customer', name: 'c', customerId: 'CUS-NOPE' } }))
        .status,
    ).toBe(422);
    expect(
      (await h.call('POST', '/api-keys', { body: { role: 'agent', name: 'a', customerId: acme.id } })).status,
    ).toBe(422);
    const created = await h.call('POST', '/api-keys', { body: { role: 'agent', name: 'Eve' } });
    expect(created.body.key).toMatch(/^sla_/);
    expect(created.body).not.toHaveProperty('hash');
  });
});

describe('opening tickets', () => {
  it('opens a ticket for a customer key with SLA clocks from the plan', async () => {
    const res = await openAs(acme.key, { priority: 'P1' });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe(`"${res.body.version}"`);
    expect(res.body).toMatchObject({
      customerId: acme.id,
      status: 'new',
      requesterEmail: 'ann@acme.test',
      channel: 'form',
    });
    // Ombori Production P1: 30 min response, Mon 09:00 Stockholm → 09:30
    expect(res.body.sla).toEqual({
      responseDueAt: '2026-11-23T08:30:00.000Z',
      respondedAt: null,
      nextUpdateDueAt: null,
      resolutionDueAt: null,
      paused: false,
      escalationLevel: 0,
      breaches: [],
    });
  });

  it('needs a customerId from an agent and refuses a customer opening for another', async () => {
    expect((await openAs(agent)).body.error).toMatchObject({
      code: 'customer-required',
      details: [{ field: 'customerId' }],
    });
    expect((await openAs(agent, { customerId: acme.id })).status).toBe(201);
    expect((await openAs(acme.key, { customerId: globex.id })).status).toBe(403);
    expect((await openAs(agent, { customerId: 'CUS-NOPE' })).status).toBe(422);
  });

  it('refuses a channel the plan does not include, naming the ones it does', async () => {
    const pilot = await h.customer('ombori-pilot');
    const res = await openAs(pilot.key, { channel: 'email' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('channel-not-included');
    expect(res.body.error.message).toBe(
      'plan ombori-pilot accepts tickets by form, monitoring; this ticket came by email',
    );
    expect(res.body.error.details[0].field).toBe('channel');
  });

  it('lets only contacts holding a seat open tickets', async () => {
    const standard = await h.customer('cloudomation-standard', [
      { email: 'lead@corp.test', name: 'Lead' },
      { email: 'dev@corp.test', name: 'Dev', mayOpenTickets: false },
    ]);
    expect((await openAs(standard.key, { requesterEmail: 'lead@corp.test' })).status).toBe(201);
    const unseated = await openAs(standard.key, { requesterEmail: 'dev@corp.test' });
    expect(unseated.body.error).toMatchObject({ code: 'no-seat', details: [{ field: 'requesterEmail' }] });
    expect((await openAs(standard.key, { requesterEmail: 'stranger@corp.test' })).body.error.code).toBe(
      'unknown-requester',
    );
    const selfService = await h.customer('cloudomation-self-service', [
      { email: 'x@self.test', name: 'X', mayOpenTickets: false },
    ]);
    expect((await openAs(selfService.key)).status).toBe(422);
  });
});

describe('working a ticket', () => {
  it('runs the whole life cycle with the right roles', async () => {
    const id = (await openAs(acme.key, { priority: 'P2' })).body.id;
    // internal notes: agents only, hidden from the customer
    expect(
      (
        await h.call('POST', `/tickets/${id}/messages`, {
          key: acme.key,
          body: { body: 'hi', internal: true },
        })
      ).status,
    ).toBe(403);
    await h.call('POST', `/tickets/${id}/messages`, {
      key: agent,
      body: { body: 'looks like the router', internal: true },
    });
    h.clock.set(h.clock.now() + 20 * 60_000);
    const replied = await h.call('POST', `/tickets/${id}/messages`, {
      key: agent,
      body: { body: 'We are on it' },
    });
    expect(replied.body).toMatchObject({
      status: 'open',
      sla: { respondedAt: '2026-11-23T08:20:00.000Z', nextUpdateDueAt: '2026-11-23T10:20:00.000Z' },
    });
    const seen = await h.call('GET', `/tickets/${id}`, { key: acme.key });
    expect(seen.body.timeline.map((e: { type: string }) => e.type)).toEqual(['created', 'message', 'status']);
    expect(seen.body.timeline[1].actor).toEqual({ role: 'agent', name: expect.any(String) });
    const staffView = (await h.call('GET', `/tickets/${id}`, { key: agent })).body.timeline;
    expect(staffView.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'mail',
      'message',
      'message',
      'status',
      'mail',
    ]);
    expect(staffView[1]).toMatchObject({
      purpose: 'acknowledgement',
      to: ['ann@acme.test'],
      sentAt: expect.any(String),
    });
    expect(staffView[1]).not.toHaveProperty('html');

    // the customer may resolve and reopen, nothing else
    expect(
      (await h.call('POST', `/tickets/${id}/status`, { key: acme.key, body: { status: 'pending-customer' } }))
        .status,
    ).toBe(403);
    const paused = await h.call('POST', `/tickets/${id}/status`, {
      key: agent,
      body: { status: 'pending-customer' },
    });
    expect(paused.body.sla).toMatchObject({ paused: true, nextUpdateDueAt: null });
    const resumed = await h.call('POST', `/tickets/${id}/messages`, {
      key: acme.key,
      body: { body: 'Here are the logs' },
    });
    expect(resumed.body.status).toBe('open');
    expect(
      (await h.call('POST', `/tickets/${id}/status`, { key: acme.key, body: { status: 'resolved' } })).body
        .status,
    ).toBe('resolved');
    expect(
      (await h.call('POST', `/tickets/${id}/status`, { key: acme.key, body: { status: 'open' } })).body
        .status,
    ).toBe('open');
    await h.call('POST', `/tickets/${id}/status`, { key: agent, body: { status: 'closed' } });
    const closed = await h.call('POST', `/tickets/${id}/status`, { key: agent, body: { status: 'open' } });
    expect(closed.body.error).toMatchObject({ code: 'illegal-transition', details: [{ field: 'status' }] });
    expect(
      (await h.call('POST', `/tickets/${id}/messages`, { key: acme.key, body: { body: 'again' } })).body.error
        .code,
    ).toBe('ticket-closed');
  });

  it('lets agents change priority, assignee and category, and recomputes the clocks', async () => {
    const opened = await openAs(acme.key, { priority: 'P4' });
    const id = opened.body.id;
    expect(
      (await h.call('PATCH', `/tickets/${id}`, { key: acme.key, body: { priority: 'P1' } })).status,
    ).toBe(403);
    const bob = await h.person('agent', 'Bob Vendor');
    const stranger = await h.call('PATCH', `/tickets/${id}`, {
      key: agent,
      body: { assignee: 'bob@vendor.test' },
    });
    expect(stranger.status).toBe(422);
    expect(stranger.body.error).toMatchObject({ code: 'unknown-staff', details: [{ field: 'assignee' }] });
    const res = await h.call('PATCH', `/tickets/${id}`, {
      key: agent,
      body: { priority: 'P1', assignee: bob.email, category: 'bug' },
      headers: { 'if-match': opened.headers.etag! },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      priority: 'P1',
      assignee: bob.email,
      assigneeId: bob.id,
      assigneeName: 'Bob Vendor',
      category: 'bug',
      version: opened.body.version + 1,
    });
    expect(res.body.sla.responseDueAt).toBe(new Date(h.clock.now() + 30 * 60_000).toISOString());
    expect((await h.call('PATCH', `/tickets/${id}`, { key: agent, body: {} })).status).toBe(400);
    expect(
      (
        await h.call('PATCH', `/tickets/${id}`, {
          key: agent,
          body: { priority: 'P2' },
          headers: { 'if-match': 'soon' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await h.call('PATCH', `/tickets/${id}`, {
          key: agent,
          body: { priority: 'P2' },
          headers: { 'if-match': opened.headers.etag! },
        })
      ).status,
    ).toBe(409);
  });

  it('logs time for agents only and explains every due time', async () => {
    const id = (await openAs(acme.key)).body.id;
    expect(
      (await h.call('POST', `/tickets/${id}/time-entries`, { key: acme.key, body: { minutes: 10 } })).status,
    ).toBe(403);
    expect(
      (await h.call('POST', `/tickets/${id}/time-entries`, { key: agent, body: { minutes: 0 } })).status,
    ).toBe(400);
    const logged = await h.call('POST', `/tickets/${id}/time-entries`, {
      key: agent,
      body: { minutes: 20, note: 'remote session' },
    });
    expect(logged.body.timeline.at(-1)).toMatchObject({
      type: 'time-entry',
      minutes: 20,
      note: 'remote session',
    });
    const explained = await h.call('GET', `/tickets/${id}/explain`, { key: acme.key });
    expect(explained.status).toBe(200);
    expect(explained.body[0]).toMatchObject({
      clock: 'response',
      state: 'running',
      target: 'PT1H',
      plan: { id: 'ombori-production' },
    });
    expect(explained.body[0].segments[0]).toMatchObject({
      kind: 'open',
      counted: expect.stringMatching(/^PT/),
    });
  });
});

describe('tenant isolation', () => {
  it('hides one customer’s tickets, customer record and reports from another', async () => {
    const id = (await openAs(acme.key)).body.id;
    const as = globex.key;
    expect((await h.call('GET', `/tickets/${id}`, { key: as })).status).toBe(404);
    expect((await h.call('GET', `/tickets/${id}/explain`, { key: as })).status).toBe(404);
    expect(
      (await h.call('POST', `/tickets/${id}/messages`, { key: as, body: { body: 'mine now' } })).status,
    ).toBe(404);
    expect(
      (await h.call('POST', `/tickets/${id}/status`, { key: as, body: { status: 'resolved' } })).status,
    ).toBe(404);
    expect((await h.call('GET', `/customers/${acme.id}/reports/2026-11`, { key: as })).status).toBe(404);
    const list = await h.call('GET', '/tickets?limit=100', { key: as });
    expect(list.body.items.every((t: { customerId: string }) => t.customerId === globex.id)).toBe(true);
    expect((await h.call('GET', `/tickets?customerId=${acme.id}`, { key: as })).status).toBe(403);
    expect((await h.call('GET', `/tickets/${id}`, { key: acme.key })).status).toBe(200);
  });
});

describe('incidents and reports', () => {
  it('records and ends incidents for staff only', async () => {
    const body = { component: 'grid', startedAt: '2026-11-20T10:00:00Z', customerIds: [acme.id] };
    expect((await h.call('POST', '/incidents', { key: acme.key, body })).status).toBe(403);
    const created = await h.call('POST', '/incidents', { key: agent, body });
    expect(created.body).toMatchObject({ component: 'grid', endedAt: null, planned: false, version: 1 });
    const id = created.body.id;
    const ended = await h.call('PATCH', `/incidents/${id}`, {
      key: agent,
      body: { endedAt: '2026-11-20T11:00:26+01:00' },
      headers: { 'if-match': '1' },
    });
    expect(ended.body).toMatchObject({ endedAt: '2026-11-20T10:00:26.000Z', version: 2 });
    const before = await h.call('PATCH', `/incidents/${id}`, {
      key: agent,
      body: { endedAt: '2026-11-01T00:00:00Z' },
    });
    expect(before.body.error).toMatchObject({ code: 'ends-before-start', details: [{ field: 'endedAt' }] });
    expect(
      (
        await h.call('PATCH', `/incidents/${id}`, {
          key: agent,
          body: { planned: true },
          headers: { 'if-match': '1' },
        })
      ).status,
    ).toBe(409);
    expect(
      (await h.call('POST', '/incidents', { key: agent, body: { ...body, customerIds: ['CUS-NOPE'] } }))
        .status,
    ).toBe(422);
    expect(
      (await h.call('PATCH', '/incidents/INC-NOPE', { key: agent, body: { planned: true } })).status,
    ).toBe(404);
  });

  it('answers 404 for a month without a report and 400 for a malformed month', async () => {
    expect((await h.call('GET', `/customers/${acme.id}/reports/2026-10`, { key: acme.key })).status).toBe(
      404,
    );
    const bad = await h.call('GET', `/customers/${acme.id}/reports/2026-13`, { key: agent });
    expect(bad.body.error.details[0]).toMatchObject({ field: 'month', in: 'path' });
  });
});

describe('errors', () => {
  it('answers 401, 404, 400 and 413 in the contract shape', async () => {
    expect((await h.call('GET', '/tickets', { key: null })).status).toBe(401);
    expect((await h.call('GET', '/tickets', { key: 'sla_not_a_real_key_at_all' })).status).toBe(401);
    expect((await h.call('GET', '/nowhere')).body).toEqual({
      error: { code: 'not-found', message: 'no route GET /nowhere', details: [] },
    });
    expect((await h.call('POST', '/tickets', { key: acme.key, body: '{"subject":' })).body.error.code).toBe(
      'malformed-json',
    );
    expect((await h.call('POST', '/tickets', { key: acme.key })).status).toBe(400);
    expect(
      (await h.call('POST', '/tickets', { key: acme.key, body: 'x'.repeat(1024 * 1024 + 1) })).status,
    ).toBe(413);
    expect(
      (await h.call('GET', '/tickets?cursor=bm90LWEtY3Vyc29y', { key: agent })).body.error.details[0].field,
    ).toBe('cursor');
    expect((await h.call('GET', '/tickets?limit=1000', { key: agent })).body.error.details[0]).toMatchObject({
      field: 'limit',
      in: 'query',
    });
  });

  it('publishes an OpenAPI document with every route, without a key', async () => {
    const res = await h.call('GET', '/openapi.json', { key: null });
    expect(res.status).toBe(200);
    const operations = Object.entries(res.body.paths).flatMap(([path, methods]) =>
      Object.keys(methods as object).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual([...CONTRACT_ROUTES].sort());
    expect(res.body.paths['/tickets'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['subject', 'description', 'priority']),
    );
  });
});
