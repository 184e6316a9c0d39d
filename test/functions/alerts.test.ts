// Monitoring alerts from Prometheus Alertmanager (webhook v4, a real notification's shape):
// a firing alert opens a ticket and an incident, repeats change nothing, the resolution ends
// the incident, a new firing adds to the same ticket; only a customer's monitoring key files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

const firing = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'alerts', 'alertmanager-firing.json'), 'utf8'),
);
const resolved = (endsAt: string, startsAt = firing.alerts[0].startsAt) => ({
  ...firing,
  status: 'resolved',
  alerts: [{ ...firing.alerts[0], status: 'resolved', startsAt, endsAt }],
});
const refiring = (startsAt: string) => ({ ...firing, alerts: [{ ...firing.alerts[0], startsAt }] });

let h: Harness;
let agent: string;
let acme: { id: string; key: string };
let alertKey: string;
const post = (body: unknown, key: string | null = alertKey, path = '/integrations/alerts') =>
  h.call('POST', path, { key, body });
const tickets = async () =>
  (await h.call('GET', `/tickets?customerId=${acme.id}&limit=100`, { key: agent })).body.items as {
    id: string;
    channel: string;
    priority: string;
    subject: string;
  }[];

beforeAll(async () => {
  h = await harness('2026-11-23T08:12:00Z'); // Mon 09:12 Stockholm
  agent = await h.key('agent');
  acme = await h.customer('ombori-production');
  const created = await h.call('POST', `/customers/${acme.id}/alert-keys`, { body: { name: 'Prometheus' } });
  expect(created.status).toBe(201);
  alertKey = created.body.key;
});

