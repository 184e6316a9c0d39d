// Escalations that reach a person: a team's on-call (PUT/GET /teams/{id}/on-call), the plan's
// policy steps as one-shot events of their own, pages through the paging port (recorded here
// as on GET /local/pages), and acknowledgement by the one-time link, the console, or
// PagerDuty's signed webhook, after which the chain's later pages do nothing.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RecordedPage, RecordingPager } from '../../functions/adapters/local/pager';
import { handleDeadlineEvent } from '../../functions/escalation/handler';
import { type Harness, harness, type Person } from './harness';

const Z = (iso: string) => Date.parse(iso);

async function team(h: Harness, name = 'Platform'): Promise<string> {
  const res = await h.call('POST', '/teams', { body: { name } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** Ann and Carl take weeks in turn from Monday 30 November, 09:00 Stockholm; Bob is the secondary. */
function rota(ann: Person, carl: Person, bob: Person, extra: Record<string, unknown> = {}) {
  const schedule = (members: string[]) => ({
    timeZone: 'Europe/Stockholm',
    layers: [
      { name: 'Weekly', rotation: { members, handoff: 'weekly', at: '09:00', startsOn: '2026-11-30' } },
    ],
    overrides: [],
  });
  return { primary: schedule([ann.id, carl.id]), secondary: schedule([bob.id]), ...extra };
}

async function setUp(h: Harness, extra: Record<string, unknown> = {}) {
  const [ann, carl, bob] = [
    await h.person('agent', 'Ann On-Call'),
    await h.person('agent', 'Carl Next'),
    await h.person('agent', 'Bob Second'),
  ];
  const teamId = await team(h);
  const put = await h.call('PUT', `/teams/${teamId}/on-call`, { body: rota(ann, carl, bob, extra) });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  return { ann, carl, bob, teamId };
}

async function open(h: Harness, key: string, body: Record<string, unknown>) {
  const res = await h.call('POST', '/tickets', {
    key,
    body: { subject: 'Search is down', description: 'All queries time out', channel: 'form', ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const pages = (h: Harness): RecordedPage[] => (h.deps.pager as RecordingPager).pages;
const linkOf = (page: RecordedPage) => page.ackUrl.split('#/ack/')[1]!;

async function timeline(h: Harness, id: string, key?: string) {
  return (await h.call('GET', `/tickets/${id}`, key ? { key } : {})).body.timeline as Record<
    string,
    unknown
  >[];
}

describe('a breach at 03:00 on a 24/7 plan', () => {
  it('pages the on-call of that week, the secondary after 15 minutes, and stops when the secondary acknowledges by the link', async () => {
    const h = await harness('2026-12-06T23:00:00Z'); // Sunday, midnight in Stockholm
    const { ann, bob } = await setUp(h);
    const customer = await h.customer('sourcegraph-premium-24x7');
    const ticket = await open(h, customer.key, { priority: 'P2' }); // 4 h: due 03:00 UTC
    expect(ticket.sla.responseDueAt).toBe('2026-12-07T03:00:00.000Z');
    expect(pages(h)).toEqual([]); // a P2 does not page at once

    await h.advance(Z('2026-12-07T03:00:00Z'));
    expect(pages(h).map((p) => [p.to?.name, p.service, p.at])).toEqual([
      ['Ann On-Call', 'mail', '2026-12-07T03:00:00.000Z'], // Ann's week runs to Monday 09:00 Stockholm
    ]);
    expect(pages(h)[0]).toMatchObject({
      dedupKey: `${ticket.id}/response#1#breach`,
      severity: 'error',
      summary: `P2 ${ticket.id}: response deadline breached: Search is down`,
    });

    await h.advance(Z('2026-12-07T03:20:00Z'));
    expect(pages(h).map((p) => [p.to?.name, p.at])).toEqual([
      ['Ann On-Call', '2026-12-07T03:00:00.000Z'],
      ['Bob Second', '2026-12-07T03:15:00.000Z'],
    ]);
    const acked = await h.call('POST', '/pages/acknowledge', {
      key: null,
      body: { link: linkOf(pages(h)[1]!) },
    });
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    expect(acked.body).toEqual({ ticketId: ticket.id, acknowledged: 'now', by: 'Bob Second' });
    const again = await h.call('POST', '/pages/acknowledge', {
      key: null,
      body: { link: linkOf(pages(h)[1]!) },
    });
    expect(again.body.acknowledged).toBe('already');

    await h.advance(Z('2026-12-07T05:00:00Z'));
    expect(pages(h)).toHaveLength(2); // the support manager's step at 03:30 did nothing

    const staffView = await timeline(h, ticket.id);
    const steps = staffView.filter((e) => e.type === 'page');
    expect(
      steps.map((e) => [e.recipient, e.by, (e.to as { name: string } | null)?.name ?? e.unreached, e.dueAt]),
    ).toEqual([
      ['assignee', 'notify', 'the ticket has no assignee', '2026-12-07T02:12:00.000Z'], // the warning at 80 %
      ['on-call', 'page', 'Ann On-Call', '2026-12-07T03:00:00.000Z'],
      ['secondary', 'page', 'Bob Second', '2026-12-07T03:15:00.000Z'],
    ]);
    expect(steps.every((e) => !('tokenHash' in e))).toBe(true);
    expect(staffView.find((e) => e.type === 'acknowledged')).toMatchObject({
      via: 'link',
      actor: { name: 'Bob Second', staffId: bob.id },
    });

    // The customer sees that someone was paged and took it, never who or how.
    const theirs = await timeline(h, ticket.id, customer.key);
    expect(theirs.filter((e) => e.type === 'paged' || e.type === 'acknowledged')).toEqual([
      { seq: expect.any(Number), at: '2026-12-07T03:00:00.000Z', type: 'paged', actor: null },
      { seq: expect.any(Number), at: '2026-12-07T03:15:00.000Z', type: 'paged', actor: null },
      { seq: expect.any(Number), at: '2026-12-07T03:20:00.000Z', type: 'acknowledged', actor: null },
    ]);
    expect(JSON.stringify(theirs)).not.toContain('Ann');

    // The chain step by step: whom each step reached, what the acknowledgement stopped.
    const chains = (await h.call('GET', `/tickets/${ticket.id}/escalation`)).body.items;
    const breach = chains.find((c: { key: string }) => c.key === 'response#1#breach');
    expect(
      breach.steps.map((s: { recipient: string; state: string; to: { staffId: string } | null }) => [
        s.recipient,
        s.state,
        s.to?.staffId ?? null,
      ]),
    ).toEqual([
      ['on-call', 'sent', ann.id],
      ['secondary', 'sent', bob.id],
      ['support-manager', 'stopped', null],
    ]);
    expect(breach.acknowledged).toEqual({ at: '2026-12-07T03:20:00.000Z', by: 'Bob Second', via: 'link' });
    expect((await h.call('GET', `/tickets/${ticket.id}/escalation`, { key: customer.key })).status).toBe(403);
    const explained = (await h.call('GET', `/tickets/${ticket.id}/explain`)).body;
    expect(explained[0].escalation.map((c: { key: string }) => c.key)).toEqual([
      'response#1#warning',
      'response#1#breach',
    ]);
    const theirExplain = (await h.call('GET', `/tickets/${ticket.id}/explain`, { key: customer.key })).body;
    expect(theirExplain[0]).not.toHaveProperty('escalation');
  });

  it('reaches the next week’s person after the hand-off, by text message where they gave a number', async () => {
    const h = await harness('2026-12-07T07:00:00Z'); // Monday 08:00 Stockholm
    const { carl } = await setUp(h);
    const phone = await h.call('PATCH', `/staff/${carl.id}`, {
      key: carl.key,
      body: { phone: '+46701234567' },
    });
    expect(phone.status, JSON.stringify(phone.body)).toBe(200);
    const customer = await h.customer('sourcegraph-premium-24x7');
    await open(h, customer.key, { priority: 'P2' }); // due 11:00 UTC, after the 09:00 Stockholm hand-off
    await h.advance(Z('2026-12-07T11:00:00Z'));
    expect(pages(h).map((p) => [p.to?.name, p.service, p.to?.phone])).toEqual([
      ['Carl Next', 'sms', '+46701234567'],
    ]);
  });

  it('records no one on call as a step that reached no one, and goes on to the secondary', async () => {
    const h = await harness('2026-12-06T23:00:00Z');
    const [ann, bob] = [await h.person('agent', 'Ann'), await h.person('agent', 'Bob')];
    const teamId = await team(h);
    const later = {
      timeZone: 'UTC',
      layers: [
        {
          name: 'Late',
          rotation: { members: [ann.id], handoff: 'daily', at: '09:00', startsOn: '2027-01-04' },
        },
      ],
      overrides: [],
    };
    const secondary = {
      timeZone: 'UTC',
      layers: [
        {
          name: 'Always',
          rotation: { members: [bob.id], handoff: 'weekly', at: '00:00', startsOn: '2026-01-05' },
        },
      ],
      overrides: [],
    };
    expect(
      (await h.call('PUT', `/teams/${teamId}/on-call`, { body: { primary: later, secondary } })).status,
    ).toBe(200);
    const customer = await h.customer('sourcegraph-premium-24x7');
    const ticket = await open(h, customer.key, { priority: 'P2' });
    await h.advance(Z('2026-12-07T03:16:00Z'));
    const steps = (await timeline(h, ticket.id)).filter(
      (e) => e.type === 'page' && e.recipient !== 'assignee',
    );
    expect(steps.map((e) => [e.recipient, (e.to as { name: string } | null)?.name ?? e.unreached])).toEqual([
      ['on-call', 'no one is on-call until 2027-01-04T09:00:00.000Z'],
      ['secondary', 'Bob'],
    ]);
  });
});

describe('paging at once', () => {
  it('pages the on-call when a P1 opens on a 24/7 level, and an agent acknowledges in the console', async () => {
    const h = await harness('2026-12-07T02:00:00Z');
    const { ann } = await setUp(h);
    const customer = await h.customer('sourcegraph-premium-24x7');
    const ticket = await open(h, customer.key, { priority: 'P1' });
    expect(pages(h).map((p) => [p.to?.name, p.severity, p.summary])).toEqual([
      ['Ann On-Call', 'critical', `P1 ${ticket.id}: new P1 on 24/7 support: Search is down`],
    ]);
    const acked = await h.call('POST', `/tickets/${ticket.id}/acknowledge`, { key: ann.key });
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    expect(acked.body.timeline.at(-1)).toMatchObject({
      type: 'acknowledged',
      via: 'console',
      actor: { staffId: ann.id },
    });
    await h.advance(Z('2026-12-07T02:40:00Z'));
    expect(pages(h)).toHaveLength(1); // the secondary's step found it acknowledged
    // The breach at 03:00 is news: its own chain pages again.
    await h.advance(Z('2026-12-07T03:00:00Z'));
    expect(pages(h).map((p) => p.dedupKey)).toEqual([
      `${ticket.id}/created#1`,
      `${ticket.id}/response#1#breach`,
    ]);
  });

  it('pages when a customer writes the plan’s key-word', async () => {
    const h = await harness('2026-12-07T10:00:00Z'); // Monday 11:00 Paris
    await setUp(h);
    const customer = await h.customer('platformsh-enterprise');
    const ticket = await open(h, customer.key, { priority: 'P3' });
    expect(pages(h)).toEqual([]);
    const message = await h.call('POST', `/tickets/${ticket.id}/messages`, {
      key: customer.key,
      body: { body: 'Still broken #escalate' },
    });
    expect(message.status, JSON.stringify(message.body)).toBe(201);
    expect(pages(h).map((p) => [p.to?.name, p.dedupKey])).toEqual([
      [
        'Carl Next',
        `${ticket.id}/escalated#${message.body.timeline.find((e: { type: string }) => e.type === 'escalated').seq}`,
      ],
    ]);
    const theirs = await timeline(h, ticket.id, customer.key);
    expect(theirs.some((e) => e.type === 'paged')).toBe(true);
  });

  it('does nothing for a step event of a chain the ticket does not have', async () => {
    const h = await harness('2026-12-07T02:00:00Z');
    await setUp(h);
    const customer = await h.customer('sourcegraph-premium-24x7');
    const ticket = await open(h, customer.key, { priority: 'P3' });
    const result = await handleDeadlineEvent(
      { ticketId: ticket.id, chain: 'response#1#breach', chainSeq: 40, step: 1 },
      h.deps,
    );
    expect(result.outcome).toBe('stale');
    expect(pages(h)).toEqual([]);
  });
});

describe('PagerDuty', () => {
  const SECRET = 'whsec-test-secret-0123456789';
  const sign = (body: string, secret = SECRET) =>
    `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const webhook = (incidentKey: string, occurredAt: string, id = '01DEN8C8H8XYZ') =>
    JSON.stringify({
      event: {
        id,
        event_type: 'incident.acknowledged',
        resource_type: 'incident',
        occurred_at: occurredAt,
        agent: { id: 'PLH1HKV', summary: 'Tenex Engineer', type: 'user_reference' },
        client: null,
        data: {
          id: 'PGR0VU2',
          type: 'incident',
          number: 2,
          status: 'acknowledged',
          incident_key: incidentKey,
          title: 'Search is down',
        },
      },
    });

  it('sends pages to the team’s service with one dedup key per chain, and takes its signed acknowledgement once', async () => {
    process.env.PAGERDUTY_WEBHOOK_SECRET = SECRET;
    try {
      const h = await harness('2026-12-07T02:00:00Z');
      const routingKey = 'R0123456789abcdef0123456789ABCDE';
      const { teamId } = await setUp(h, { service: { kind: 'pagerduty', routingKey } });
      const read = await h.call('GET', `/teams/${teamId}/on-call`);
      expect(read.body.onCall.service).toEqual({ kind: 'pagerduty', routingKeyEnd: 'BCDE' });
      expect(JSON.stringify(read.body)).not.toContain(routingKey);

      const customer = await h.customer('sourcegraph-premium-24x7');
      const ticket = await open(h, customer.key, { priority: 'P1' });
      await h.advance(Z('2026-12-07T02:16:00Z'));
      expect(pages(h).map((p) => [p.service, p.dedupKey])).toEqual([
        ['pagerduty', `${ticket.id}/created#1`],
        ['pagerduty', `${ticket.id}/created#1`], // the secondary's step: the same incident
      ]);

      const now = new Date().toISOString();
      const body = webhook(`${ticket.id}/created#1`, now);
      const bad = await h.call('POST', '/integrations/pagerduty', {
        key: null,
        body: JSON.parse(body),
        headers: { 'x-pagerduty-signature': sign(body, 'another secret') },
      });
      expect([bad.status, bad.body.error.code]).toEqual([401, 'pagerduty-refused']);
      const staleBody = webhook(`${ticket.id}/created#1`, new Date(Date.now() - 2 * 3_600_000).toISOString());
      const stale = await h.call('POST', '/integrations/pagerduty', {
        key: null,
        body: JSON.parse(staleBody),
        headers: { 'x-pagerduty-signature': sign(staleBody) },
      });
      expect(stale.status).toBe(401);

      const call = () =>
        h.call('POST', '/integrations/pagerduty', {
          key: null,
          body: JSON.parse(body),
          headers: { 'x-pagerduty-signature': `v1=${'0'.repeat(64)}, ${sign(body)}` },
        });
      expect((await call()).body).toEqual({ outcome: 'now' });
      expect((await call()).body).toEqual({ outcome: 'already' }); // a replay is taken once
      const entry = (await timeline(h, ticket.id)).find((e) => e.type === 'acknowledged');
      expect(entry).toMatchObject({ via: 'pagerduty', actor: { name: 'Tenex Engineer' } });

      await h.advance(Z('2026-12-07T02:40:00Z'));
      expect(pages(h)).toHaveLength(2);
      // Resolving the ticket resolves the service's incident.
      const agent = await h.key('agent');
      await h.call('POST', `/tickets/${ticket.id}/messages`, { key: agent, body: { body: 'Fixed.' } });
      await h.call('POST', `/tickets/${ticket.id}/status`, { key: agent, body: { status: 'resolved' } });
      expect(pages(h)[0]!.closed).toEqual(['resolve']);
    } finally {
      delete process.env.PAGERDUTY_WEBHOOK_SECRET;
    }
  });
});

describe('the on-call as stored', () => {
  it('answers who is on call now and next, and the calendar of the coming weeks', async () => {
    const h = await harness('2026-12-03T12:00:00Z');
    const { teamId } = await setUp(h);
    const read = await h.call('GET', `/teams/${teamId}/on-call?weeks=2`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.primary.now).toMatchObject({
      name: 'Ann On-Call',
      from: '2026-11-30T08:00:00.000Z',
      to: '2026-12-07T08:00:00.000Z',
      by: 'Weekly',
    });
    expect(read.body.primary.next).toMatchObject({ name: 'Carl Next', from: '2026-12-07T08:00:00.000Z' });
    expect(read.body.primary.calendar.map((s: { name: string }) => s.name)).toEqual([
      'Ann On-Call',
      'Carl Next',
      'Ann On-Call',
    ]);
    expect(read.body.onCall.version).toBe(1);
  });

  it('refuses people who are not staff, a stale version, and bad rotations, by field', async () => {
    const h = await harness('2026-12-03T12:00:00Z');
    const { ann, carl, bob, teamId } = await setUp(h);
    const body = rota(ann, carl, bob);
    const stranger = await h.call('PUT', `/teams/${teamId}/on-call`, {
      headers: { 'if-match': '"1"' },
      body: {
        ...body,
        secondary: {
          ...body.secondary,
          overrides: [{ staffId: 'STF-NOBODY', from: '2026-12-24T00:00:00Z', to: '2026-12-27T00:00:00Z' }],
        },
      },
    });
    expect([stranger.status, stranger.body.error.details[0].field]).toEqual([
      422,
      'secondary.overrides.0.staffId',
    ]);
    const stale = await h.call('PUT', `/teams/${teamId}/on-call`, { headers: { 'if-match': '"0"' }, body });
    expect(stale.status).toBe(409);
    const bad = await h.call('PUT', `/teams/${teamId}/on-call`, {
      body: {
        primary: {
          timeZone: 'Mars/Olympus',
          layers: [
            { name: 'x', rotation: { members: [], handoff: 'hourly', at: '24:00', startsOn: '2026-13-01' } },
          ],
          overrides: [{ staffId: ann.id, from: '2026-12-24T00:00:00Z', to: '2026-12-23T00:00:00Z' }],
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((e: { field: string }) => e.field).sort()).toEqual([
      'primary.layers.0.rotation.at',
      'primary.layers.0.rotation.handoff',
      'primary.layers.0.rotation.members',
      'primary.layers.0.rotation.startsOn',
      'primary.overrides.0.to',
      'primary.timeZone',
    ]);
    const agentTry = await h.call('PUT', `/teams/${teamId}/on-call`, { key: ann.key, body });
    expect(agentTry.status).toBe(403);
    const missing = await h.call('GET', '/teams/TEAM-NONE/on-call');
    expect(missing.status).toBe(404);
  });
});

describe('Opsgenie', () => {
  const TOKEN = 'og-webhook-token-0123456789abcdef';
  const fixture = JSON.parse(
    readFileSync(new URL('../fixtures/paging/opsgenie-acknowledge.json', import.meta.url), 'utf8'),
  );

  it('creates the team’s alert by alias, and takes its Acknowledge callback once, with the token only', async () => {
    process.env.OPSGENIE_WEBHOOK_TOKEN = TOKEN;
    try {
      const h = await harness('2026-12-07T02:00:00Z');
      await setUp(h, { service: { kind: 'opsgenie', team: 'Platform' } });
      const customer = await h.customer('sourcegraph-premium-24x7');
      const ticket = await open(h, customer.key, { priority: 'P1' });
      expect(pages(h).map((p) => [p.service, p.dedupKey, p.via])).toEqual([
        ['opsgenie', `${ticket.id}/created#1`, { kind: 'opsgenie', team: 'Platform' }],
      ]);
      const callback = (at: number, authorization = `Bearer ${TOKEN}`) =>
        h.call('POST', '/integrations/opsgenie', {
          key: null,
          headers: { authorization },
          body: {
            ...fixture,
            alert: { ...fixture.alert, alias: `${ticket.id}/created#1`, updatedAt: at * 1e6 },
          },
        });
      expect((await callback(Date.now(), 'Bearer wrong-token-0123456789abcdefgh')).status).toBe(401);
      expect((await callback(Date.now() - 2 * 3_600_000)).status).toBe(401);
      const now = Date.now();
      expect((await callback(now)).body).toEqual({ outcome: 'now' });
      expect((await callback(now)).body).toEqual({ outcome: 'already' });
      expect((await timeline(h, ticket.id)).find((e) => e.type === 'acknowledged')).toMatchObject({
        via: 'opsgenie',
        actor: { name: 'fili@ifountain.com' },
      });
      await h.advance(Z('2026-12-07T02:40:00Z'));
      expect(pages(h)).toHaveLength(1);
    } finally {
      delete process.env.OPSGENIE_WEBHOOK_TOKEN;
    }
  });
});

describe('lost events and level policies', () => {
  it('pages the secondary from the sweeper when its step’s event was lost', async () => {
    const h = await harness('2026-12-06T23:00:00Z');
    await setUp(h);
    const customer = await h.customer('sourcegraph-premium-24x7');
    const ticket = await open(h, customer.key, { priority: 'P2' });
    await h.advance(Z('2026-12-07T03:00:00Z'));
    const name = `${ticket.id}.response.1.breach.s2`;
    expect((await h.scheduler.due(Z('2026-12-07T04:00:00Z'))).map((s) => s.name)).toContain(name);
    expect(await h.scheduler.claim(name)).toBe(true); // the event is lost
    await h.advance(Z('2026-12-07T03:20:00Z')); // a sweep after the step's grace minute
    expect(pages(h).map((p) => [p.to?.name, p.at])).toEqual([
      ['Ann On-Call', '2026-12-07T03:00:00.000Z'],
      ['Bob Second', expect.stringMatching(/^2026-12-07T03:(1[6-9]|20)/)],
    ]);
  });

  it('follows a level’s own policy where the plan gives one', async () => {
    const h = await harness('2026-12-06T23:00:00Z');
    await setUp(h);
    const plan = (await h.call('GET', '/plans/sourcegraph-premium-24x7')).body;
    const { version: _v, ...rest } = plan;
    const custom = {
      ...rest,
      id: 'initech-24x7',
      levels: {
        ...plan.levels,
        P2: {
          ...plan.levels.P2,
          escalationPolicy: { steps: [{ on: 'breach', afterMinutes: 0, to: 'secondary', by: 'page' }] },
        },
      },
    };
    const made = await h.call('POST', '/plans', { body: custom });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const customer = await h.customer('initech-24x7');
    await open(h, customer.key, { priority: 'P2' });
    await h.advance(Z('2026-12-07T03:30:00Z'));
    expect(pages(h).map((p) => p.to?.name)).toEqual(['Bob Second']); // no on-call step at this level
  });
});
