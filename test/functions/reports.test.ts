// The November report, produced by the virtual clock crossing into December, then re-run.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness';

const Z = (iso: string) => Date.parse(iso);
let h: Harness;
let agent: string;
let customer: { id: string; key: string };
const ACME_REPORT = 'Support report November 2026: Acme';
/** A second customer of November, with no tickets. */
let other: { id: string; key: string };
// biome-ignore lint/suspicious/noExplicitAny: the report JSON is read field by field in assertions
let report: Record<string, any>;

beforeAll(async () => {
  h = await harness('2026-11-02T08:00:00Z'); // Mon 09:00 Stockholm
  agent = await h.key('agent');
  const created = await h.call('POST', '/customers', {
    body: {
      name: 'Acme <Retail> & Co',
      planId: 'ombori-production',
      contacts: [
        { email: 'ann@acme.test', name: 'Ann' },
        { email: 'cfo@acme.test', name: 'CFO', mayOpenTickets: false },
      ],
      contract: { serviceContract: true, updateSubscription: false, hourlyRate: 100, currency: 'SEK' },
    },
  });
  customer = { id: created.body.id, key: await h.key('customer', created.body.id) };
  other = await h.customer('ombori-pilot');
  for (let i = 1; i <= 62; i++) {
    const added = await h.call('POST', `/customers/${customer.id}/devices`, {
      key: customer.key,
      body: { name: `kiosk-${i}` },
    });
    expect(added.status).toBe(201);
  }

  const open = async (priority: string, subject: string) =>
    (
      await h.call('POST', '/tickets', {
        key: customer.key,
        body: { subject, description: 'd', priority, channel: 'form' },
      })
    ).body.id;
  const a = await open('P1', 'Screens black');
  const b = await open('P2', 'Menu board frozen');
  const c = await open('P3', '=HYPERLINK("http://x") advice please');
  await h.advance(Z('2026-11-02T08:10:00Z'));
  await h.call('POST', `/tickets/${a}/messages`, { key: agent, body: { body: 'On it' } });
  await h.call('PATCH', `/tickets/${a}`, { key: agent, body: { category: 'bug' } });
  await h.call('POST', `/tickets/${a}/time-entries`, { key: agent, body: { minutes: 20 } });
  await h.call('PATCH', `/tickets/${c}`, { key: agent, body: { category: 'advice' } });
  await h.call('POST', `/tickets/${c}/time-entries`, { key: agent, body: { minutes: 10 } });
  await h.call('POST', '/incidents', {
    key: agent,
    body: { component: 'grid', startedAt: '2026-11-10T10:00:00Z', endedAt: '2026-11-10T10:01:00Z' },
  });
  expect(b).toBeTruthy();
  // Crossing into December runs November's reports.
  await h.advance(Z('2026-12-01T00:05:00Z'));
  report = (await h.call('GET', `/customers/${customer.id}/reports/2026-11`, { key: customer.key })).body;
});

