// The monthly report's text part, whole: what a customer reads in a mail client without HTML.
import { expect, it } from 'vitest';
import { harness, openTicket } from './harness';

const Z = (iso: string) => Date.parse(iso);

it('reads, word for word, as the text part of November’s report', async () => {
  const h = await harness('2026-11-02T08:00:00Z'); // Mon 09:00 Stockholm
  const agent = await h.key('agent');
  const created = await h.call('POST', '/customers', {
    body: {
      name: 'Acme <Retail> & Co',
      planId: 'ombori-production',
      contacts: [{ email: 'ann@acme.test', name: 'Ann' }],
      contract: { serviceContract: true, updateSubscription: false, hourlyRate: 100, currency: 'SEK' },
    },
  });
  const key = await h.key('customer', created.body.id);
  const open = (priority: string, subject: string) => openTicket(h, key, priority, subject);
  const p1 = await open('P1', 'Screens black');
  await open('P2', 'Menu board frozen');
  await h.advance(Z('2026-11-02T08:10:00Z'));
  await h.call('POST', `/tickets/${p1}/messages`, { key: agent, body: { body: 'On it' } });
  await h.call('POST', `/tickets/${p1}/time-entries`, { key: agent, body: { minutes: 20 } });
  await h.call('POST', '/incidents', {
    key: agent,
    body: { component: 'grid', startedAt: '2026-11-10T10:00:00Z', endedAt: '2026-11-10T10:00:40Z' },
  });
  await h.advance(Z('2026-12-01T00:05:00Z')); // November's reports run
  const mail = h.outbox.list().find((m) => m.subject.startsWith('Support report'))!;
  expect(mail.text.replace(/TKT-[0-9A-Z]{10}/g, 'TKT-…')).toBe(
    [
      'Acme <Retail> & Co: support report for November 2026 (Ombori Production)',
      'The clocks count business hours: Mon-Sun 08:00-21:00 (Europe/Stockholm).',
      '',
      'Uptime: 99.998 %. Error budget for the 99.999 % target: 40 s of 26 s allowed downtime used (154.3 %), over by 14 s.',
      'Incidents:',
      '  grid, Tue 10 Nov 11:00 CET, 40 s, unplanned',
      'Tickets: 2 (P1 1, P2 1, P3 0, P4 0).',
      'First responses in time: 50 % (met 1, breached 1, pending 0).',
      '  P1: 100 %',
      '  P2: 0 %',
      '  P3: no tickets with a target',
      '  P4: no tickets with a target',
      'Status-update breaches: 1. Median first response 10 min of business time, 90th percentile 10 min.',
      'The last four months (Aug, Sep, Oct, Nov):',
      '  Uptime: – → – → – → 99.998 %',
      '  Tickets: – → – → – → 2',
      '  First responses in time: – → – → – → 50 %',
      '  Deadlines missed: – → – → – → 2',
      '  Median first response: – → – → – → 10 min',
      'By priority:',
      '  P1 Critical: 1 ticket; first response within 30 business minutes: met 1, breached 0; median 10 min, p90 10 min of business time; status updates every 1 business hour: on time in 0 of 1 answered; no resolution clock.',
      '  P2 Major: 1 ticket; first response within 1 business hour: met 0, breached 1; median –, p90 – of business time; status updates every 2 business hours: on time in 0 of 0 answered; no resolution clock.',
      '  P3 Minor: 0 tickets; first response within 8 business hours: met 0, breached 0; median –, p90 – of business time; no status-update clock; no resolution clock.',
      '  P4 Cosmetic: 0 tickets; first response within 48 business hours: met 0, breached 0; median –, p90 – of business time; no status-update clock; no resolution clock.',
      'Deadlines missed:',
      '  TKT-…, P2 first response, due Mon 2 Nov 10:00 CET, 375 h of business time late: Menu board frozen',
      '  TKT-…, P1 status update, due Mon 2 Nov 10:10 CET, missed: Screens black',
      'Time: 20 min logged, 0 min chargeable (0.00 SEK), 30 min free.',
      'Devices: 0 registered, 60 included, 0 extra.',
      '',
      'Where tickets could be prevented:',
      '- No category, component or device had more than one ticket this month: nothing stands out.',
    ].join('\n'),
  );
});

it('lists the first 100 missed deadlines by name and counts the rest; the CSV keeps every ticket', async () => {
  const h = await harness('2026-11-02T08:00:00Z');
  const created = await h.call('POST', '/customers', {
    body: { name: 'Busy', planId: 'ombori-production', contacts: [{ email: 'b@busy.test', name: 'B' }] },
  });
  const key = await h.key('customer', created.body.id);
  for (let i = 0; i < 101; i++) {
    const res = await h.call('POST', '/tickets', {
      key,
      body: { subject: `Kiosk ${i} down`, description: 'd', priority: 'P3', channel: 'form' },
    });
    expect(res.status).toBe(201);
  }
  // None answered: 101 first responses breached. The clock jumps (no deadline events fired) and
  // the month's run is asked for: the report judges by the due times.
  h.clock.set(Z('2026-12-01T00:05:00Z'));
  expect((await h.call('POST', '/reports/run', { body: { month: '2026-11' } })).status).toBe(200);
  const report = (await h.call('GET', `/customers/${created.body.id}/reports/2026-11`, { key })).body;
  expect(report.breaches).toHaveLength(100);
  expect(report.breachesNotListed).toBe(1);
  expect(report.trend.at(-1).breaches).toBe(101);
  const mail = h.outbox.list().find((m) => m.subject.startsWith('Support report'))!;
  expect(mail.text).toContain('\n  and 1 more\n');
  expect(mail.html).toContain('<p>and 1 more (all in the CSV).</p>');
  expect(mail.attachments[0]!.content.trim().split('\r\n')).toHaveLength(102);
}, 60_000);
