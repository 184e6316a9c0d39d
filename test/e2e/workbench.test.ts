// The agents' workbench in Chromium against the local runtime: an agent (a person, invited
// and signed in by the mailed link) finds a resolved ticket by a word of its third message,
// saves the view "P1 of Acme breaching within the hour" and sees its count change when a ticket
// enters it, assigns 20 selected tickets at once, applies a macro with placeholders, and works
// a ticket by keyboard alone; a customer cannot find another customer's ticket by search; axe-
// core finds nothing on the list, the ticket and the portal, in the light and the dark theme.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime';
import { apiOf, launchChromium, violations, virtualRuntime } from './support';

// Wednesday 2 December 2026, 10:00 in Stockholm: Ombori Pilot's hours are open.
const WEDNESDAY_10 = Date.parse('2026-12-02T09:00:00Z');

let runtime: LocalRuntime;
let browser: Browser;
let page: Page;
let site: string;
let api: ReturnType<typeof apiOf>;
let acme: { id: string };
let globex: { id: string };
let maja: { id: string };
let resolvedId: string;

beforeAll(async () => {
  runtime = await virtualRuntime(WEDNESDAY_10);
  api = apiOf(runtime);
  site = runtime.url.replace('127.0.0.1', 'localhost');
  acme = await api('POST', '/customers', {
    name: 'Acme Retail',
    planId: 'ombori-pilot',
    contacts: [{ email: 'ann@acme.test', name: 'Ann Berg' }],
  });
  globex = await api('POST', '/customers', {
    name: 'Globex',
    planId: 'ombori-pilot',
    contacts: [{ email: 'gus@globex.test', name: 'Gus Ek' }],
  });
  const opened = await api('POST', '/tickets', {
    customerId: acme.id,
    subject: 'Menu board shows old prices',
    description: 'Since the update the menu board in store 7 shows last week’s prices.',
    priority: 'P3',
    requesterEmail: 'ann@acme.test',
  });
  resolvedId = opened.id;
  for (const body of [
    'We pushed the price list again.',
    'Still the old prices here.',
    'The thermostat firmware blocked the sync; replaced it and the prices are right now.',
  ])
    await api('POST', `/tickets/${resolvedId}/messages`, { body });
  await api('POST', `/tickets/${resolvedId}/messages`, {
    body: 'Warranty claim filed with the vendor.',
    internal: true,
  });
  await api('POST', `/tickets/${resolvedId}/status`, { status: 'resolved' });
  await api('POST', '/tickets', {
    customerId: globex.id,
    subject: 'Globex-only: the zeppelin display is dark',
    description: 'The zeppelin screen in the atrium is dark.',
    priority: 'P3',
    requesterEmail: 'gus@globex.test',
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  page.setDefaultTimeout(10_000);
  // The agent is a person: invited, the account finished by the mailed link.
  maja = await api('POST', '/staff', { email: 'maja@staff.test', name: 'Maja', role: 'agent' });
  const mail = runtime.outbox.list().find((m) => m.to.includes('maja@staff.test'))!;
  const token = /#\/welcome\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  await page.goto(`${site}/#/welcome/${token}`);
  await page.getByLabel('Your name, as customers and colleagues see it').fill('Maja Lind');
  await page.getByRole('button', { name: 'Finish my account' }).click();
  await page.getByRole('heading', { name: 'All tickets' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

const rows = () => page.locator('table.tickets tbody tr');
const viewLink = (name: string | RegExp) =>
  page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name });

describe('the workbench', () => {
  it('finds a resolved ticket by a word of its third message, the word marked', async () => {
    await page.locator('#search').fill('thermostats');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Search: thermostats' }).waitFor();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().getAttribute('data-ticket')).toBe(resolvedId);
    expect(await rows().first().locator('mark').first().textContent()).toBe('thermostat');
    expect(await rows().first().innerText()).toContain('resolved');
  });

  it('saves "P1 of Acme breaching within the hour" and its count follows a ticket into it', async () => {
    await viewLink(/Breaching within the hour/).click();
    await page.getByRole('heading', { name: 'Breaching within the hour' }).waitFor();
    await page.getByLabel('Customer', { exact: true }).selectOption({ label: 'Acme Retail' });
    await page.getByLabel('Priority', { exact: true }).selectOption('P1');
    await page.getByRole('button', { name: 'Save as view' }).click();
    await page.getByLabel('View name').fill('P1 of Acme breaching within the hour');
    await page.getByRole('button', { name: 'Save view' }).click();
    const saved = viewLink(/P1 of Acme breaching within the hour/);
    await expect.poll(() => saved.locator('.count').textContent()).toBe('0');
    // A P1 of Acme, due in 4 business hours; then 3 h 15 min pass and it is due within the hour.
    await api('POST', '/tickets', {
      customerId: acme.id,
      subject: 'Every screen in store 3 is black',
      description: 'Since 10:00.',
      priority: 'P1',
      requesterEmail: 'ann@acme.test',
    });
    await saved.click();
    await expect.poll(() => saved.locator('.count').textContent()).toBe('0');
    await api('POST', '/local/clock', { advance: 'PT3H15M' });
    await saved.click();
    await expect.poll(() => saved.locator('.count').textContent()).toBe('1');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().innerText()).toMatch(/response in 4\d min/);
  });

  it('selects 20 tickets and assigns them to the agent at once', async () => {
    for (let i = 1; i <= 20; i++)
      await api('POST', '/tickets', {
        customerId: globex.id,
        subject: `Receipt printer ${i} jams`,
        description: 'Paper jam.',
        priority: 'P4',
        requesterEmail: 'gus@globex.test',
      });
    await viewLink(/All tickets/).click();
    await page.locator('#search').fill('receipt printer');
    await page.keyboard.press('Enter');
    await expect.poll(() => rows().count()).toBe(20);
    await page.getByLabel('Select all on this page').check();
    await page.getByText('20 selected').waitFor();
    await page.getByLabel('Assign to').selectOption({ label: 'Assign to me' });
    await page.getByRole('button', { name: 'Apply to 20' }).click();
    await expect
      .poll(() => page.locator('div.bulk-result').textContent(), { timeout: 20_000 })
      .toContain('20 changed');
    // The runtime indexes after the request, as the stream does on AWS: within moments.
    await expect
      .poll(
        async () =>
          (await api('GET', `/search/tickets?q=receipt%20printer&assignee=${maja.id}&limit=100`)).total,
      )
      .toBe(20);
    await expect.poll(() => rows().first().innerText()).toContain('Maja Lind');
  });

  it('applies a macro whose placeholders are filled for the ticket', async () => {
    await api('POST', '/macros', {
      name: 'Ask for the printer model',
      scope: 'everyone',
      reply: {
        body: 'Hi {{requester.firstName}}, which model is the printer of {{ticket.id}}? {{agent.name}}',
      },
      changes: { status: 'pending-customer', addTags: ['printer'] },
    });
    await rows().first().getByRole('link').click();
    await page.getByLabel('Insert macro').selectOption({ label: 'Ask for the printer model' });
    const id = /#\/tickets\/(TKT-[0-9A-Z]+)/.exec(page.url())![1]!;
    await expect
      .poll(() => page.getByLabel('Message').inputValue())
      .toBe(`Hi Gus, which model is the printer of ${id}? Maja Lind`);
    await page.getByText('The macro will also set the status to pending-customer, tag it printer.').waitFor();
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expect
      .poll(() => page.locator('ol.thread').textContent())
      .toContain(`which model is the printer of ${id}`);
    const ticket = await api('GET', `/tickets/${id}`);
    expect(ticket).toMatchObject({ status: 'pending-customer', tags: ['printer'] });
  });

  it('works a ticket by keyboard alone, the focus always visible', async () => {
    const outline = () => page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    await page.keyboard.press('u');
    await page.getByRole('heading', { name: /Search: receipt printer|All tickets/ }).waitFor();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    expect(await page.getByRole('dialog').innerText()).toContain('Assign the ticket to me');
    await page.keyboard.press('Escape');
    await page.keyboard.press('/');
    await page.keyboard.type('zeppelin');
    await page.keyboard.press('Enter');
    await expect.poll(() => rows().count()).toBe(1);
    await page.keyboard.press('Escape'); // leave the search box
    await page.keyboard.press('j');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('zeppelin');
    expect(await outline()).toBe('solid');
    await page.keyboard.press('o');
    await page.getByRole('heading', { name: /zeppelin display is dark/ }).waitFor();
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('ol.thread').textContent()).toContain('assigned Maja Lind');
    await page.keyboard.press('n');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('reply');
    expect(await page.getByRole('tab', { name: 'Internal note' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.type('Checked the atrium wiring: fine.');
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => page.locator('ol.thread li.internal').last().textContent())
      .toContain('atrium wiring');
    // Browsing a select is not saving: an arrow key on Status changes nothing until Save.
    await page.getByLabel('Status', { exact: true }).focus();
    expect(await outline()).toBe('solid');
    await page.keyboard.press('ArrowDown');
    const before = await api('GET', `/search/tickets?q=zeppelin`);
    expect(before.items[0].status).toBe('new');
    await page.getByRole('button', { name: 'Save changes' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => (await api('GET', '/search/tickets?q=zeppelin')).items[0].status)
      .toBe('open');
  });

  it('passes axe-core on the list and the ticket, light and dark, at 1366 and 375 px', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [1366, 375]) {
        await page.setViewportSize({ width, height: 768 });
        await page.goto(`${site}/?${scheme}${width}#/`);
        await rows().first().waitFor();
        expect(await violations(page), `list ${scheme} ${width}`).toEqual([]);
        await rows().first().getByRole('link').click();
        await page.getByRole('heading', { name: 'Why they are due then' }).waitFor();
        expect(await violations(page), `ticket ${scheme} ${width}`).toEqual([]);
        // Nothing makes the page scroll sideways (the views bar scrolls within itself).
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        expect(wide, `nothing wider than the ${width} px window`).toBeLessThanOrEqual(0);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('shows the latest message, the reply box and the clocks on the first screen at 1366x768', async () => {
    await page.goto(`${site}/#/tickets/${resolvedId}`);
    await page.getByRole('heading', { name: 'Menu board shows old prices' }).waitFor();
    const outOfView = await page.evaluate(
      (selectors) =>
        selectors.filter((s) => {
          const r = [...document.querySelectorAll(s)].at(-1)!.getBoundingClientRect();
          return !(r.top >= 0 && r.bottom <= innerHeight);
        }),
      [
        'ol.thread li.message',
        '#reply',
        'form.composer button[type="submit"]',
        '[data-clock="response"]',
        '[data-clock="update"]',
      ],
    );
    expect(outOfView).toEqual([]);
  });
});

describe('the portal’s search', () => {
  it('finds the organisation’s tickets of every status, and never another customer’s', async () => {
    const ann = await browser.newPage({ viewport: { width: 375, height: 800 }, bypassCSP: true });
    ann.setDefaultTimeout(10_000);
    await ann.goto(`${site}/`);
    await ann.getByLabel('Your e-mail address').fill('ann@acme.test');
    await ann.getByRole('button', { name: 'Send me a sign-in link' }).click();
    await ann.getByRole('status').waitFor();
    const token = /#\/signin\/([A-Za-z0-9_-]+)/.exec(
      runtime.outbox
        .list()
        .filter((m) => m.to.includes('ann@acme.test'))
        .at(-1)!.text,
    )![1]!;
    await ann.goto(`${site}/#/signin/${token}`);
    await ann.getByRole('heading', { name: 'Our tickets' }).waitFor();
    const listed = ann.locator('table.tickets tbody tr');
    await ann.getByLabel('Which tickets').selectOption({ label: 'All' });
    await expect.poll(() => listed.count()).toBe(2);
    await ann.locator('#search').fill('thermostat');
    await ann.keyboard.press('Enter');
    await listed.locator('mark').first().waitFor();
    await expect.poll(() => listed.count()).toBe(1);
    expect(await listed.first().getAttribute('data-ticket')).toBe(resolvedId);
    await ann.locator('#search').fill('zeppelin');
    await ann.keyboard.press('Enter');
    await ann.getByText('No ticket has these words').waitFor();
    expect(await listed.count()).toBe(0);
    // An internal note's words are not a customer's to search.
    await ann.locator('#search').fill('warranty');
    await ann.keyboard.press('Enter');
    await ann.getByText('No ticket has these words').waitFor();
    expect(await violations(ann)).toEqual([]);
    await ann.locator('#search').fill('');
    await ann.keyboard.press('Enter');
    await listed.first().getByRole('link').click();
    await ann.getByRole('heading', { name: 'Conversation' }).waitFor();
    expect(await violations(ann)).toEqual([]);
    await ann.close();
  });
});
