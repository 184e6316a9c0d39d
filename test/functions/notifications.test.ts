// Notifications: the assignee and the watchers hear that the customer replied, the assignee
// that the ticket was assigned to them, everyone on it of a warning or breach, the person paged
// that they were; each once, never the person who caused it; by the ways each chose, only the
// console in their quiet hours.
import { describe, expect, it } from 'vitest';
import type { RecordingPager } from '../../functions/adapters/local/pager';
import { type Harness, harness, type Person } from './harness';

const Z = (iso: string) => Date.parse(iso);

async function mine(h: Harness, p: Person) {
  const res = await h.call('GET', '/notifications', { key: p.key });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    items: { id: string; kind: string; text: string; readAt: string | null }[];
    unread: number;
  };
}

async function opened(h: Harness) {
  const customer = await h.customer('sourcegraph-premium-24x7', [
    { email: 'peter@initech.test', name: 'Peter Gibbons' },
  ]);
  const res = await h.call('POST', '/tickets', {
    key: customer.key,
    body: { subject: 'Search is slow', description: 'Since noon', priority: 'P3', channel: 'form' },
  });
  expect(res.status).toBe(201);
  return { customer, ticket: res.body as { id: string; version: number } };
}

describe('notifications', () => {
  it('tells the assignee of the assignment and the reply, a watcher of the reply, and no one what they did', async () => {
    const h = await harness('2026-12-07T10:00:00Z');
    const [maja, lev] = [await h.person('agent', 'Maja Lind'), await h.person('agent', 'Lev Watcher')];
    const { customer, ticket } = await opened(h);
    // Maja assigns herself: nothing for her; then an admin assigns her again after unassigning.
    await h.call('PATCH', `/tickets/${ticket.id}`, { key: maja.key, body: { assigneeId: maja.id } });
    expect((await mine(h, maja)).items).toEqual([]);
    const watch = await h.call('POST', `/tickets/${ticket.id}/watch`, { key: lev.key });
    expect(watch.body).toMatchObject({ watching: true, watchers: [lev.id] });
    await h.call('POST', `/tickets/${ticket.id}/messages`, {
      key: customer.key,
      body: { body: 'Any news?' },
    });
    const [theirs, levs] = [await mine(h, maja), await mine(h, lev)];
    expect(theirs.items.map((n) => [n.kind, n.text])).toEqual([
      ['customer-replied', expect.stringMatching(new RegExp(` replied on ${ticket.id}: Search is slow$`))],
    ]);
    expect(levs.items.map((n) => n.kind)).toEqual(['customer-replied']);
    expect(theirs.unread).toBe(1);
    // Mail by default for a breach, not for a reply.
    expect(h.outbox.list().filter((m) => m.to.includes(maja.email) && m.subject.includes(ticket.id))).toEqual(
      [],
    );

    const read = await h.call('POST', '/notifications/read', { key: maja.key, body: { all: true } });
    expect(read.body).toEqual({ marked: 1 });
    expect((await mine(h, maja)).unread).toBe(0);
    await h.call('DELETE', `/tickets/${ticket.id}/watch`, { key: lev.key });
    await h.call('POST', `/tickets/${ticket.id}/messages`, { key: customer.key, body: { body: 'Hello?' } });
    expect((await mine(h, lev)).items).toHaveLength(1); // no longer watching
  });

  it('mails a breach by default, only the console in quiet hours, and pages where chosen', async () => {
    const h = await harness('2026-12-07T10:00:00Z');
    const maja = await h.person('agent', 'Maja Lind');
    const quiet = {
      timeZone: 'Europe/Stockholm',
      weekly: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '00:00', to: '07:00' }]]),
      ),
    };
    const prefs = await h.call('PATCH', `/staff/${maja.id}`, {
      key: maja.key,
      body: {
        phone: '+46701234567',
        notifications: { kinds: { 'customer-replied': ['console', 'page'] }, quietHours: quiet },
      },
    });
    expect(prefs.status, JSON.stringify(prefs.body)).toBe(200);
    expect(prefs.body.notifications.kinds).toEqual({ 'customer-replied': ['console', 'page'] });
    const { customer, ticket } = await opened(h); // P3: response due in a day, 10:00 Tuesday
    await h.call('PATCH', `/tickets/${ticket.id}`, { body: { assigneeId: maja.id } });
    const toMaja = () =>
      h.outbox.list().filter((m) => m.to.includes(maja.email) && m.subject.includes(ticket.id));
    expect(toMaja().map((m) => m.subject)).toEqual([`Assigned to you: ${ticket.id}: Search is slow`]);
    await h.call('POST', `/tickets/${ticket.id}/messages`, {
      key: customer.key,
      body: { body: 'Any news?' },
    });
    const pager = h.deps.pager as RecordingPager;
    expect(pager.pages.map((p) => [p.service, p.to?.phone, p.summary])).toEqual([
      ['sms', '+46701234567', expect.stringMatching(new RegExp(` replied on ${ticket.id}: Search is slow$`))],
    ]);
    // The breach at 10:00 Tuesday (11:00 Stockholm) mails; a reply at 05:00 Stockholm pages no one.
    await h.advance(Z('2026-12-08T10:00:00Z'));
    expect(toMaja().map((m) => m.subject)).toContain(
      `The response clock breached on ${ticket.id}: Search is slow`,
    );
    await h.advance(Z('2026-12-09T04:00:00Z'));
    await h.call('POST', `/tickets/${ticket.id}/messages`, { key: customer.key, body: { body: 'Up at 5' } });
    expect(pager.pages.filter((p) => p.summary.includes('replied'))).toHaveLength(1);
    const kinds = (await mine(h, maja)).items.map((n) => n.kind);
    expect(kinds.filter((k) => k === 'customer-replied')).toHaveLength(2); // the console keeps both
  });

  it('refuses a system key, and bad preferences by field', async () => {
    const h = await harness('2026-12-07T10:00:00Z');
    const agentKey = await h.key('agent');
    expect((await h.call('GET', '/notifications', { key: agentKey })).status).toBe(422);
    const maja = await h.person('agent', 'Maja Lind');
    const bad = await h.call('PATCH', `/staff/${maja.id}`, {
      key: maja.key,
      body: { notifications: { kinds: { breach: ['pigeon'] } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('notifications.kinds.breach.0');
  });
});
