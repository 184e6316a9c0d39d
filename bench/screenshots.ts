// `npm run screenshots`: the portal and the console as README shows them, taken in Debian's
// Chromium on an in-memory runtime with the virtual clock (Friday 16:00 in Stockholm). Writes
// docs/screenshots/*.png.
import '../infra/local/powertools';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startLocalRuntime } from '../infra/local/runtime';

const out = (name: string) => join('docs', 'screenshots', `${name}.png`);
const runtime = await startLocalRuntime({
  port: 0,
  smtpPort: 0,
  dataDir: null,
  clock: 'virtual',
  clockStart: Date.parse('2026-11-27T15:00:00Z'),
});
const call = async (method: string, path: string, body: unknown, key = runtime.adminKey) =>
  (
    await fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  ).json();
try {
  const agentKey = (await call('POST', '/api-keys', { role: 'agent', name: 'Bob (support)' })).key;
  await call('POST', '/customers', {
    name: 'Acme Retail',
    planId: 'ombori-pilot',
    contacts: [{ email: 'ann@acme.test', name: 'Ann' }],
  });
  const globex = await call('POST', '/customers', {
    name: 'Globex',
    planId: 'ombori-production',
    contacts: [{ email: 'gus@globex.test', name: 'Gus' }],
  });
  for (const [subject, priority] of [
    ['Kiosk 4 reboots every hour', 'P2'],
    ['Logo blurry on the menu board', 'P4'],
  ] as const) {
    await call(
      'POST',
      '/tickets',
      { customerId: globex.id, subject, description: 'Seen since Monday.', priority },
      agentKey,
    );
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const customer = await browser.newPage({ viewport: { width: 900, height: 900 } });
  await customer.goto(`${runtime.url}/`);
  await customer.getByLabel('Your e-mail address').fill('ann@acme.test');
  await customer.screenshot({ path: out('1-sign-in') });
  await customer.getByRole('button', { name: 'Send me a sign-in link' }).click();
  await customer.getByRole('status').waitFor();
  const token = /#\/signin\/([A-Za-z0-9_-]+)/.exec(runtime.outbox.list().at(-1)!.text)![1]!;
  await customer.goto(`${runtime.url}/#/signin/${token}`);
  await customer.getByRole('link', { name: 'New ticket' }).click();
  await customer.getByLabel('Subject').fill('All screens in the lobby are black');
  await customer.getByLabel('What happened?').fill('Since 15:30, every screen in the lobby shows nothing.');
  await customer.getByLabel('Priority').selectOption('P1');
  await customer.locator('#promise').filter({ hasText: 'P1 Critical' }).waitFor();
  await customer.screenshot({ path: out('2-new-ticket') });
  await customer.getByRole('button', { name: 'Send' }).click();
  await customer.getByLabel('Service-level clocks').waitFor();
  await customer.screenshot({ path: out('3-ticket'), fullPage: true });
  const agent = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await agent.goto(`${runtime.url}/`);
  await agent.getByText('Staff: sign in with your API key').click();
  await agent.getByLabel('API key').fill(agentKey);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.locator('tbody tr').first().waitFor();
  await agent.getByRole('button', { name: 'Next due' }).click();
  await agent.waitForTimeout(500);
  await agent.screenshot({ path: out('4-queue') });
  // Search: every status, the matching words marked.
  await agent.locator('#search').fill('reboot');
  await agent.keyboard.press('Enter');
  await agent.locator('mark').first().waitFor();
  await agent.screenshot({ path: out('11-search') });
  await agent.locator('#search').fill('');
  await agent.keyboard.press('Enter');
  // The customer's P1, worked: a reply, an internal note, the reply box and the panel.
  const p1 = (await call('GET', '/search/tickets?q=lobby%20black', undefined, agentKey)).items[0].id;
  await call(
    'POST',
    `/tickets/${p1}/messages`,
    { body: 'We see the players offline since 15:28; restarting them remotely now.' },
    agentKey,
  );
  await call(
    'POST',
    `/tickets/${p1}/messages`,
    { body: 'Content sync failed after the 15:25 deploy; rolling back.', internal: true },
    agentKey,
  );
  await agent.goto(`${runtime.url}/#/tickets/${p1}`);
  await agent.getByRole('heading', { name: 'Why they are due then' }).waitFor();
  await agent.waitForTimeout(500);
  await agent.screenshot({ path: out('5-console-ticket') });
  await agent.emulateMedia({ colorScheme: 'dark' });
  await agent.screenshot({ path: out('13-dark') });
  await agent.emulateMedia({ colorScheme: 'light' });
  await agent.setViewportSize({ width: 375, height: 800 });
  await agent.screenshot({ path: out('12-ticket-375'), fullPage: true });
  await agent.setViewportSize({ width: 1366, height: 768 });
  // The form a vendor embeds on its own site.
  const visitor = await browser.newPage({ viewport: { width: 420, height: 860 } });
  await visitor.goto(`${runtime.url}/embed.html`);
  await visitor.getByLabel('Your e-mail address').fill('ann@acme.test');
  await visitor.getByLabel('Subject').fill('Menu board shows yesterday’s prices');
  await visitor.getByLabel('Priority').selectOption('P2');
  await visitor.screenshot({ path: out('6-embed') });
  // A 40 s outage of Globex's platform in November: more than its 99.999 % target allows.
  await call(
    'POST',
    '/incidents',
    { component: 'menu boards', startedAt: '2026-11-10T10:00:00Z', endedAt: '2026-11-10T10:00:40Z' },
    agentKey,
  );
  // A month later: the customer's plan and November's report as it was mailed.
  await call('POST', '/local/clock', { to: '2026-12-01T06:00:00Z' });
  await agent.goto(`${runtime.url}/#/customers`);
  await agent.getByText('Staff: sign in with your API key').click();
  await agent.getByLabel('API key').fill(agentKey);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.getByRole('heading', { name: 'All tickets' }).waitFor();
  await agent.goto(`${runtime.url}/#/customers`);
  await agent.getByRole('link', { name: 'Acme Retail' }).click();
  await agent.frameLocator('iframe.report').locator('h1').waitFor();
  // A full-page capture leaves a sandboxed frame below the fold blank: the window is made as tall
  // as the page instead, so the report shows in its frame as a reader scrolling down sees it.
  const viewport = agent.viewportSize()!;
  const tall = await agent.evaluate(() => document.documentElement.scrollHeight);
  await agent.setViewportSize({ width: viewport.width, height: tall });
  await agent.waitForTimeout(500);
  await agent.screenshot({ path: out('7-customer') });
  await agent.setViewportSize(viewport);
  // The report renders in its own sandboxed frame, which a full-page capture leaves out.
  await agent.locator('iframe.report').scrollIntoViewIfNeeded();
  await agent.waitForTimeout(500);
  await agent.locator('iframe.report').screenshot({ path: out('8-report') });
  // Globex's November report as its mail shows it, at a desktop mail client's width and a phone's.
  const reportHtml = await (
    await fetch(`${runtime.url}/customers/${globex.id}/reports/2026-11/html`, {
      headers: { authorization: `Bearer ${agentKey}` },
    })
  ).text();
  for (const [name, width] of [
    ['9-report-600', 600],
    ['10-report-375', 375],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.setContent(reportHtml);
    await page.screenshot({ path: out(name), fullPage: true });
    await page.close();
  }
  await browser.close();
  console.log(
    'docs/screenshots: 1-sign-in, 2-new-ticket, 3-ticket, 4-queue, 5-console-ticket, 6-embed, 7-customer, 8-report, 9-report-600, 10-report-375, 11-search, 12-ticket-375, 13-dark',
  );
} finally {
  await runtime.stop();
}