describe('monitoring keys', () => {
  it('file alerts and open nothing else; plans without monitoring get none', async () => {
    expect((await h.call('GET', '/tickets', { key: alertKey })).status).toBe(401);
    expect((await h.call('GET', `/customers/${acme.id}`, { key: alertKey })).status).toBe(401);
    const platform = await h.customer('platformsh-standard'); // form, email, api: no monitoring
    const refused = await h.call('POST', `/customers/${platform.id}/alert-keys`, { body: { name: 'x' } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('channel-not-included');
    expect(
      (await h.call('POST', `/customers/${acme.id}/alert-keys`, { key: agent, body: { name: 'x' } })).status,
    ).toBe(403);
  });

  it('refuses notifications without a monitoring key, or with another kind of key', async () => {
    for (const key of [null, 'sla_not_a_key_at_all', acme.key, agent]) {
      const res = await post(firing, key);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    expect(await tickets()).toHaveLength(0);
  });
});

describe('an alert’s life', () => {
  it('opens a P1 monitoring ticket and an incident for the customer and component', async () => {
    const res = await post(firing);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ opened: 1, updated: 0, resolved: 0, unchanged: 0, queued: 0 });
    const [ticket] = await tickets();
    expect(ticket).toMatchObject({
      channel: 'monitoring',
      priority: 'P1',
      subject: 'Kiosk player down (player)',
      component: 'player',
    });
    const open = (await h.deps.incidents.touching('2026-11')).filter((i) => i.customerIds?.includes(acme.id));
    expect(open).toEqual([
      expect.objectContaining({ component: 'player', startedAt: '2026-11-23T08:10:00.000Z', endedAt: null }),
    ]);
  });

  it('changes nothing when the same firing is notified again, even at once', async () => {
    const again = await Promise.all([
      post(firing),
      post(firing),
      post(firing, null, `/integrations/alerts?key=${alertKey}`),
    ]);
    expect(again.map((r) => r.body.unchanged)).toEqual([1, 1, 1]);
    expect(await tickets()).toHaveLength(1);
  });

  it('ends the incident on resolution, says so on the ticket, once', async () => {
    await h.advance(Date.parse('2026-11-23T08:20:00Z'));
    expect((await post(resolved('2026-11-23T08:17:30.000Z'))).body.resolved).toBe(1);
    expect((await post(resolved('2026-11-23T08:17:30.000Z'))).body.unchanged).toBe(1);
    const [ticket] = await tickets();
    const full = (await h.call('GET', `/tickets/${ticket!.id}`, { key: agent })).body;
    const messages = full.timeline.filter((e: { type: string }) => e.type === 'message');
    expect(messages.map((m: { body: string }) => m.body.split(':')[0])).toEqual([
      'Resolved at 2026-11-23T08',
    ]);
    const incidents = (await h.deps.incidents.touching('2026-11')).filter((i) =>
      i.customerIds?.includes(acme.id),
    );
    expect(incidents.map((i) => [i.startedAt, i.endedAt])).toEqual([
      ['2026-11-23T08:10:00.000Z', '2026-11-23T08:17:30.000Z'],
    ]);
  });

  it('adds a new firing of the same alert to its ticket, with a new incident', async () => {
    await h.advance(Date.parse('2026-11-23T09:05:00Z'));
    expect((await post(refiring('2026-11-23T09:00:00.000Z'))).body.updated).toBe(1);
    expect((await post(refiring('2026-11-23T09:00:00.000Z'))).body.unchanged).toBe(1);
    expect(await tickets()).toHaveLength(1);
    const incidents = (await h.deps.incidents.touching('2026-11')).filter((i) =>
      i.customerIds?.includes(acme.id),
    );
    expect(incidents.map((i) => i.endedAt)).toEqual(
      expect.arrayContaining(['2026-11-23T08:17:30.000Z', null]),
    );
  });

  it('refuses what is not an Alertmanager v4 notification, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ ...firing, version: '3' }, 'version'],
      [{ ...firing, alerts: [] }, 'alerts'],
      [
        { ...firing, alerts: [{ ...firing.alerts[0], startsAt: '0001-01-01T00:00:00Z' }] },
        'alerts.0.startsAt',
      ],
      [{ ...firing, alerts: [{ ...firing.alerts[0], status: 'pending' }] }, 'alerts.0.status'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
  });
});

describe('alerts as real senders send them', () => {
  let shop: { id: string; key: string };
  let key: string;
  const send = (body: unknown) => h.call('POST', '/integrations/alerts', { key, body });
  const ticketsOf = async () =>
    (await h.call('GET', `/tickets?customerId=${shop.id}&limit=100`, { key: agent })).body.items as {
      id: string;
      subject: string;
      priority: string;
    }[];
  const incidentsOf = async () =>
    (await h.deps.incidents.touching('2026-11'))
      .filter((i) => i.customerIds?.includes(shop.id))
      .map((i) => [i.startedAt, i.endedAt])
      .sort();
  const alert = (fingerprint: string, instance: string, over: Record<string, unknown> = {}) => ({
    ...firing.alerts[0],
    fingerprint,
    labels: { ...firing.alerts[0].labels, instance },
    ...over,
  });
  const group = (alerts: unknown[], over: Record<string, unknown> = {}) => ({
    ...firing,
    groupKey: `{}:{alertname="PlayerDown",shop="${shop.id}"}`,
    commonLabels: { alertname: 'PlayerDown', job: 'kiosk-player', severity: 'critical', component: 'player' },
    alerts,
    ...over,
  });

  beforeAll(async () => {
    shop = await h.customer('ombori-production', [{ email: 'sam@shop.test', name: 'Sam' }]);
    key = (await h.call('POST', `/customers/${shop.id}/alert-keys`, { body: { name: 'Prometheus' } })).body
      .key;
  });

  it('takes Grafana’s webhook (version 1) as documented', async () => {
    const grafana = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', 'fixtures', 'alerts', 'grafana-firing.json'), 'utf8'),
    );
    const res = await send(grafana);
    expect(res.status).toBe(200);
    expect(res.body.opened).toBe(2);
    const subjects = (await ticketsOf()).map((t) => t.subject).sort();
    expect(subjects).toEqual([
      'This alert was triggered for zone eu-1 (High CPU usage, zone eu-1)',
      'This alert was triggered for zone us-1 (High memory usage, zone us-1)',
    ]);
  });

  it('names each alert of a group in its subject, and mails the customer once for the group', async () => {
    const before = h.outbox.list().length;
    const res = await send(
      group([alert('g1', 'kiosk-1:9100'), alert('g2', 'kiosk-2:9100'), alert('g3', 'kiosk-3:9100')]),
    );
    expect(res.body.opened).toBe(3);
    const subjects = (await ticketsOf())
      .map((t) => t.subject)
      .filter((s) => s.startsWith('Kiosk player down'));
    expect(subjects.sort()).toEqual([
      'Kiosk player down (player, instance kiosk-1:9100)',
      'Kiosk player down (player, instance kiosk-2:9100)',
      'Kiosk player down (player, instance kiosk-3:9100)',
    ]);
    // Three P1 alerts of one group: one major-incident notice, no acknowledgements.
    const toSam = h.outbox
      .list()
      .slice(before)
      .filter((m) => m.to.includes('sam@shop.test'));
    expect(toSam.map((m) => m.subject.replace(/\[TKT-\w+\] /, ''))).toEqual([
      expect.stringMatching(/^Major incident/),
    ]);
  });

  it('files a group of 120 alerts: 50 at once and the rest right after, never a 4xx', async () => {
    const many = Array.from({ length: 120 }, (_, i) => alert(`m${i}`, `screen-${i}:9100`));
    const res = await send(group(many, { groupKey: 'many' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ opened: 50, queued: 70 });
    await h.advance(h.clock.now());
    const subjects: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { subject: string }[]; nextCursor: string | null } } = await h.call(
        'GET',
        `/tickets?customerId=${shop.id}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { key: agent },
      );
      subjects.push(...page.body.items.map((t) => t.subject));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(subjects.filter((s) => s.includes('instance screen-'))).size).toBe(120);
  }, 60_000);

  it('records on the ticket how many alerts the sender cut (max_alerts)', async () => {
    const res = await send(group([alert('t1', 'kiosk-9:9100')], { groupKey: 'cut', truncatedAlerts: 7 }));
    expect(res.body.opened).toBe(1);
    const { ticketId } = (await h.deps.incidents.getAlert(shop.id, 'am:t1'))!;
    const full = (await h.call('GET', `/tickets/${ticketId}`, { key: agent })).body;
    expect(full.description).toContain('The sender left out 7 more alerts of this notification');
  });

  it('keeps uptime true whatever order notifications arrive in: a resolve before its firing, a late resolve', async () => {
    const start = '2026-11-23T08:30:00.000Z';
    const reorder = alert('r1', 'kiosk-20:9100', { startsAt: start });
    const resolve = { ...reorder, status: 'resolved', endsAt: '2026-11-23T08:34:00.000Z' };
    // The resolve arrives first; its firing, retried, after.
    expect((await send(group([resolve], { groupKey: 'r', status: 'resolved' }))).body.opened).toBe(1);
    expect((await send(group([reorder], { groupKey: 'r' }))).body.unchanged).toBe(1);
    // A second alert fires, fires again later, and only then is its first firing's resolve heard.
    const first = alert('r2', 'kiosk-21:9100', { startsAt: '2026-11-23T08:40:00.000Z' });
    await send(group([first], { groupKey: 'r2' }));
    await send(group([{ ...first, startsAt: '2026-11-23T08:50:00.000Z' }], { groupKey: 'r2' }));
    await send(
      group([{ ...first, status: 'resolved', endsAt: '2026-11-23T08:45:00.000Z' }], {
        groupKey: 'r2',
        status: 'resolved',
      }),
    );
    const incidents = await incidentsOf();
    expect(incidents).toEqual(
      expect.arrayContaining([
        ['2026-11-23T08:30:00.000Z', '2026-11-23T08:34:00.000Z'],
        ['2026-11-23T08:40:00.000Z', '2026-11-23T08:45:00.000Z'],
        ['2026-11-23T08:50:00.000Z', null],
      ]),
    );
  });
});
