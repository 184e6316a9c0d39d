// Escalations in Chromium against the local runtime: a breach at 03:00 (virtual clock) on a
// 24/7 plan pages the on-call of that week, escalates to the secondary after 15 minutes without
// an acknowledgement, and stops when the secondary acknowledges from the page's link; the
// console shows the page history and the on-call page who is on call now and next; the
// customer's portal shows that someone was paged, never who; the assignee is notified, and a
// reply written while the customer wrote again asks first. axe-core finds nothing.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedPage } from '../../functions/adapters/local/pager';
import type { LocalRuntime } from '../../infra/local/runtime';
import { apiOf, launchChromium, violations, virtualRuntime } from './support';

// Sunday 6 December 2026, 23:00 UTC (midnight in Stockholm).
const SUNDAY_NIGHT = Date.parse('2026-12-06T23:00:00Z');

let runtime: LocalRuntime;
let browser: Browser;
let page: Page;
let site: string;
let api: ReturnType<typeof apiOf>;
let ticketId: string;
let teamId: string;
let customerId: string;
let annKey: string;
const people: Record<string, { id: string }> = {};

/** A person, invited and their account finished by the mailed link (an active staff member). */
async function person(name: string, email: string, role = 'agent') {
  const invited = await api('POST', '/staff', { email, name, role, timeZone: 'Europe/Stockholm' });
  const mail = runtime.outbox.list().find((m) => m.to.includes(email))!;
  const token = /#\/welcome\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  await api('POST', '/auth/invitations', { token, name, workingHours: invited.workingHours });
  return invited as { id: string };
}

const pages = async (): Promise<RecordedPage[]> => (await fetch(`${runtime.url}/local/pages`)).json();