describe('the November report', () => {
  it('counts tickets by priority and channel, and each clock met or breached', () => {
    expect(report).toMatchObject({
      customerId: customer.id,
      month: '2026-11',
      timeZone: 'Europe/Stockholm',
      planId: 'ombori-production',
    });
    expect(report.tickets).toEqual({
      total: 3,
      byPriority: { P1: 1, P2: 1, P3: 1, P4: 0 },
      byChannel: { form: 3 },
    });
    expect(report.clocks.response).toMatchObject({
      met: 1,
      breached: 2,
      pending: 0,
      attainmentPercent: 33.33,
    });
    expect(report.clocks.response.byPriority.P1.attainmentPercent).toBe(100);
    expect(report.clocks.response.byPriority.P2.attainmentPercent).toBe(0);
    expect(report.clocks.update.breaches).toBe(1); // the P1's first status update never came
    expect(report.firstResponse).toMatchObject({
      responded: 1,
      medianBusiness: 'PT10M',
      p90Business: 'PT10M',
    });
  });

  it('compares uptime with the 99.999 % target: 60 s down of 26 s allowed', () => {
    expect(report.uptime).toMatchObject({
      targetPercent: 99.999,
      met: false,
      downtimeSeconds: 60,
      allowedDowntimeSeconds: 26,
    });
    expect(report.uptime.percent).toBeCloseTo(99.99769, 4);
  });

  it('gives each priority its targets in words and how they were kept', () => {
    expect(report.priorities.P1).toEqual({
      name: expect.any(String),
      tickets: 1,
      response: expect.objectContaining({ met: 1, breached: 0, pending: 0, attainmentPercent: 100 }),
      firstResponse: { medianMs: 600_000, p90Ms: 600_000 },
      update: expect.objectContaining({ ticketsOnTime: 0, ticketsLate: 1, attainmentPercent: 0 }),
      resolution: report.priorities.P1.resolution,
    });
    expect(report.priorities.P2).toMatchObject({ tickets: 1, response: { met: 0, breached: 1 } });
    expect(report.priorities.P4).toMatchObject({
      tickets: 0,
      firstResponse: { medianMs: null, p90Ms: null },
    });
    const mail = h.outbox.list().find((m) => m.subject.startsWith(ACME_REPORT))!;
    const p1 = report.priorities.P1;
    expect(mail.text).toContain(
      `  P1 ${p1.name}: 1 ticket; first response within ${p1.response.target}: met 1, breached 0; median 10 min, p90 10 min of business time; status updates every ${p1.update.target}: on time in 0 of 1 answered; `,
    );
    expect(mail.html).toContain('>Status updates on time</td>');
    expect(mail.html).toContain('>10 min / 10 min</td>');
  });

  it('sets its headline figures after the three months before, from their stored reports', async () => {
    expect(report.trend.map((t: { month: string }) => t.month)).toEqual([
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
    expect(report.trend[0]).toEqual({
      month: '2026-08',
      uptimePercent: null,
      tickets: null,
      responseAttainmentPercent: null,
      breaches: null,
      medianFirstResponseMs: null,
    });
    expect(report.trend[3]).toEqual({
      month: '2026-11',
      uptimePercent: report.uptime.percent,
      tickets: 3,
      responseAttainmentPercent: 33.33,
      breaches: 3,
      medianFirstResponseMs: 600_000,
    });
    // December's report reads November's as stored.
    const { buildReport } = await import('../../functions/app/reports');
    const { report: december } = await buildReport(
      h.deps,
      (await h.deps.directory.getCustomer(customer.id))!,
      '2026-12',
    );
    expect(december.trend[2]).toEqual(report.trend[3]);
    expect(december.trend[3]).toMatchObject({ month: '2026-12', tickets: 0, breaches: 0 });
  });

  it('shows the trend with arrows that say better or worse, in HTML and in words', async () => {
    const { renderReportMail } = await import('../../functions/app/report-mail');
    const none = {
      uptimePercent: null,
      tickets: null,
      responseAttainmentPercent: null,
      breaches: null,
      medianFirstResponseMs: null,
    };
    const trend = [
      { ...none, month: '2026-08' },
      {
        month: '2026-09',
        uptimePercent: 99.9,
        tickets: 7,
        responseAttainmentPercent: 50,
        breaches: 9,
        medianFirstResponseMs: 3_600_000,
      },
      {
        month: '2026-10',
        uptimePercent: 100,
        tickets: 2,
        responseAttainmentPercent: 100,
        breaches: 0,
        medianFirstResponseMs: 300_000,
      },
      report.trend[3],
    ];
    const mail = renderReportMail({ ...report, trend } as never, []);
    expect(mail.text).toContain('The last four months (Aug, Sep, Oct, Nov):');
    expect(mail.text).toContain('  Uptime: – → 99.900 % → 100.000 % → 99.997 % (worse)');
    expect(mail.text).toContain('  Tickets: – → 7 → 2 → 3 (up)');
    expect(mail.text).toContain('  First responses in time: – → 50 % → 100 % → 33.33 % (worse)');
    expect(mail.text).toContain('  Deadlines missed: – → 9 → 0 → 3 (worse)');
    expect(mail.text).toContain('  Median first response: – → 1 h → 5 min → 10 min (worse)');
    expect(mail.html).toContain('99.997 % <span style="color:#c62828">▼</span>');
    expect(mail.html).toContain('3 <span style="color:#555">▲</span>');
  });

  it('reads the figures of an older stored report it can, and none of one it cannot', async () => {
    const { headlineOf } = await import('../../functions/app/report-trend');
    expect(headlineOf('2026-01', { uptime: { percent: 99.5 }, tickets: { total: 4 } })).toEqual({
      month: '2026-01',
      uptimePercent: 99.5,
      tickets: 4,
      responseAttainmentPercent: null,
      breaches: null,
      medianFirstResponseMs: null,
    });
    for (const junk of [null, 'text', [], { uptime: 'high', tickets: { total: Number.NaN } }]) {
      expect(headlineOf('2026-01', junk)).toMatchObject({ uptimePercent: null, tickets: null });
    }
  });

  it('names every missed deadline: the ticket, its clock, when it was due, how late in business time', () => {
    expect(report.breachesNotListed).toBe(0);
    expect(
      report.breaches.map((b: { clock: string; priority: string; lateBusinessSeconds: number | null }) => [
        b.priority,
        b.clock,
        b.lateBusinessSeconds === null ? null : b.lateBusinessSeconds > 0,
      ]),
    ).toEqual([
      ['P2', 'response', true],
      ['P1', 'update', null], // a missed status update: when the next one came is not kept
      ['P3', 'response', true],
    ]);
    const mail = h.outbox.list().find((m) => m.subject.startsWith(ACME_REPORT))!;
    const p2 = report.breaches[0];
    expect(p2.url).toBe(`http://localhost:3000/#/tickets/${p2.ticketId}`);
    expect(mail.text).toContain(
      `Deadlines missed:\n  ${p2.ticketId}, P2 first response, due Mon 2 Nov 10:00 CET, ${Math.round(p2.lateBusinessSeconds / 3600)} h of business time late: Menu board frozen`,
    );
    expect(mail.html).toContain(`<a href="${p2.url}">${p2.ticketId}</a>`);
    expect(mail.html).toContain('=HYPERLINK(&quot;http://x&quot;) advice please'); // a subject, escaped
  });

  it('shows the uptime as an error budget: 60 s of 26 s used is 231 %, over by 34 s; the incident listed', () => {
    expect(report.uptime.budget).toEqual({
      allowedSeconds: 26,
      usedSeconds: 60,
      leftSeconds: 0,
      usedPercent: 231.5, // of 25.92 s
      over: true,
    });
    expect(report.uptime.incidents).toEqual([
      expect.objectContaining({ component: 'grid', planned: false, secondsInMonth: 60, counted: true }),
    ]);
    const mail = h.outbox.list().find((m) => m.subject.startsWith(ACME_REPORT))!;
    const budget =
      'Error budget for the 99.999 % target: 1 min of 26 s allowed downtime used (231.5 %), over by 34 s.';
    expect(mail.text).toContain(`Uptime: 99.997 %. ${budget}`);
    expect(mail.text).toContain('Incidents:\n  grid, Tue 10 Nov 11:00 CET, 1 min, unplanned');
    expect(mail.html).toContain(budget);
    expect(mail.html).toContain('Tue 10 Nov 11:00 CET');
    // The bar is all the budget, here spent: one red cell the full width.
    expect(mail.html).toContain('<td style="background:#c62828;height:10px;width:100%"></td></tr></table>');
    // Durations in words, never ISO strings, in what a person reads.
    expect(mail.text).toContain('Median first response 10 min of business time, 90th percentile 10 min.');
    for (const part of [mail.text, mail.html, mail.subject]) expect(part).not.toMatch(/\bP(T\d|\d+D)/);
  });

  it('bills time in 15-minute increments by Atollon’s rules, and lists extra devices', () => {
    expect(report.time).toMatchObject({
      loggedMinutes: 30,
      billedMinutes: 45,
      chargeableMinutes: 30,
      freeMinutes: 15,
      amount: 50,
      currency: 'SEK',
    });
    // Both entries were logged at the same instant: their order is not part of the report.
    const lines = report.time.lines.map((l: { category: string; chargeable: boolean }) => [
      l.category,
      l.chargeable,
    ]);
    expect(lines).toHaveLength(2);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['bug', true],
        ['advice', false],
      ]),
    );
    expect(report.devices).toMatchObject({ registered: 62, included: 60 });
    expect(report.devices.extra.map((d: { name: string }) => d.name)).toEqual(['kiosk-61', 'kiosk-62']);
  });

  it('is mailed once to every contact: HTML with the figures and escaped text, a text part and a CSV', () => {
    const mails = h.outbox.list().filter((m) => m.subject.startsWith(ACME_REPORT));
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toBe('Support report November 2026: Acme <Retail> & Co');
    expect(mail.to).toEqual(['ann@acme.test', 'cfo@acme.test']);
    expect(mail.html).toContain('Acme &lt;Retail&gt; &amp; Co');
    expect(mail.html).not.toContain('<Retail>');
    // Nothing that loads or runs: the only links are to the tickets' pages in the portal.
    expect(mail.html).not.toMatch(/<script|<img|\ssrc=|url\(/i);
    const hrefs = [...mail.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^http:\/\/localhost:3000\/#\/tickets\/TKT-[0-9A-Z]{10}$/);
    expect(mail.html).toContain('99.997 %');
    expect(mail.html).toContain('0.0 %'); // the P2 bar
    expect(mail.html).toContain('100.0 %');
    expect(mail.text).toContain('First responses in time: 33.33 % (met 1, breached 2, pending 0).');
    expect(mail.text).toContain('Time: 30 min logged, 30 min chargeable (50.00 SEK), 15 min free.');
    const csv = mail.attachments[0]!;
    expect(csv.filename).toBe('tickets-2026-11.csv');
    const lines = csv.content.trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.includes('HYPERLINK'))).toContain(`"'=HYPERLINK(""http://x"") advice please"`);
  });

  it('replaces the report on a re-run without mailing again, unless asked to resend', async () => {
    const before = report.generatedAt;
    await h.advance(Z('2026-12-01T01:00:00Z'));
    const rerun = await h.call('POST', '/reports/run', { body: { month: '2026-11' } });
    expect(rerun.body).toMatchObject({ month: '2026-11', mailed: 0 });
    expect(rerun.body.customers).toBeGreaterThanOrEqual(1);
    const again = (await h.call('GET', `/customers/${customer.id}/reports/2026-11`, { key: agent })).body;
    expect(again.generatedAt).not.toBe(before);
    expect(h.outbox.list().filter((m) => m.subject.startsWith(ACME_REPORT))).toHaveLength(1);
    await h.call('POST', '/reports/run', { body: { month: '2026-11', resend: true } });
    expect(h.outbox.list().filter((m) => m.subject.startsWith(ACME_REPORT))).toHaveLength(2);
    expect((await h.call('POST', '/reports/run', { key: agent, body: { month: '2026-11' } })).status).toBe(
      403,
    );
    expect((await h.call('POST', '/reports/run', { body: { month: '2026-13' } })).status).toBe(400);
    // Only months from the customers' creation to the last complete one: no report of year 9923.
    for (const [month, code] of [
      ['0001-01', 'month-before-customers'],
      ['2026-10', 'month-before-customers'], // the customers were made on 2 Nov
      ['2026-12', 'month-not-complete'],
      ['9923-01', 'month-not-complete'],
    ]) {
      const before = h.outbox.list().length;
      const res = await h.call('POST', '/reports/run', { body: { month } });
      expect(res.status, month).toBe(422);
      expect(res.body.error, month).toMatchObject({ code, details: [{ field: 'month' }] });
      expect(h.outbox.list().length, month).toBe(before);
    }
  });

  it('rebuilds a report whose stored body was lost, keeping when it was mailed', async () => {
    // The blob store lost the body (an emptied disk, a restored bucket): the index remains.
    const stored = await h.deps.reports.getStored(customer.id, '2026-11');
    await h.deps.blobs.put(`reports/${customer.id}/2026-11.json`, new Uint8Array(0), 'application/json');
    const blobs = h.deps.blobs;
    const lost = {
      ...blobs,
      get: async (key: string) => (key.startsWith('reports/') ? null : blobs.get(key)),
    };
    const deps = { ...h.deps, blobs: lost };
    const { readReport } = await import('../../functions/app/reports');
    const rebuilt = await readReport(deps, customer.id, '2026-11');
    expect(rebuilt).toMatchObject({ customerId: customer.id, month: '2026-11' });
    expect((await h.deps.reports.getStored(customer.id, '2026-11'))?.mailedAt).toBe(stored?.mailedAt);
  });

  it('runs one unit per customer: a failing one is tried three times, counted failed, the others go on', async () => {
    const december = await h.customer('ombori-pilot'); // made in December: in no November run
    const { startMonthlyReports } = await import('../../functions/app/reports');
    const { reportUnit, UNIT_ATTEMPTS } = await import('../../functions/app/report-units');
    const { InProcessReportQueue } = await import('../../functions/adapters/local/report-queue');
    const tickets = h.deps.tickets;
    let attempts = 0;
    const failing = {
      ...tickets,
      get: tickets.get.bind(tickets),
      list: tickets.list.bind(tickets),
      listActive: (id: string, ...rest: [string, string, number, string?]) => {
        if (id !== customer.id) return tickets.listActive(id, ...rest);
        attempts++;
        return Promise.reject(new Error('disk on fire'));
      },
    };
    const deps = { ...h.deps, tickets: failing };
    deps.reportQueue = new InProcessReportQueue((unit, last) => reportUnit(deps, unit, last), UNIT_ATTEMPTS);
    const run = await startMonthlyReports(deps, '2026-11', { resend: true });
    expect(attempts).toBe(3);
    expect(run).toMatchObject({
      month: '2026-11',
      failed: 1,
      failures: [{ customerId: customer.id, error: 'disk on fire' }],
    });
    expect(run.customers).toBeGreaterThanOrEqual(2);
    expect(run.done).toBe(run.customers - 1);
    expect(await h.deps.reports.getStored(other.id, '2026-11')).not.toBeNull();
    expect(await h.deps.reports.getStored(december.id, '2026-11')).toBeNull();
    const progress = await h.call('GET', '/reports/runs/2026-11');
    expect(progress.body).toMatchObject({ customers: run.customers, failed: 1 });
    expect((await h.call('GET', '/reports/runs/2026-11', { key: agent })).status).toBe(403);
    expect((await h.call('GET', '/reports/runs/2025-01')).status).toBe(404);
  });

  it('takes units from SQS: a failure goes back to the queue, the last attempt is counted failed', async () => {
    const { handleReports: handler } = await import('../../functions/reports/handler');
    const before = await h.deps.reports.getRun('2026-11');
    const record = (customerId: string, receiveCount: number) => ({
      messageId: `m-${customerId}-${receiveCount}`,
      body: JSON.stringify({ customerId, month: '2026-11', resend: false }),
      attributes: { ApproximateReceiveCount: String(receiveCount) },
    });
    const event = {
      Records: [record(customer.id, 1), record('CUS-GONE000000', 1), record('CUS-GONE000000', 3)],
    };
    const result = await handler(event as never, h.deps);
    expect(result).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-CUS-GONE000000-1' }, { itemIdentifier: 'm-CUS-GONE000000-3' }],
    });
    const after = await h.deps.reports.getRun('2026-11');
    expect(after!.done).toBe(before!.done + 1);
    expect(after!.failed).toBe(before!.failed + 1);
    expect(after!.failures.at(-1)).toEqual({
      customerId: 'CUS-GONE000000',
      error: 'customer CUS-GONE000000 no longer exists',
    });
  });

  it('lists the stored months and serves the HTML exactly as mailed, to those who may see it', async () => {
    const list = await h.call('GET', `/customers/${customer.id}/reports`, { key: customer.key });
    expect(list.body).toEqual({
      items: [{ month: '2026-11', mailedAt: expect.any(String) }],
      nextCursor: null,
    });
    const page = await h.call('GET', `/customers/${customer.id}/reports/2026-11/html`, { key: customer.key });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    // The page runs no script and loads nothing, even if a name slipped past escaping.
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain('sandbox');
    const mailed = h.outbox
      .list()
      .filter((m) => m.subject.startsWith('Support report') && m.to.includes('ann@acme.test'))
      .at(-1)!;
    expect(page.body).toBe(mailed.html);
    expect(page.body).toContain('Acme &lt;Retail&gt; &amp; Co');
    // Another customer's key sees neither the list nor the page; a month without report is 404.
    const other = await h.customer('ombori-pilot');
    for (const path of ['reports', 'reports/2026-11/html']) {
      const res = await h.call('GET', `/customers/${customer.id}/${path}`, { key: other.key });
      expect(res.status).toBe(404);
    }
    expect(
      (await h.call('GET', `/customers/${customer.id}/reports/2026-10/html`, { key: agent })).status,
    ).toBe(404);
    const none = await h.call('GET', `/customers/${other.id}/reports`, { key: other.key });
    expect(none.body.items).toEqual([]);
    // Staff list customers; a customer key may not.
    expect(
      (await h.call('GET', '/customers?limit=100', { key: agent })).body.items.map(
        (c: { id: string }) => c.id,
      ),
    ).toContain(customer.id);
    expect((await h.call('GET', '/customers', { key: customer.key })).status).toBe(403);
  });
});

