// A dedicated support manager (Ombori Production and Enterprise): named by an admin on plans
// that include one, the default assignee of the customer's tickets, on every P1 notice, copied
// on the monthly report; customers see their name, never their address.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;
let agent: string;
const kim = { email: 'kim.lund@desk.test', name: 'Kim Lund' };

beforeAll(async () => {
  h = await harness('2026-11-23T08:00:00Z');
  agent = await h.key('agent');
});

describe('support managers', () => {
  it('are named only by admins, only on plans that include one', async () => {
    const pilot = await h.customer('ombori-pilot');
    const refused = await h.call('PATCH', `/customers/${pilot.id}`, { body: { supportManager: kim } });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'no-support-manager' });
    expect(refused.body.error.details[0].field).toBe('supportManager');
    const production = await h.customer('ombori-production');
    const byAgent = await h.call('PATCH', `/customers/${production.id}`, {
      key: agent,
      body: { supportManager: kim },
    });
    expect(byAgent.status).toBe(403);
    const bad = await h.call('PATCH', `/customers/${production.id}`, {
      body: { supportManager: { email: 'not an address', name: 'x' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('supportManager.email');
    expect(
      (await h.call('PATCH', '/customers/CUS-NOPE0000000', { body: { supportManager: null } })).status,
    ).toBe(404);
  });

  it('take the customer’s tickets, hear of its P1s, and are copied on its monthly report', async () => {
    const acme = await h.customer('ombori-enterprise', [{ email: 'ann@acme.test', name: 'Ann' }]);
    const named = await h.call('PATCH', `/customers/${acme.id}`, { body: { supportManager: kim } });
    expect(named.status).toBe(200);
    expect(named.body.supportManager).toEqual(kim);
    const seen = await h.call('GET', `/customers/${acme.id}`, { key: acme.key });
    expect(seen.body.supportManager).toEqual({ name: 'Kim Lund' });
    const ticket = await h.call('POST', '/tickets', {
      key: acme.key,
      body: { subject: 'All screens black', description: 'Every store', priority: 'P1' },
    });
    expect(ticket.body.assignee).toBe('Kim Lund');
    expect((await h.call('GET', `/tickets/${ticket.body.id}`, { key: agent })).body.assignee).toBe(kim.email);
    const notice = h.outbox
      .list()
      .find((m) => m.subject.includes('Major incident') && m.subject.includes(ticket.body.id));
    expect(notice?.to).toEqual(['ann@acme.test', kim.email]);
    await h.advance(Date.parse('2026-12-01T00:05:00Z')); // November's reports run
    const report = h.outbox.list().find((m) => m.to.includes('ann@acme.test') && /report/i.test(m.subject));
    expect(report?.cc).toEqual([kim.email]);
    // Removed: new tickets are unassigned again.
    await h.call('PATCH', `/customers/${acme.id}`, { body: { supportManager: null } });
    const next = await h.call('POST', '/tickets', {
      key: acme.key,
      body: { subject: 'One kiosk slow', description: 'Store 4', priority: 'P3' },
    });
    expect(next.body.assignee).toBeNull();
  });
});
