// A contract's support-hours bank in the monthly report: chargeable time draws on it first,
// the report shows included, used and remaining, and only time beyond it is charged.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await harness('2026-11-02T09:00:00Z');
});

describe('support-hours bank', () => {
  it('is drawn by chargeable time and reported with what is left and what was charged', async () => {
    const created = await h.call('POST', '/customers', {
      body: {
        name: 'Paris Shop',
        planId: 'platformsh-standard',
        contacts: [{ email: 'ops@paris.test', name: 'Ops' }],
        contract: { hourlyRate: 160, supportHours: { hours: 1, per: 'month' } },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.contract.supportHours).toEqual({ hours: 1, per: 'month' });
    const agent = await h.key('agent');
    const ticket = await h.call('POST', '/tickets', {
      key: agent,
      body: {
        customerId: created.body.id,
        subject: 'Deploy fails',
        description: 'x',
        priority: 'P3',
        category: 'bug',
      },
    });
    for (const minutes of [50, 20])
      await h.call('POST', `/tickets/${ticket.body.id}/time-entries`, { key: agent, body: { minutes } });
    await h.advance(Date.parse('2026-12-01T08:00:00Z'));
    const report = (await h.call('GET', `/customers/${created.body.id}/reports/2026-11`)).body;
    expect(report.time.bank).toEqual({
      per: 'month',
      includedMinutes: 60,
      usedBeforeMinutes: 0,
      usedMinutes: 60,
      remainingMinutes: 0,
      beyondMinutes: 30,
    });
    expect(report.time.amount).toBe(80); // 30 minutes at 160 an hour
    const mail = h.outbox.list().find((m) => m.to.includes('ops@paris.test') && /report/i.test(m.subject));
    expect(mail?.text).toContain(
      'Support hours: 1 h included this month, 1 h used this month, 0 min left; 30 min beyond it, charged at the tariff.',
    );
    const bad = await h.call('POST', '/customers', {
      body: {
        name: 'Bad',
        planId: 'platformsh-standard',
        contacts: [{ email: 'x@bad.test', name: 'X' }],
        contract: { supportHours: { hours: 0.3, per: 'month' } },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('contract.supportHours.hours');
  });

  it('warns the contacts and escalation contacts at 80 % and 100 % used, once each per period', async () => {
    const created = await h.call('POST', '/customers', {
      body: {
        name: 'Lyon Shop',
        planId: 'platformsh-standard',
        contacts: [{ email: 'ops@lyon.test', name: 'Ops' }],
        contract: { hourlyRate: 100, supportHours: { hours: 2, per: 'month' } },
      },
    });
    const agent = await h.key('agent');
    const ticket = await h.call('POST', '/tickets', {
      key: agent,
      body: {
        customerId: created.body.id,
        subject: 'Cache',
        description: 'x',
        priority: 'P3',
        category: 'bug',
      },
    });
    const warnings = () =>
      h.outbox.list().filter((m) => m.subject.startsWith('Support hours') && m.to.includes('ops@lyon.test'));
    const log = async (minutes: number) => {
      await h.call('POST', `/tickets/${ticket.body.id}/time-entries`, { key: agent, body: { minutes } });
      await h.advance(h.clock.now());
    };
    await log(60); // 50 %
    expect(warnings()).toHaveLength(0);
    await log(40); // 60 + 45 = 105 of 120 min: 87.5 %
    expect(warnings().map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Support hours 80 % used \(2026-12\): Lyon Shop$/),
    ]);
    expect(warnings()[0]!.text).toContain('0.25 h remain');
    await log(5); // 120 min: 100 %
    await log(30); // beyond: no third mail
    expect(warnings().map((m) => m.subject.slice(0, 24))).toEqual([
      'Support hours 80 % used ',
      'Support hours 100 % used',
    ]);
    expect(warnings()[1]!.text).toContain('has used all 2 h of support included for 2026-12');
  });
});