describe('a missed uptime target', () => {
  it('never reads as met: 30 s down in a 99.999 % month is 99.998 % in the HTML, the text and the JSON', async () => {
    const own = await harness('2026-11-02T08:00:00Z');
    const acme = await own.customer('ombori-production', [{ email: 'una@uptime.test', name: 'Una' }]);
    const staff = await own.key('agent');
    await own.call('POST', '/incidents', {
      key: staff,
      body: {
        component: 'menu boards',
        startedAt: '2026-11-10T10:00:00Z',
        endedAt: '2026-11-10T10:00:30Z',
        customerIds: [acme.id],
      },
    });
    await own.advance(Z('2026-12-01T00:05:00Z'));
    const json = (await own.call('GET', `/customers/${acme.id}/reports/2026-11`, { key: acme.key })).body;
    expect(json.uptime).toMatchObject({ percent: 99.99884, targetPercent: 99.999, met: false });
    const mail = own.outbox
      .list()
      .find((m) => m.to.includes('una@uptime.test') && m.subject.startsWith('Support report'))!;
    expect(mail.text).toContain('Uptime: 99.998 %.');
    expect(mail.html).toContain('>99.998 %</p>');
    expect(`${mail.text}${mail.html}`).not.toContain('99.999 %<');
  });
});
