// Monitoring to uptime on the local runtime, over HTTP, with the virtual clock: Alertmanager
// fires and resolves twice in November, and December's run reports November's downtime from
// those alerts alone, with no incident typed by anyone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime';
import { apiOf, virtualRuntime } from './support';

let runtime: LocalRuntime;
const admin: ReturnType<typeof apiOf> = (...args) => apiOf(runtime)(...args);
const firing = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'alerts', 'alertmanager-firing.json'), 'utf8'),
);
const notify = (key: string, status: 'firing' | 'resolved', startsAt: string, endsAt?: string) =>
  fetch(`${runtime.url}/integrations/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      ...firing,
      status,
      alerts: [{ ...firing.alerts[0], status, startsAt, endsAt: endsAt ?? '0001-01-01T00:00:00Z' }],
    }),
  }).then((r) => r.json());

beforeAll(async () => {
  runtime = await virtualRuntime(Date.parse('2026-11-10T09:00:00Z'));
}, 60_000);
afterAll(() => runtime?.stop());

describe('monitoring on the local runtime', () => {
  it('makes November’s uptime from Alertmanager’s alerts', async () => {
    const acme = await admin('POST', '/customers', {
      name: 'Acme',
      planId: 'ombori-production',
      contacts: [{ email: 'ann@acme.test', name: 'Ann' }],
    });
    const key = (await admin('POST', `/customers/${acme.id}/alert-keys`, { name: 'Prometheus' })).key;
    expect(await notify(key, 'firing', '2026-11-10T08:59:00Z')).toMatchObject({ opened: 1 });
    await admin('POST', '/local/clock', { advance: 'PT1M' });
    expect(await notify(key, 'firing', '2026-11-10T08:59:00Z')).toMatchObject({ unchanged: 1 });
    expect(await notify(key, 'resolved', '2026-11-10T08:59:00Z', '2026-11-10T09:00:30Z')).toMatchObject({
      resolved: 1,
    });
    await admin('POST', '/local/clock', { to: '2026-11-20T12:00:00Z' });
    expect(await notify(key, 'firing', '2026-11-20T11:59:50Z')).toMatchObject({ updated: 1 });
    expect(await notify(key, 'resolved', '2026-11-20T11:59:50Z', '2026-11-20T12:00:00Z')).toMatchObject({
      resolved: 1,
    });
    // December begins: November's reports run on the virtual clock.
    await admin('POST', '/local/clock', { to: '2026-12-01T06:00:00Z' });
    const report = await admin('GET', `/customers/${acme.id}/reports/2026-11`);
    // 90 s + 10 s down: over the 99.999 % budget of 26 s.
    expect(report.uptime).toMatchObject({ downtimeSeconds: 100, met: false });
    const tickets = await admin('GET', `/tickets?customerId=${acme.id}`);
    expect(tickets.items).toHaveLength(1);
    expect(tickets.items[0]).toMatchObject({ channel: 'monitoring', priority: 'P1' });
  }, 60_000);
});