beforeAll(async () => {
  runtime = await virtualRuntime(SUNDAY_NIGHT);
  api = apiOf(runtime);
  site = runtime.url.replace('127.0.0.1', 'localhost');
  people.ann = await person('Ann On-Call', 'ann@staff.test');
  people.carl = await person('Carl Next', 'carl@staff.test');
  people.bob = await person('Bob Second', 'bob@staff.test');
  teamId = (await api('POST', '/teams', { name: 'Platform' })).id;
  const weekly = (members: string[]) => ({
    timeZone: 'Europe/Stockholm',
    layers: [
      { name: 'Weekly', rotation: { members, handoff: 'weekly', at: '09:00', startsOn: '2026-11-30' } },
    ],
    overrides: [],
  });
  const put = await fetch(`${runtime.url}/teams/${teamId}/on-call`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${runtime.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      primary: weekly([people.ann!.id, people.carl!.id]),
      secondary: weekly([people.bob!.id]),
    }),
  });
  expect(put.status).toBe(200);
  const customer = await api('POST', '/customers', {
    name: 'Initech',
    planId: 'sourcegraph-premium-24x7',
    contacts: [{ email: 'peter@initech.test', name: 'Peter Gibbons' }],
  });
  // A P1 at 02:00: 24/7, so it pages the on-call at once; its response is due at 03:00.
  await api('POST', '/local/clock', { to: '2026-12-07T02:00:00Z' });
  const opened = await api('POST', '/tickets', {
    customerId: customer.id,
    subject: 'Code search is down for everyone',
    description: 'Every query times out since 01:50.',
    priority: 'P1',
    requesterEmail: 'peter@initech.test',
  });
  annKey = (
    await api('POST', '/api-keys', { role: 'agent', name: 'Ann’s phone', owner: { staffId: people.ann!.id } })
  ).key;
  ticketId = opened.id;
  customerId = customer.id;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, bypassCSP: true });
  page.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe('a breach at 03:00 of a P1 on a 24/7 plan', () => {
  it('pages the week’s on-call, then the secondary 15 minutes later, and stops at the secondary’s link', async () => {
    // The P1 paged Ann when it opened; she took that page from the console at 02:05.
    expect((await pages()).map((p) => [p.to?.name, p.severity, p.at])).toEqual([
      ['Ann On-Call', 'critical', '2026-12-07T02:00:00.000Z'],
    ]);
    await api('POST', '/local/clock', { to: '2026-12-07T02:05:00Z' });
    await api('POST', `/tickets/${ticketId}/acknowledge`, undefined, annKey);
    // The breach at 03:00 is news: it pages the week's on-call again, then the secondary.
    await api('POST', '/local/clock', { to: '2026-12-07T03:00:00Z' });
    expect((await pages()).map((p) => [p.to?.name, p.at])).toEqual([
      ['Ann On-Call', '2026-12-07T02:00:00.000Z'],
      ['Ann On-Call', '2026-12-07T03:00:00.000Z'],
    ]);
    await api('POST', '/local/clock', { to: '2026-12-07T03:15:00Z' });
    const paged = await pages();
    expect(paged.slice(1).map((p) => [p.to?.name, p.at, p.dedupKey])).toEqual([
      ['Ann On-Call', '2026-12-07T03:00:00.000Z', `${ticketId}/response#1#breach`],
      ['Bob Second', '2026-12-07T03:15:00.000Z', `${ticketId}/response#1#breach`],
    ]);

    // Bob opens the link of his page (signed out: the link is the key) and acknowledges.
    await page.goto(paged[2]!.ackUrl.replace(/^https?:\/\/[^/]+/, site));
    await page.getByRole('heading', { name: `Page for ticket ${ticketId}` }).waitFor();
    expect(await violations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByRole('status').filter({ hasText: 'Acknowledged, Bob Second' }).waitFor();

    await api('POST', '/local/clock', { to: '2026-12-07T05:00:00Z' });
    expect(await pages()).toHaveLength(3); // the 03:30 step found the page taken
  });

  it('shows the page history on the ticket in the console, and the on-call page', async () => {
    const key = await api('POST', '/api-keys', {
      role: 'agent',
      name: 'Ann’s console',
      owner: { staffId: people.ann!.id },
    });
    await page.goto(`${site}/#/signin`);
    await page.getByText('Staff: sign in with your API key').click();
    await page.getByLabel('API key').fill(key.key);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'All tickets' }).waitFor();
    await page.goto(`${site}/#/tickets/${ticketId}`);
    const card = page.getByRole('region', { name: 'Escalation' });
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('Response breached');
    expect(text).toMatch(/Paged Ann On-Call \(on call\) by mail/);
    expect(text).toMatch(/Paged Bob Second \(secondary\) by mail/);
    expect(text).toContain('Acknowledged by Bob Second (link)');
    expect(text).toContain('P1 on 24/7 support');
    expect(text).toContain('Acknowledged by Ann On-Call (console)');
    expect(await violations(page)).toEqual([]);

    await page.goto(`${site}/#/on-call`);
    const team = page.getByRole('region', { name: 'Platform' });
    await team.waitFor();
    const rota = await team.innerText();
    // Monday 06:00 in Stockholm: still Ann's week, Carl's from the 09:00 hand-off.
    expect(rota).toMatch(/Ann On-Call\s+now, until Monday 7 Dec/);
    expect(rota).toMatch(/Next: Carl Next from Monday 7 Dec/);
    expect(rota).toMatch(/Bob Second\s+now, through the weeks shown/);
    expect(await violations(page)).toEqual([]);
  });

  it('notifies the assignee of the assignment and the customer’s reply; she reads it from the list and sets quiet hours', async () => {
    await api('PATCH', `/tickets/${ticketId}`, { assigneeId: people.ann!.id });
    const customerKey = (
      await api('POST', '/api-keys', { role: 'customer', customerId, name: 'Initech portal' })
    ).key;
    await api('POST', `/tickets/${ticketId}/messages`, { body: 'Still down here.' }, customerKey);
    await page.goto(`${site}/#/notifications`);
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    const items = page.locator('ul.notices li');
    // Newest first: the reply, the assignment, and the pages at 03:00 and 02:00.
    // Notifications are made as the write is published, just after it: read the list again until then.
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole('heading', { name: 'Notifications' }).waitFor();
        await page.locator('ul.notices, .notifications-page > p').first().waitFor();
        return items.count();
      })
      .toBe(4);
    expect(await items.last().innerText()).toContain('You were paged (on call)');
    expect(await items.first().innerText()).toMatch(/The customer replied[\s\S]*replied on TKT-/);
    expect(
      await page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('link', { name: /Notifications/ })
        .innerText(),
    ).toContain('4');
    expect(await violations(page)).toEqual([]);
    await items.first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Code search is down for everyone' }).waitFor();
    await page.getByRole('button', { name: 'Watch' }).click();
    await page.getByRole('button', { name: 'Stop watching' }).waitFor();

    // A reply written while the customer wrote again asks first, then sends as written.
    await page.getByLabel('Message').fill('We restarted the indexers.');
    await api('POST', `/tickets/${ticketId}/messages`, { body: 'Now it is worse!' }, customerKey);
    // The live console shows it before the agent sends: she still began her reply without it.
    await page.getByText('Now it is worse!').first().waitFor();
    await page.getByRole('button', { name: 'Send reply' }).click();
    const asked = page.getByRole('alert').filter({ hasText: 'wrote while you were writing' });
    await asked.waitFor();
    expect(await asked.innerText()).toContain('Now it is worse!');
    await page.getByRole('button', { name: 'Send mine anyway' }).click();
    await expect
      .poll(
        async () =>
          (await api('GET', `/tickets/${ticketId}`)).timeline
            .filter((e: { type: string }) => e.type === 'message')
            .at(-1)?.body,
      )
      .toBe('We restarted the indexers.');
    // The box empties once the console has the answer (the store may have the reply first).
    await expect.poll(() => page.getByLabel('Message').inputValue()).toBe('');

    await page.goto(`${site}/#/staff/${people.ann!.id}`);
    const form = page.getByRole('form', { name: 'Notifications' });
    await form.waitFor();
    await form.getByLabel('The customer replied: mail').check();
    await form.getByLabel(/Quiet hours/).check();
    await form.getByLabel('Mobile number for pages').fill('+46701234567');
    await form.getByRole('button', { name: 'Save notifications' }).click();
    await expect
      .poll(async () => (await api('GET', `/staff/${people.ann!.id}`)).notifications?.quietHours?.weekly?.mon)
      .toEqual([
        { from: '00:00', to: '07:00' },
        { from: '22:00', to: '24:00' },
      ]);
    const saved = await api('GET', `/staff/${people.ann!.id}`);
    expect(saved.notifications.kinds['customer-replied']).toEqual(['console', 'mail']);
    expect(saved.phone).toBe('+46701234567');
    expect(await violations(page)).toEqual([]);
  });

  it('shows a customer’s reply in the open ticket and the queue within 2 s, and two agents each other', async () => {
    const bobKey = (
      await api('POST', '/api-keys', {
        role: 'agent',
        name: 'Bob’s console',
        owner: { staffId: people.bob!.id },
      })
    ).key;
    const customerKey = (
      await api('POST', '/api-keys', { role: 'customer', customerId, name: 'Initech live' })
    ).key;
    const bob = await browser.newPage({ viewport: { width: 1366, height: 900 }, bypassCSP: true });
    bob.setDefaultTimeout(10_000);
    await bob.goto(`${site}/#/signin`);
    await bob.getByText('Staff: sign in with your API key').click();
    await bob.getByLabel('API key').fill(bobKey);
    await bob.getByRole('button', { name: 'Sign in', exact: true }).click();
    await bob.getByRole('heading', { name: 'All tickets' }).waitFor();
    // Bob watches the queue; Ann has the ticket open.
    await page.goto(`${site}/#/tickets/${ticketId}`);
    await page.getByRole('heading', { name: 'Code search is down for everyone' }).waitFor();
    const row = bob.locator(`table.tickets tbody tr[data-ticket="${ticketId}"]`);
    await row.waitFor();
    await new Promise((r) => setTimeout(r, 500)); // both connections open
    const before = await row.innerText();

    const sent = Date.now();
    await api(
      'POST',
      `/tickets/${ticketId}/messages`,
      { body: 'Live from Initech: it works again.' },
      customerKey,
    );
    await page.getByText('Live from Initech: it works again.').waitFor({ timeout: 2000 });
    expect(Date.now() - sent).toBeLessThan(2000);
    // The queue row follows (its clock restarted by the customer's message), without a reload.
    await expect.poll(() => row.innerText(), { timeout: 2000 }).not.toBe(before);

    // Bob opens the ticket too: each sees the other, and Bob sees Ann writing.
    await bob.goto(`${site}/#/tickets/${ticketId}`);
    await bob.getByRole('status').filter({ hasText: 'Ann On-Call is viewing' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Bob Second is viewing' }).waitFor();
    await page.getByLabel('Message').fill('Glad to hear it');
    await bob.getByRole('status').filter({ hasText: 'Ann On-Call is writing a reply' }).waitFor();
    await bob.close();
  });
});
