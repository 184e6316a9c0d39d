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
    expect(res.body).toEqual({ opened: 1, updated: 0, resolved: 0, unchanged: 0 });
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
      [{ ...firing, alerts: Array.from({ length: 1001 }, () => firing.alerts[0]) }, 'alerts'],
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
