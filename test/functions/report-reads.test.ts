// A month's report reads the tickets written since the month began (byCustomerActivity), not
// the year before it: a ticket opened in August and untouched since is not read for November;
// one opened in August with time logged in November is, and its time is billed; November's own
// tickets are counted. (A plan with learning suggestions reads from three months before, whose
// tickets its suggestions compare: a pilot has none.)
import { describe, expect, it } from 'vitest';
import { startMonthlyReports } from '../../functions/app/reports';
import { harness, openTicket } from './harness';

const Z = (s: string) => Date.parse(s);

describe('the month a report reads', () => {
  it('reads the tickets written in the month, old ones with time logged in it included', async () => {
    const h = await harness('2026-08-03T08:00:00Z');
    const agent = await h.key('agent');
    const customer = await h.customer('ombori-pilot');
    const untouched = await openTicket(h, customer.key, 'P3', 'Old and quiet');
    const worked = await openTicket(h, customer.key, 'P3', 'Old, worked on in November');
    await h.call('POST', `/tickets/${untouched}/status`, { key: agent, body: { status: 'resolved' } });
    // Everything due before November happens before it (breaches, closing the resolved ticket).
    await h.advance(Z('2026-10-31T12:00:00Z'));
    h.clock.set(Z('2026-11-10T09:00:00Z'));
    expect(
      (await h.call('POST', `/tickets/${worked}/time-entries`, { key: agent, body: { minutes: 40 } })).status,
    ).toBe(201);
    const fresh = await openTicket(h, customer.key, 'P2', 'New in November');
    h.clock.set(Z('2026-12-01T00:10:00Z'));

    const read: string[] = [];
    const store = h.deps.tickets;
    const listActive = store.listActive.bind(store);
    h.deps.tickets = Object.assign(Object.create(store), {
      listActive: async (...args: Parameters<typeof listActive>) => {
        const page = await listActive(...args);
        if (args[0] === customer.id) read.push(...page.items.map((t) => t.id));
        return page;
      },
    });
    await startMonthlyReports(h.deps, '2026-11', { resend: true });
    h.deps.tickets = store;
    expect(read.sort()).toEqual([worked, fresh].sort());
    expect(read).not.toContain(untouched);
    const report = (await h.call('GET', `/customers/${customer.id}/reports/2026-11`, { key: customer.key }))
      .body;
    expect(report.tickets.total).toBe(1);
    expect(report.time.loggedMinutes).toBe(40);
  });
});
