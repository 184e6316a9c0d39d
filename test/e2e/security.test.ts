// The pages' security in a real browser: a customer's session shows nothing of another
// customer's, a sign-in link works once and not after 15 minutes, another site cannot make a
// signed-in browser change anything (SameSite=Strict, and the header check behind it), and
// text people wrote is shown as text wherever it appears.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime';
import { apiOf, launchChromium, virtualRuntime } from './support';

let runtime: LocalRuntime;
let browser: Browser;
let ann: Page;
let agentKey: string;
let acmeTicket: string;
let globexTicket: string;
let evil: Server;
let evilUrl: string;
// Markup people may type; none of it may ever run or render as markup.
const XSS = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>"'&`;

const admin: ReturnType<typeof apiOf> = (...args) => apiOf(runtime)(...args);

async function signIn(page: Page, email: string) {
  await page.goto(`${runtime.url}/`);
  await page.getByLabel('Your e-mail address').fill(email);
  await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
  await page.getByRole('status').waitFor();
  const mail = runtime.outbox.list().findLast((m) => m.to.includes(email))!;
  return /#\/signin\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
}

beforeAll(async () => {
  runtime = await virtualRuntime(Date.parse('2026-11-23T09:00:00Z'));
  const acme = await admin('POST', '/customers', {
    name: `Acme ${XSS}`,
    planId: 'ombori-pilot',
    contacts: [{ email: 'ann@acme.test', name: `Ann ${XSS}` }],
  });
  const globex = await admin('POST', '/customers', {
    name: 'Globex Secret Corp',
    planId: 'ombori-pilot',
    contacts: [{ email: 'gus@globex.test', name: 'Gus' }],
  });
  agentKey = (await admin('POST', '/api-keys', { role: 'agent', name: 'Bob' })).key;
  acmeTicket = (
    await admin(
      'POST',
      '/tickets',
      { customerId: acme.id, subject: `Subject ${XSS}`, description: `Description ${XSS}`, priority: 'P2' },
      agentKey,
    )
  ).id;
  globexTicket = (
    await admin(
      'POST',
      '/tickets',
      {
        customerId: globex.id,
        subject: 'Globex merger servers',
        description: 'confidential',
        priority: 'P1',
      },
      agentKey,
    )
  ).id;
  await admin(
    'POST',
    `/tickets/${acmeTicket}/messages`,
    { body: `Internal ${XSS} note`, internal: true },
    agentKey,
  );
  // Another site, with pages that try to act on the desk with the visitor's cookie.
  evil = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    const target = `${runtime.url}/tickets/${acmeTicket}/messages`;
    res.end(
      req.url === '/form'
        ? `<form id="f" method="POST" action="${target}" enctype="text/plain"><input name='{"body":"forged","x":"' value='"}'></form><script>document.getElementById('f').submit()</script>`
        : `<script>fetch(${JSON.stringify(target)}, {method: 'POST', credentials: 'include', mode: 'no-cors', headers: {'content-type': 'text/plain'}, body: JSON.stringify({body: 'forged by fetch'})}).finally(() => document.title = 'sent')</script>`,
    );
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}`;
  browser = await launchChromium();
  ann = await (await browser.newContext({ viewport: { width: 375, height: 800 } })).newPage();
  ann.setDefaultTimeout(10_000);
  const token = await signIn(ann, 'ann@acme.test');
  await ann.goto(`${runtime.url}/#/signin/${token}`);
  await ann.getByRole('heading', { name: 'Our tickets' }).waitFor();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  evil?.close();
  await runtime?.stop();
});

const timeline = async () =>
  (await admin('GET', `/tickets/${acmeTicket}`, undefined, agentKey)).timeline as { body?: string }[];

describe('the pages, attacked', () => {
  it('show a customer nothing of another customer’s, whatever address they type', async () => {
    await ann.goto(`${runtime.url}/#/tickets/${globexTicket}`);
    await ann.getByRole('alert').waitFor();
    for (const path of [`#/tickets/${globexTicket}`, '#/customers', '#/', `#/?customerId=x`]) {
      await ann.goto(`${runtime.url}/${path}`);
      await ann.waitForTimeout(300);
      const text = await ann.locator('body').textContent();
      expect(text, path).not.toContain('Globex');
      expect(text, path).not.toContain('Internal');
    }
    // The page's own API calls, with Ann's cookie, answer the same.
    const fromPage = await ann.evaluate(async ([id]) => (await fetch(`/tickets/${id}`)).status, [
      globexTicket,
    ] as const);
    expect(fromPage).toBe(404);
  }, 30_000);

  it('shows what people wrote as text: subjects, descriptions, names, notes', async () => {
    await ann.goto(`${runtime.url}/#/tickets/${acmeTicket}`);
    await ann.getByRole('heading', { name: `Subject ${XSS}` }).waitFor();
    expect(await ann.locator('header').textContent()).toContain(`Ann ${XSS}`);
    const agent = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    agent.setDefaultTimeout(10_000);
    await agent.goto(`${runtime.url}/`);
    await agent.getByText('Staff: sign in with your API key').click();
    await agent.getByLabel('API key').fill(agentKey);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.locator(`tr[data-ticket="${acmeTicket}"]`).waitFor();
    await agent.goto(`${runtime.url}/#/tickets/${acmeTicket}`);
    await agent.getByText(`Internal ${XSS} note`).waitFor();
    await agent.goto(`${runtime.url}/#/customers`);
    await agent.getByRole('link', { name: `Acme ${XSS}` }).click();
    await agent.getByRole('heading', { name: `Acme ${XSS}` }).waitFor();
    for (const page of [ann, agent]) {
      expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
      expect(await page.locator('main img').count()).toBe(0);
    }
    await agent.close();
  }, 30_000);

  it('lets no other site change anything with the visitor’s session, by form or by fetch', async () => {
    const before = (await timeline()).length;
    const visit = await ann.context().newPage();
    await visit.goto(`${evilUrl}/form`);
    await visit.waitForLoadState('networkidle');
    await visit.goto(`${evilUrl}/fetch`);
    await expect.poll(() => visit.title()).toBe('sent');
    await visit.close();
    const after = await timeline();
    expect(after.length).toBe(before);
    expect(JSON.stringify(after)).not.toContain('forged');
    // Even a request that carries the cookie (same site) changes nothing without the header.
    const forged = await ann.evaluate(async (id) => {
      const res = await fetch(`/tickets/${id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'forged without the header' }),
      });
      return { status: res.status, body: await res.json() };
    }, acmeTicket);
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('csrf');
    expect(JSON.stringify(await timeline())).not.toContain('forged');
  }, 30_000);

  it('takes a sign-in link once, and not after 15 minutes', async () => {
    // Each use of a link is a fresh tab, as a click in a mail program opens one.
    const open = async (token: string) => {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`${runtime.url}/#/signin/${token}`);
      return page;
    };
    const asker = await browser.newPage();
    const token = await signIn(asker, 'gus@globex.test');
    const first = await open(token);
    await first.getByRole('heading', { name: 'Our tickets' }).waitFor();
    const again = await open(token);
    await again.getByRole('heading', { name: 'This link does not work' }).waitFor();
    const late = await signIn(asker, 'gus@globex.test');
    await admin('POST', '/local/clock', { advance: 'PT15M1S' });
    const expired = await open(late);
    await expired.getByRole('heading', { name: 'This link does not work' }).waitFor();
    expect(await expired.getByRole('alert').textContent()).toContain('expired');
    for (const page of [asker, first, again, expired]) await page.close();
  }, 30_000);
});
