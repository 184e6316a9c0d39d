// The customers' portal in a real browser (Debian's Chromium through playwright-core): a
// contact signs in with the link from the outbox, files a P1 on Ombori Pilot on a Friday at
// 16:00 and reads its due time, Monday 10:00; an agent's reply shows on the ticket page.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTransport } from 'nodemailer';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime';
import { apiOf, launchChromium, virtualRuntime } from './support';

let runtime: LocalRuntime;
let browser: Browser;
let page: Page;
let agentKey: string;
let agent: Page;
let ticketId: string;
const FRIDAY_16_STOCKHOLM = Date.parse('2026-11-27T15:00:00Z');

const admin: ReturnType<typeof apiOf> = (...args) => apiOf(runtime)(...args);

/** The 12-hour staff session ends when the virtual clock jumps days: the console asks again. */
async function signInAgain(agent: Page) {
  await agent.getByText('Staff: sign in with your API key').click();
  await agent.getByLabel('API key').fill(agentKey);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.getByRole('heading', { name: 'All tickets' }).waitFor();
}

beforeAll(async () => {
  runtime = await virtualRuntime(FRIDAY_16_STOCKHOLM);
  await admin('POST', '/customers', {
    name: 'Acme Retail',
    planId: 'ombori-pilot',
    contacts: [{ email: 'ann@acme.test', name: 'Ann' }],
  });
  agentKey = (await admin('POST', '/api-keys', { role: 'agent', name: 'Bob (support)' })).key;
  await admin('POST', '/partners', { name: 'Lobby Techs AB', email: 'field@lobby.test', regions: ['SE-AB'] });
  browser = await launchChromium();
  // A step that fails says which element it waited for, well inside the test's own timeout.
  page = await browser.newPage({ viewport: { width: 375, height: 800 } });
  page.setDefaultTimeout(10_000);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

describe('the portal', () => {
  it('signs a contact in with the one-time link from the outbox', async () => {
    await page.goto(`${runtime.url}/`);
    await page.getByLabel('Your e-mail address').fill('ann@acme.test');
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('a sign-in link is on its way');
    const mail = runtime.outbox.list().find((m) => m.to.includes('ann@acme.test'))!;
    const token = /#\/signin\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    await page.goto(`${runtime.url}/#/signin/${token}`);
    await page.getByRole('heading', { name: 'Our tickets' }).waitFor();
    expect(page.url()).not.toContain(token);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'sla_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
  }, 30_000);

  it('files a P1 on Friday 16:00 and shows it due Monday 10:00, with the promise in words', async () => {
    await page.getByRole('link', { name: 'New ticket' }).click();
    await page.getByLabel('Subject').fill('All screens black <img src=x onerror=alert(1)>');
    await page.getByLabel('What happened?').fill('Since 15:30, every screen in the lobby.');
    await page.getByLabel('Priority').selectOption('P1');
    await page.getByLabel('Device (optional)').fill('Lobby screen 3');
    await expect
      .poll(() => page.locator('#promise').textContent())
      .toBe(
        'P1 Critical: first response within 4 business hours, Mon-Fri 08:00-18:00 (Europe/Stockholm, SE public holidays)',
      );
    await page.getByLabel(/^Attachments/).setInputFiles({
      name: 'lobby <1>.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('screen log: 15:30 black'),
    });
    await page.getByRole('button', { name: 'Send' }).click();
    const clock = page.getByLabel('Service-level clocks');
    await expect.poll(() => clock.textContent()).toMatch(/First response\s*due Monday 30 Nov, 10:00 CET/);
    expect(await page.locator('main').textContent()).toContain('device Lobby screen 3');
    // The subject is text, never markup.
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('main img').count()).toBe(0);
    // The file went to the blob store and comes back as a download under its own name.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'lobby <1>.txt' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('lobby _1_.txt');
    // The paperclip is an SVG icon, which Debian's Chromium draws (it has no emoji font).
    expect(await page.locator('ul.files li svg.icon').count()).toBeGreaterThan(0);
    const css = await (await fetch(`${runtime.url}/assets/styles.css`)).text();
    expect(css).not.toMatch(/[\u{1F300}-\u{1FAFF}]/u);
    // Badges stand apart: consecutive ones on a line never touch.
    const gaps = await page.evaluate(() => {
      const boxes = [...document.querySelectorAll('main .badge')].map((b) => b.getBoundingClientRect());
      return boxes.slice(1).map((b, i) => (b.top === boxes[i]!.top ? b.left - boxes[i]!.right : 99));
    });
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(4);
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(await download.path())).toString()).toBe('screen log: 15:30 black');
  }, 30_000);

  it('puts it first in the agent’s queue; the agent replies from the console', async () => {
    // Another customer's P3, due later, to be queued behind it.
    const other = await admin('POST', '/customers', {
      name: 'Globex',
      planId: 'ombori-pilot',
      contacts: [{ email: 'gus@globex.test', name: 'Gus' }],
    });
    await admin(
      'POST',
      '/tickets',
      { customerId: other.id, subject: 'Font too small', description: 'x', priority: 'P3' },
      agentKey,
    );
    ticketId = /#\/tickets\/(TKT-[0-9A-Z]+)/.exec(page.url())![1]!;
    agent = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    agent.setDefaultTimeout(10_000);
    await agent.goto(`${runtime.url}/`);
    await agent.getByText('Staff: sign in with your API key').click();
    await agent.getByLabel('API key').fill(agentKey);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('heading', { name: 'All tickets' }).waitFor();
    const rows = agent.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    // Soonest due first, by the column's sort.
    await agent.getByRole('button', { name: 'Next due' }).click();
    await expect.poll(() => agent.locator('th[aria-sort="ascending"]').textContent()).toContain('Next due');
    // Customers and requesters by name, in the rows and in the filter (never an id typed in).
    await expect.poll(() => rows.first().innerText()).toContain('Acme Retail · Ann');
    expect(await rows.nth(1).innerText()).toContain('Globex · ');
    await agent.getByLabel('Customer', { exact: true }).selectOption({ label: 'Globex' });
    await expect.poll(() => rows.count()).toBe(1);
    await agent.getByLabel('Customer', { exact: true }).selectOption({ label: 'Any customer' });
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().getAttribute('data-ticket')).toBe(ticketId);
    expect(await rows.first().getAttribute('data-state')).toBe('ok');
    await rows.first().getByRole('link').click();
    await agent.getByRole('heading', { name: 'Why they are due then' }).waitFor();
    expect(await agent.locator('.explain-bar').count()).toBeGreaterThan(0);
    // Targets in words beside the bars, never the ISO duration; each swatch apart from its word.
    expect(await agent.locator('main').textContent()).not.toMatch(/\bP(T\d|\d+D)/);
    const swatchGaps = await agent.evaluate(() =>
      [...document.querySelectorAll('.legend li')].map((li) => {
        const swatch = li.querySelector('.seg')!.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(li.lastChild!);
        return range.getBoundingClientRect().left - swatch.right;
      }),
    );
    expect(swatchGaps).toHaveLength(4);
    expect(Math.min(...swatchGaps)).toBeGreaterThanOrEqual(4);
    // Nothing routed yet: no "Take back" to press.
    expect(await agent.getByRole('button', { name: 'Take back' }).count()).toBe(0);
    await agent.getByLabel('Message').fill('We are on it: the player service restarts now.');
    await agent.getByRole('button', { name: 'Send reply' }).click();
    await expect
      .poll(() => agent.locator('ol.timeline').textContent())
      .toContain('the player service restarts now');
    // Onsite work: routed to a partner, who is mailed the summary.
    // Partner routing is folded away until used.
    await agent.locator('summary', { hasText: 'Onsite partner' }).click();
    await agent.getByLabel('Onsite partner').selectOption({ label: 'Lobby Techs AB (SE-AB)' });
    await agent.getByLabel('Note for the partner').fill('Screen 3 in the lobby, ask for Ann.');
    await agent.getByRole('button', { name: 'Route to partner' }).click();
    await expect
      .poll(() => agent.locator('ol.timeline').textContent())
      .toContain(
        'routed the ticket to onsite partner Lobby Techs AB <field@lobby.test>: Screen 3 in the lobby',
      );
    expect(runtime.outbox.list().some((m) => m.to.includes('field@lobby.test'))).toBe(true);
    // Routed, it can be taken back.
    await agent.getByRole('button', { name: 'Take back' }).waitFor();
  }, 30_000);

  it('shows the agent’s reply on the customer’s ticket page', async () => {
    await page.reload();
    await expect
      .poll(() => page.locator('ol.timeline').textContent())
      .toContain('the player service restarts now');
    await expect.poll(() => page.getByLabel('Service-level clocks').textContent()).toContain('answered');
    const shown = await page.locator('main').textContent();
    expect(shown).toContain('routed the ticket to onsite partner Lobby Techs AB');
    expect(shown).not.toMatch(/field@lobby|ask for Ann/);
  }, 30_000);

  it('shows staff a mailed request’s mail as received and what was wrong with it', async () => {
    const initech = await admin('POST', '/customers', {
      name: 'Initech',
      planId: 'ombori-production',
      contacts: [{ email: 'ivy@initech.test', name: 'Ivy' }],
    });
    // Cut off in transit: no closing boundary, but its text arrived.
    const raw = [
      'From: Ivy <ivy@initech.test>',
      'To: support@vendor.test',
      'Subject: Logs of kiosk 4',
      'Message-ID: <cut-1@initech.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="c"',
      '',
      '--c',
      'Content-Type: text/plain',
      '',
      'Kiosk 4 reboots every hour; the logs follow.',
      '--c',
      'Content-Type: application/zip; name="logs.zip"',
      'Content-Transfer-Encoding: base64',
      '',
      'UEsDBBQAAAAI',
    ].join('\r\n');
    const transport = createTransport({
      host: '127.0.0.1',
      port: runtime.smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({ envelope: { from: 'ivy@initech.test', to: ['support@vendor.test'] }, raw });
    const listed = await admin('GET', `/tickets?customerId=${initech.id}`, undefined, agentKey);
    await agent.goto(`${runtime.url}/#/tickets/${listed.items[0].id}`);
    const timeline = agent.locator('ol.timeline');
    await expect.poll(() => timeline.textContent()).toContain('Kiosk 4 reboots every hour; the logs follow.');
    expect(await timeline.textContent()).toContain('read despite damage: truncated multipart message');
    const original = agent.getByRole('link', { name: 'The mail as received' });
    const download = await fetch(new URL((await original.getAttribute('href'))!, runtime.url), {
      headers: { authorization: `Bearer ${agentKey}` },
      redirect: 'manual',
    });
    expect(download.status).toBe(302);
  }, 30_000);

  it('shows the ticket breached in the queue once the virtual clock passes its deadline', async () => {
    await admin('POST', '/local/clock', { advance: 'P3D' });
    // Three days on, the 12-hour session has ended: the console goes back to signing in.
    await agent.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tickets' }).click();
    await signInAgain(agent);
    const row = agent.locator(`tr[data-ticket="${ticketId}"]`);
    await expect.poll(() => row.getAttribute('data-state')).toBe('breached');
    expect(await row.textContent()).toMatch(/breached \d+ h \d+ min ago/);
    // The ticket says it in words too: breached how long ago and when it was due; no dashes.
    await row.getByRole('link').click();
    const clocks = agent.getByLabel('Service-level clocks');
    await expect
      .poll(() => clocks.locator('[data-clock="update"]').textContent())
      .toMatch(/breached \d+ h \d+ min ago, due Monday 30 Nov, \d\d:\d\d CET/);
    expect(await clocks.locator('[data-clock="update"]').getAttribute('data-state')).toBe('breached');
    expect(await clocks.locator('[data-clock="resolution"]').textContent()).toContain('no clock: when done');
    expect(await clocks.textContent()).not.toContain('—');
    const explained = await agent.locator('.explain').first().textContent();
    expect(explained).not.toMatch(/\bPT\d|· running/);
  }, 30_000);

  it('works by keyboard alone, with the focus always visible', async () => {
    const keys = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await keys.goto(`${runtime.url}/`);
    await keys.getByLabel('Your e-mail address').waitFor();
    const focused = () =>
      keys.evaluate(() => ({
        id: document.activeElement?.id,
        outline: getComputedStyle(document.activeElement!).outlineStyle,
      }));
    for (let i = 0; i < 10 && (await focused()).id !== 'email'; i++) await keys.keyboard.press('Tab');
    expect(await focused()).toEqual({ id: 'email', outline: 'solid' });
    await keys.keyboard.type('someone@acme.test');
    await keys.keyboard.press('Enter');
    await expect.poll(() => keys.getByRole('status').textContent()).toContain('If someone@acme.test belongs');
    await keys.close();
  }, 30_000);

  it('lets only the embeddable form be framed; every page allows only its own scripts', async () => {
    const csp = async (path: string) =>
      (await fetch(`${runtime.url}${path}`)).headers.get('content-security-policy') ?? '';
    expect(await csp('/')).toContain("frame-ancestors 'none'");
    const head = await fetch(`${runtime.url}/embed.html`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(await csp('/embed.html')).toContain('frame-ancestors *');
    for (const path of ['/', '/embed.html']) {
      expect(await csp(path)).toContain("script-src 'self';");
      expect(await csp(path)).not.toContain('unsafe');
    }
  });

  it('takes a request in the form embedded on a vendor’s site, and files it when the link is opened', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const visitor = await context.newPage();
    visitor.setDefaultTimeout(10_000);
    // The vendor's own website, another site (localhost is not 127.0.0.1), frames the form.
    const vendor = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<h1>Acme Displays</h1><iframe title="Support" src="${runtime.url}/embed.html" width="360" height="700"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    await visitor.goto(`http://localhost:${(vendor.address() as AddressInfo).port}/`);
    const form = visitor.frameLocator('iframe[title="Support"]');
    await form.getByLabel('Your e-mail address').fill('ann@acme.test');
    await form.getByLabel('Subject').fill('Kiosk 4 & 5 frozen <b>since</b> noon');
    await form.getByLabel('What happened?').fill('Both kiosks in the lobby stopped at 12:03.');
    await form.getByLabel('Priority').selectOption('P2');
    await form.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => form.getByRole('status').textContent())
      .toContain('a link to confirm your request');
    const mail = runtime.outbox.list().findLast((m) => m.subject.startsWith('Confirm your support request'))!;
    expect(mail.to).toEqual(['ann@acme.test']);
    const token = /#\/signin\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    // Opened from the mail: the portal, top level, files it as Ann.
    await visitor.goto(`${runtime.url}/#/signin/${token}`);
    await visitor.getByRole('heading', { name: 'Kiosk 4 & 5 frozen <b>since</b> noon' }).waitFor();
    expect(visitor.url()).toMatch(/#\/tickets\/TKT-/);
    expect(await visitor.locator('ol.timeline').textContent()).toContain('Both kiosks in the lobby stopped');
    // The link worked once: opening it again files nothing more.
    await visitor.goto(`${runtime.url}/#/signin/${token}`);
    await visitor.getByRole('heading', { name: 'This link does not work' }).waitFor();
    await context.close();
    vendor.close();
  }, 30_000);

  it('shows a customer’s plan (hours, holidays, targets) and its monthly report as mailed', async () => {
    await admin('POST', '/local/clock', { to: '2026-12-01T06:00:00Z' }); // November's reports run
    await agent.reload();
    await signInAgain(agent);
    await agent.getByRole('navigation').getByRole('link', { name: 'Customers' }).click();
    await agent.getByRole('link', { name: 'Acme Retail' }).click();
    await agent.getByRole('heading', { name: 'Plan: Ombori Pilot' }).waitFor();
    const monday = agent.getByRole('row', { name: /^Mon/ });
    expect(await monday.textContent()).toContain('08:00–18:00');
    expect(await agent.getByRole('row', { name: /^Sun/ }).textContent()).toContain('closed');
    expect(await agent.locator('ul.holidays').textContent()).toContain('2026-12-25');
    expect(await agent.getByRole('row', { name: /^P1 Critical/ }).textContent()).toContain(
      '4 business hours',
    );
    const report = agent.frameLocator('iframe.report');
    await expect
      .poll(() => report.locator('h1').textContent())
      .toBe('Acme Retail: support report for November 2026');
    expect(await report.locator('body').textContent()).toContain('2 tickets'); // the one filed in the form, the one from the embedded form
  }, 30_000);

  it('shows an admin a customer’s webhooks, sends a test event and lists its delivery', async () => {
    const hits: string[] = [];
    const receiver = createServer((req, res) => {
      req.resume();
      hits.push(String(req.headers['sla-desk-signature'] ?? ''));
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const customers = await admin('GET', '/customers');
      const acme = customers.items.find((c: { name: string }) => c.name === 'Acme Retail');
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sla-desk`;
      await admin('POST', `/customers/${acme.id}/webhooks`, { url, events: ['ticket.created'] });
      const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
      page.setDefaultTimeout(10_000);
      await page.goto(`${runtime.url}/`);
      await page.getByText('Staff: sign in with your API key').click();
      await page.getByLabel('API key').fill(runtime.adminKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'All tickets' }).waitFor();
      await page.goto(`${runtime.url}/#/customers/${acme.id}`);
      await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
      await page.getByRole('button', { name: 'Send a test event' }).click();
      const row = page.locator('section.webhook tbody tr').first();
      await expect
        .poll(() => row.textContent(), { timeout: 10_000 })
        .toMatch(/ping.*delivered.*204 in \d+ ms/);
      expect(hits.length).toBeGreaterThanOrEqual(1);
      const wide = await page.evaluate(() =>
        // The views bar scrolls within itself; nothing else may reach past the window.
        [...document.querySelectorAll('main *')]
          .filter((e) => !e.closest('.side') && e.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map(
            (e) =>
              `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)} ${(e.textContent ?? '').slice(0, 30)}`,
          )
          .slice(0, 5),
      );
      expect(wide).toEqual([]);
      await page.close();
    } finally {
      receiver.close();
    }
  }, 30_000);
});
