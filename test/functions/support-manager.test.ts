// A dedicated support manager (Ombori Production and Enterprise): named by an admin on plans
// that include one, the default assignee of the customer's tickets, on every P1 notice, copied
// on the monthly report; customers see their name, never their address.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, type Person } from './harness';

let h: Harness;
let agent: string;
let kim: Person;
/** Who is named: a staff account of the directory. */
const manager = () => ({ staffId: kim.id });

beforeAll(async () => {
  h = await harness('2026-11-23T08:00:00Z');
  agent = await h.key('agent');
  kim = await h.person('agent', 'Kim Lund');
});

describe('support managers', () => {
  it('are named only by admins, only on plans that include one', async () => {
    const pilot = await h.customer('ombori-pilot');
    const refused = await h.call('PATCH', `/customers/${pilot.id}`, { body: { supportManager: manager() } });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'no-support-manager' });
    expect(refused.body.error.details[0].field).toBe('supportManager');
    const production = await h.customer('ombori-production');
    const byAgent = await h.call('PATCH', `/customers/${production.id}`, {
      key: agent,
      body: { supportManager: manager() },
    });
    expect(byAgent.status).toBe(403);
    const bad = await h.call('PATCH', `/customers/${production.id}`, {
      body: { supportManager: { staffId: 'not an id!' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('supportManager.staffId');
    const nobody = await h.call('PATCH', `/customers/${production.id}`, {
      body: { supportManager: { staffId: 'STF-NOPE000000' } },
    });
    expect(nobody.status).toBe(422);
    expect(nobody.body.error).toMatchObject({
      code: 'unknown-staff',
      details: [{ field: 'supportManager.staffId' }],
    });
    expect(
      (await h.call('PATCH', '/customers/CUS-NOPE0000000', { body: { supportManager: null } })).status,
    ).toBe(404);
  });

  it('take the customer’s tickets, hear of its P1s, and are copied on its monthly report', async () => {
    const acme = await h.customer('ombori-enterprise', [{ email: 'ann@acme.test', name: 'Ann' }]);
    const named = await h.call('PATCH', `/customers/${acme.id}`, { body: { supportManager: manager() } });
    expect(named.status).toBe(200);
    expect(named.body.supportManager).toEqual({ staffId: kim.id, email: kim.email, name: 'Kim Lund' });
    const seen = await h.call('GET', `/customers/${acme.id}`, { key: acme.key });
    expect(seen.body.supportManager).toEqual({ name: 'Kim Lund' });
    const ticket = await h.call('POST', '/tickets', {
      key: acme.key,
      body: { subject: 'All screens black', description: 'Every store', priority: 'P1' },
    });
    expect(ticket.body.assignee).toBe('Kim Lund');
    const staffView = (await h.call('GET', `/tickets/${ticket.body.id}`, { key: agent })).body;
    expect(staffView).toMatchObject({ assignee: kim.email, assigneeId: kim.id });
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
