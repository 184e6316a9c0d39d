// Tickets say which component and device they are about; the monthly report of plans with
// learning suggestions (Ombori Production, Enterprise) names the ones with most tickets and
// breaches against the three months before, as suggestions.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;

beforeAll(async () => {
  h = await harness('2026-08-03T07:00:00Z');
  agent = await h.key('agent');
});

async function open(customerId: string, body: Record<string, unknown>) {
  const res = await h.call('POST', '/tickets', {
    key: agent,
    body: { customerId, subject: 'Screen', description: 'x', priority: 'P3', ...body },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('component and device of a ticket', () => {
  it('are set on creation, changed by staff with a timeline entry, and seen by the customer', async () => {
    const acme = await h.customer('ombori-production');
    const id = await open(acme.id, { component: '  Player ', device: 'Kiosk 😀 12' });
    const patched = await h.call('PATCH', `/tickets/${id}`, {
      key: agent,
      body: { component: null, device: 'Kiosk 13' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ component: null, device: 'Kiosk 13' });
    const seen = (await h.call('GET', `/tickets/${id}`, { key: acme.key })).body;
    expect(seen).toMatchObject({ component: null, device: 'Kiosk 13' });
    expect(seen.timeline.filter((e: { type: string }) => e.type === 'field')).toEqual([
      expect.objectContaining({ field: 'component', from: 'Player', to: null }),
      expect.objectContaining({ field: 'device', from: 'Kiosk 😀 12', to: 'Kiosk 13' }),
    ]);
    const byCustomer = await h.call('PATCH', `/tickets/${id}`, { key: acme.key, body: { device: 'x' } });
    expect(byCustomer.status).toBe(403);
  });

  it('refuse control characters, blanks and more than 100 characters, naming the field', async () => {
    const acme = await h.customer('ombori-production');
    for (const [body, field] of [
      [{ device: 'Kiosk\u000012' }, 'device'],
      [{ component: '   ' }, 'component'],
      [{ device: '𝔸'.repeat(101) }, 'device'],
    ] as const) {
      const res = await h.call('POST', '/tickets', {
        key: agent,
        body: { customerId: acme.id, subject: 's', description: 'd', priority: 'P3', ...body },
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
    expect(await open(acme.id, { device: '𝔸'.repeat(100) })).toMatch(/^TKT-/);
  });
});

describe('learning suggestions in the monthly report', () => {
  it('name the device and category with most tickets this month against the three before', async () => {
    const shop = await h.customer('ombori-production', [{ email: 'ops@shop.test', name: 'Ops' }]);
    const pilot = await h.customer('ombori-pilot');
    // August and September: three tickets a month on Kiosk 12 (spelled two ways).
    for (const _ of [1, 2, 3]) await open(shop.id, { device: 'Kiosk 12' });
    await h.advance(Date.parse('2026-09-07T07:00:00Z'));
    for (const _ of [1, 2, 3]) await open(shop.id, { device: 'kiosk  12' });
    await h.advance(Date.parse('2026-11-02T07:00:00Z'));
    // November: four on Kiosk 12, two answered in time, two left to breach; one set by an agent.
    const kiosk = [];
    for (const _ of [1, 2, 3]) kiosk.push(await open(shop.id, { device: 'Kiosk 12' }));
    const later = await open(shop.id, {});
    await h.call('PATCH', `/tickets/${later}`, { key: agent, body: { device: 'Kiosk 12' } });
    for (const id of kiosk.slice(0, 2))
      await h.call('POST', `/tickets/${id}/messages`, { key: agent, body: { body: 'Looking at it.' } });
    for (const _ of [1, 2]) await open(shop.id, { category: 'configuration-error' });
    await open(shop.id, { device: 'Kiosk 7' });
    await open(pilot.id, { device: 'Kiosk 12' });
    await open(pilot.id, { device: 'Kiosk 12' });
    await h.advance(Date.parse('2026-12-01T08:00:00Z'));

    const report = (await h.call('GET', `/customers/${shop.id}/reports/2026-11`)).body;
    expect(report.learning.comparedWith).toEqual(['2026-10', '2026-09', '2026-08']);
    expect(report.learning.suggestions.map((s: { text: string }) => s.text)).toEqual([
      '2 tickets were configuration errors (none in the previous three months, 2 of them with a missed deadline): training the staff who change the configuration may prevent most of these.',
      'Device “Kiosk 12” had 4 tickets (up from 2 a month in the previous three months, 2 of them with a missed deadline): checking or replacing its hardware may prevent more.',
    ]);
    const mail = h.outbox
      .list()
      .find((m) => m.to.includes('ops@shop.test') && m.subject.includes('November'));
    expect(mail?.text).toContain(
      'Where tickets could be prevented:\n- 2 tickets were configuration errors (none in the previous three months',
    );
    expect(mail?.html).toContain('<li>Device “Kiosk 12” had 4 tickets (up from 2 a month');
    const csv = mail?.attachments?.[0]?.content.split('\r\n') ?? [];
    expect(csv[0]).toContain(',category,component,device,');
    expect(csv.filter((line) => line.includes('"Kiosk 12"'))).toHaveLength(4);
    const others = (await h.call('GET', `/customers/${pilot.id}/reports/2026-11`)).body;
    expect(others.learning).toBeNull();
  });
});
