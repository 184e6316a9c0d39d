// The monthly report as a customer reads it: the mail's HTML in Chromium at a desktop mail
// client's width (600 px) and a phone's (375 px), its figures read from the DOM, and the same
// numbers in the HTML, the text part, the JSON and the CSV.

import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uptimeInFigures } from '../../domain/uptime';
import { type Harness, harness, openTicket } from '../functions/harness';
import { launchChromium } from './support';

const Z = (iso: string) => Date.parse(iso);
const EVIL = '<img src=x onerror="window.pwned=1">&amp;"\'';
let h: Harness;
let browser: Browser;
// biome-ignore lint/suspicious/noExplicitAny: the report JSON is read field by field in assertions
let report: Record<string, any>;
let mail: { html: string; text: string; attachments: { content: string }[] };

beforeAll(async () => {
  h = await harness('2026-11-02T08:00:00Z'); // Mon 09:00 Stockholm
  const agent = await h.key('agent');
  const created = await h.call('POST', '/customers', {
    body: {
      name: `Acme ${EVIL}`,
      planId: 'ombori-production',
      contacts: [{ email: 'ann@acme.test', name: 'Ann' }],
    },
  });
  const key = await h.key('customer', created.body.id);
  const open = (priority: string, subject: string) => openTicket(h, key, priority, subject);
  const p1 = await open('P1', `Screens black ${EVIL}`);
  await open('P2', 'Menu board frozen');
  await open('P3', 'A question');
  await h.advance(Z('2026-11-02T08:10:00Z'));
  await h.call('POST', `/tickets/${p1}/messages`, { key: agent, body: { body: 'On it' } });
  await h.call('POST', '/incidents', {
    key: agent,
    body: { component: `grid ${EVIL}`, startedAt: '2026-11-10T10:00:00Z', endedAt: '2026-11-10T10:00:40Z' },
  });
  await h.advance(Z('2026-12-01T00:05:00Z')); // November's reports run
  report = (await h.call('GET', `/customers/${created.body.id}/reports/2026-11`, { key })).body;
  mail = h.outbox.list().find((m) => m.subject.startsWith('Support report')) as never;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/**
 * Words split over lines ("respon se", "miss ed", a ticket id in two) that are no wider than
 * 40 % of the screen (a column squeezed to break them could have been given their width) nor,
 * in a table of fixed columns, than their column. Only a longer run without spaces may break.
 */
function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    const canvas = document.createElement('canvas').getContext('2d')!;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const style = getComputedStyle(node.parentElement!);
      canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      // In a table of fixed columns a word may break only where it is wider than its column.
      const cell = node.parentElement!.closest('td, th') as HTMLElement | null;
      const fixed = cell && getComputedStyle(cell.closest('table')!).tableLayout === 'fixed';
      const inCell = cell ? cell.clientWidth - parseFloat(getComputedStyle(cell).paddingLeft) * 2 : Infinity;
      const room = Math.min(window.innerWidth * 0.4, fixed ? inCell : Infinity);
      for (const match of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1 && canvas.measureText(match[0]).width <= room) broken.push(match[0]);
      }
    }
    return broken;
  });
}

describe('the monthly report in a browser', () => {
  for (const width of [600, 375]) {
    it(`reads well at ${width} px: the figures in the DOM, nothing wider than the screen, nothing run`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.setContent(mail.html, { waitUntil: 'load' });
      expect(await page.locator('h1').textContent()).toBe(`Acme ${EVIL}: support report for November 2026`);
      expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.locator('img, script').count()).toBe(0);
      // The error budget: 40 s of 26 s, 154 %, over; its bar filled to the end.
      expect(await page.getByText(/^The clocks count business hours/).textContent()).toBe(
        'The clocks count business hours: Mon-Sun 08:00-21:00 (Europe/Stockholm).',
      );
      const budget = await page.getByText(/^Error budget/).textContent();
      expect(budget).toBe(
        'Error budget for the 99.999 % target: 40 s of 26 s allowed downtime used (154.3 %), over by 14 s.',
      );
      // The incident and the breaches, one row each, the customer's words as text.
      expect(await page.getByText(`grid ${EVIL}`, { exact: true }).count()).toBe(1);
      const links = page.locator('a[href*="/#/tickets/"]');
      expect(await links.count()).toBe(report.breaches.length);
      expect(await links.first().getAttribute('href')).toBe(report.breaches[0].url);
      expect(await page.getByText(`Screens black ${EVIL}`, { exact: true }).count()).toBe(
        report.breaches.filter((b: { subject: string }) => b.subject.includes('Screens')).length,
      );
      // Nothing makes the reader scroll sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // No word is broken across lines unless it is wider than its column on its own.
      expect(await brokenWords(page)).toEqual([]);
      // The missed deadlines have column headings.
      expect(await page.locator('th[scope="col"]').allTextContents()).toEqual([
        'Component',
        'Started',
        'Down',
        'Kind',
        'Ticket',
        'Deadline',
        'Late by',
      ]);
      // An independent accessibility check of the HTML as mailed (axe-core: WCAG 2 A and AA).
      await page.addScriptTag({ content: axe.source });
      const violations = await page.evaluate(async () => {
        const run = (
          window as unknown as {
            axe: { run(o: unknown): Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
          }
        ).axe.run;
        const result = await run({
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] },
        });
        return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
      });
      expect(violations).toEqual([]);
      await page.close();
    });
  }

  it('says the same numbers in the HTML, the text part, the JSON and the CSV', async () => {
    const page = await browser.newPage({ viewport: { width: 600, height: 900 } });
    await page.setContent(mail.html);
    const html = (await page.locator('body').textContent())!;
    const csv = mail.attachments[0]!.content.trim().split('\r\n').slice(1);
    // Tickets.
    expect(csv).toHaveLength(report.tickets.total);
    expect(html).toContain(`${report.tickets.total} tickets;`);
    expect(mail.text).toContain(`Tickets: ${report.tickets.total} (`);
    // Breaches: the CSV's breached clocks and update breaches, the JSON's list, the rows of both parts.
    const cells = csv.map((line) => line.slice(1, -1).split('","'));
    const fromCsv = cells.reduce(
      (n, c) => n + (c[8] === 'breached' ? 1 : 0) + Number(c[10]) + (c[11] === 'breached' ? 1 : 0),
      0,
    );
    expect(report.breaches.length).toBe(fromCsv);
    expect(await page.locator('a[href*="/#/tickets/"]').count()).toBe(fromCsv);
    const textBreaches = mail.text
      .split('Deadlines missed:\n')[1]!
      .split('\n')
      .filter((l) => l.startsWith('  TKT-'));
    expect(textBreaches).toHaveLength(fromCsv);
    // Uptime (never rounded up toward its target) and the first responses' attainment.
    const uptime = `${uptimeInFigures(report.uptime.percent, report.uptime.targetPercent)} %`;
    expect(html).toContain(uptime);
    expect(mail.text).toContain(`Uptime: ${uptime}.`);
    const attainment = report.clocks.response.attainmentPercent;
    expect(mail.text).toContain(`First responses in time: ${attainment} %`);
    expect(report.trend.at(-1)).toMatchObject({ responseAttainmentPercent: attainment, breaches: fromCsv });
    await page.close();
  });
});
