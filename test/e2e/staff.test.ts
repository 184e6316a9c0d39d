// Staff as people, in Chromium against the local runtime and its local OpenID provider
// (oidc-provider): an admin invites an agent, who finishes the account by the mailed link,
// signs out, signs in again through the provider's login page (the whole redirect flow), and
// works a ticket under their own name; a stranger is refused with the reason; a deactivated
// agent is signed out at once.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime';
import { apiOf, launchChromium } from './support';

let runtime: LocalRuntime;
let browser: Browser;
let page: Page;
let api: ReturnType<typeof apiOf>;
let nina: { id: string };
let ticketId: string;
let site: string;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    smtpPort: 0,
    dataDir: null,
    clock: 'virtual',
    clockStart: Date.parse('2026-11-23T08:00:00Z'),
    localSso: true,
  });
  api = apiOf(runtime);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  // The provider's login page imports a web font; nothing outside this machine is reachable.
  await page.route(/^https:\/\//, (route) => route.abort());
  site = runtime.url.replace('127.0.0.1', 'localhost'); // PORTAL_URL: where mail links and SSO lead
  const customer = await api('POST', '/customers', {
    name: 'Acme Retail',
    planId: 'ombori-production',
    contacts: [{ email: 'ann@acme.test', name: 'Ann' }],
  });
  const key = await api('POST', '/api-keys', { role: 'customer', customerId: customer.id, name: 'acme' });
  ticketId = (
    await api(
      'POST',
      '/tickets',
      { subject: 'Kiosk 12 black', description: 'Since 9:00', priority: 'P2' },
      key.key,
    )
  ).id;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

const header = () => page.locator('header.bar').innerText();

describe('a new agent', () => {
  it('is invited by an admin and finishes the account by the mailed link', async () => {
    nina = await api('POST', '/staff', { email: 'nina@staff.test', name: 'Nina', role: 'agent' });
    const mail = runtime.outbox.list().find((m) => m.to.includes('nina@staff.test'))!;
    const token = /#\/welcome\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    await page.goto(`${site}/#/welcome/${token}`);
    await page.getByLabel('Your name, as customers and colleagues see it').fill('Nina Berg');
    await page.getByRole('button', { name: 'Finish my account' }).click();
    await page.getByRole('heading', { name: 'All tickets' }).waitFor();
    expect(await header()).toContain('Nina Berg');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to support' }).waitFor();
  });

  it('signs in through the OpenID provider’s login page and comes back to the console by name', async () => {
    await page.getByRole('link', { name: 'Staff: sign in with the local OpenID provider' }).click();
    await page.locator('input[name="login"]').fill('nina@staff.test');
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.getByRole('heading', { name: 'All tickets' }).waitFor();
    expect(page.url()).toBe(`${site}/#/`);
    expect(await header()).toContain('Nina Berg');
    const sessions = await api('GET', `/staff/${nina.id}/sessions`);
    expect(sessions.items.map((s: { method: string }) => s.method)).toContain('sso');
  });

  it('assigns a ticket to herself by name and is named on its timeline and to the customer', async () => {
    await page.goto(`${site}/#/tickets/${ticketId}`);
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.getByText('assigned Nina Berg').waitFor();
    await page.getByLabel('Message').fill('Looking at kiosk 12 now.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Looking at kiosk 12 now.').first().waitFor();
    const ticket = await api('GET', `/tickets/${ticketId}`);
    expect(ticket).toMatchObject({
      assigneeId: nina.id,
      assigneeName: 'Nina Berg',
      assignee: 'nina@staff.test',
    });
    const message = ticket.timeline.find(
      (e: { type: string; body?: string }) => e.body === 'Looking at kiosk 12 now.',
    );
    expect(message.actor).toMatchObject({ role: 'agent', name: 'Nina Berg', staffId: nina.id });
  });

  it('sees the directory; is signed out at once when deactivated', async () => {
    await page.getByRole('link', { name: 'Staff', exact: true }).click();
    await page.getByRole('heading', { name: 'Staff' }).waitFor();
    expect(await page.locator('table.staff').innerText()).toContain('Nina Berg');
    expect(await page.getByRole('button', { name: 'Send invitation' }).count()).toBe(0); // admins only
    const person = await api('GET', `/staff/${nina.id}`);
    await fetch(`${runtime.url}/staff/${nina.id}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${runtime.adminKey}`,
        'content-type': 'application/json',
        'if-match': `"${person.version}"`,
      },
      body: JSON.stringify({ status: 'deactivated' }),
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tickets' }).click();
    await page.getByRole('heading', { name: 'Sign in to support' }).waitFor();
  });
});

describe('single sign-on refusals', () => {
  it('brings a stranger back to the sign-in page with the reason, signed in as nobody', async () => {
    // Another browser: the provider remembers Nina's sign-in in this one.
    page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.route(/^https:\/\//, (route) => route.abort());
    await page.goto(`${site}/#/signin`);
    await page.getByRole('link', { name: /sign in with the local OpenID provider/ }).click();
    await page.locator('input[name="login"]').fill('stranger@staff.test');
    await page.locator('input[name="password"]').fill('x');
    await page.locator('button[type="submit"]').click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain(
      'stranger@staff.test has no staff account here',
    );
    const session = await page.evaluate(() => fetch('/auth/session').then((r) => r.status));
    expect(session).toBe(401);
  });
});
