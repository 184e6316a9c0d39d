import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  errorBudget,
  flooredUptime,
  mergedDowntime,
  monthlyUptime,
  monthPeriod,
  type Outage,
  outageWithin,
  previousMonth,
  uptimeInFigures,
} from '../../domain/uptime';

const terms = { targetPercent: 99.999, excludePlannedMaintenance: false, serviceCredits: [] };
const Z = Date.parse;

describe('monthly uptime', () => {
  it('allows about 26 seconds a 30-day month at 99.999 %', () => {
    const november = monthPeriod('2026-11', 'UTC');
    const result = monthlyUptime([], november, Z('2026-12-05T00:00:00Z'), terms);
    expect(result.allowedDowntimeMs).toBe(25_920);
    expect(result.uptimePercent).toBe(100);
    expect(result.met).toBe(true);
  });

  it('counts overlapping incidents once and clips them to the month', () => {
    const november = monthPeriod('2026-11', 'UTC');
    const outages: Outage[] = [
      { start: Z('2026-10-31T23:59:50Z'), end: Z('2026-11-01T00:00:20Z'), planned: false }, // 20 s inside
      { start: Z('2026-11-10T10:00:00Z'), end: Z('2026-11-10T10:00:30Z'), planned: false },
      { start: Z('2026-11-10T10:00:10Z'), end: Z('2026-11-10T10:00:40Z'), planned: false }, // overlaps: +10 s
    ];
    const result = monthlyUptime(outages, november, Z('2026-12-01T00:00:00Z'), terms);
    expect(result.downtimeMs).toBe(60_000);
    expect(result.met).toBe(false);
    expect(result.outages).toHaveLength(2);
  });

  it('counts an open incident to now, or to the end of the month', () => {
    const november = monthPeriod('2026-11', 'UTC');
    const open = [{ start: Z('2026-11-30T23:00:00Z'), end: null, planned: false }];
    expect(monthlyUptime(open, november, Z('2026-11-30T23:30:00Z'), terms).downtimeMs).toBe(30 * 60_000);
    expect(monthlyUptime(open, november, Z('2026-12-03T00:00:00Z'), terms).downtimeMs).toBe(60 * 60_000);
  });

  it('excludes planned maintenance only where the plan says so, and owes the deepest credit tier', () => {
    const november = monthPeriod('2026-11', 'UTC');
    const outages = [{ start: Z('2026-11-10T00:00:00Z'), end: Z('2026-11-10T12:00:00Z'), planned: true }];
    const credits = [
      { belowPercent: 99.9, creditPercent: 10 },
      { belowPercent: 99, creditPercent: 25 },
    ];
    const counted = monthlyUptime(outages, november, Z('2026-12-01T00:00:00Z'), {
      ...terms,
      serviceCredits: credits,
    });
    expect(counted.uptimePercent).toBeCloseTo(98.333, 3);
    expect(counted.creditPercent).toBe(25);
    const excluded = monthlyUptime(outages, november, Z('2026-12-01T00:00:00Z'), {
      ...terms,
      excludePlannedMaintenance: true,
      serviceCredits: credits,
    });
    expect(excluded.downtimeMs).toBe(0);
    expect(excluded.creditPercent).toBe(0);
  });

  it('takes the month in the plan’s time zone, DST months included', () => {
    const march = monthPeriod('2026-03', 'Europe/Stockholm');
    expect(new Date(march.start).toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(new Date(march.end).toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(march.end - march.start).toBe((31 * 24 - 1) * 3_600_000); // one hour short
    const october = monthPeriod('2026-10', 'Europe/Stockholm');
    expect(october.end - october.start).toBe((31 * 24 + 1) * 3_600_000);
    expect(previousMonth(Z('2026-12-01T00:30:00+01:00'), 'Europe/Stockholm')).toBe('2026-11');
  });

  it('never counts more downtime than the month, nor less than its longest outage (property)', () => {
    const november = monthPeriod('2026-11', 'UTC');
    const instant = fc.integer({ min: november.start - 5 * 86_400_000, max: november.end + 5 * 86_400_000 });
    const outage = fc
      .tuple(instant, fc.integer({ min: 0, max: 3 * 86_400_000 }), fc.boolean(), fc.boolean())
      .map(([start, length, open, planned]) => ({ start, end: open ? null : start + length, planned }));
    fc.assert(
      fc.property(fc.array(outage, { maxLength: 12 }), instant, (outages, now) => {
        const merged = mergedDowntime(outages, november, now, false);
        const total = merged.reduce((s, o) => s + o.end - o.start, 0);
        expect(total).toBeLessThanOrEqual(november.end - november.start);
        for (let i = 1; i < merged.length; i++) expect(merged[i]!.start).toBeGreaterThan(merged[i - 1]!.end);
        for (const o of merged) expect(o.start >= november.start && o.end <= november.end).toBe(true);
        for (const o of outages) {
          const end = Math.min(o.end ?? Math.min(now, november.end), november.end);
          const own = Math.max(0, end - Math.max(o.start, november.start));
          expect(total).toBeGreaterThanOrEqual(own);
        }
        // Adding an outage never lowers the downtime.
        const more = mergedDowntime(
          [...outages, { start: november.start, end: november.start + 1000, planned: false }],
          november,
          now,
          false,
        );
        expect(more.reduce((s, o) => s + o.end - o.start, 0)).toBeGreaterThanOrEqual(total);
      }),
    );
  });
});

describe('the error budget', () => {
  const november = monthPeriod('2026-11', 'Europe/Stockholm');
  const terms = (targetPercent: number | null) => ({
    targetPercent,
    excludePlannedMaintenance: false,
    serviceCredits: [],
  });
  const outage = (start: string, seconds: number): Outage => ({
    start: Date.parse(start),
    end: Date.parse(start) + seconds * 1000,
    planned: false,
  });

  it('is the downtime the target allows against the downtime there was: 40 s of 25.9 s is over', () => {
    const uptime = monthlyUptime([outage('2026-11-10T10:00:00Z', 40)], november, november.end, terms(99.999));
    expect(errorBudget(uptime)).toEqual({
      allowedMs: 25_920,
      usedMs: 40_000,
      leftMs: 0,
      usedPercent: 154.3,
      over: true,
    });
  });

  it('is spent exactly at the allowance, and left whole without downtime', () => {
    const allowed = (november.end - november.start) / 1000; // 99.9 % of 30 days: 2 592 s
    const atLimit = monthlyUptime(
      [outage('2026-11-10T10:00:00Z', allowed / 1000)],
      november,
      november.end,
      terms(99.9),
    );
    expect(errorBudget(atLimit)).toMatchObject({ usedPercent: 100, over: false, leftMs: 0 });
    expect(errorBudget(monthlyUptime([], november, november.end, terms(99.9)))).toMatchObject({
      usedMs: 0,
      leftMs: allowed,
      usedPercent: 0,
      over: false,
    });
  });

  it('has no share of a zero allowance (a 100 % target) and no budget without a target', () => {
    const full = monthlyUptime([outage('2026-11-10T10:00:00Z', 1)], november, november.end, terms(100));
    expect(errorBudget(full)).toMatchObject({ allowedMs: 0, usedPercent: null, over: true });
    expect(errorBudget(monthlyUptime([], november, november.end, terms(null)))).toBeNull();
  });

  it('counts an outage within the month only, an open one until now', () => {
    const start = Date.parse('2026-10-31T22:50:00Z'); // 23:50 on 31 October in Stockholm
    expect(outageWithin({ start, end: start + 20 * 60_000, planned: false }, november, november.end)).toBe(
      10 * 60_000,
    );
    const open = { start: Date.parse('2026-11-30T22:00:00Z'), end: null, planned: true };
    expect(outageWithin(open, november, Date.parse('2026-11-30T22:30:00Z'))).toBe(30 * 60_000);
    expect(outageWithin(open, november, Date.parse('2026-12-02T00:00:00Z'))).toBe(60 * 60_000);
  });
});

describe('the uptime figure beside its target', () => {
  const month = 30 * 86_400_000;
  it.each([
    // 30 s down in a 30-day month: 99.99884 %, below 99.999 %: never shown as 99.999.
    [30_000, 99.999, '99.998'],
    [25_920, 99.999, '99.999'], // exactly the allowance: met, and shown so
    [25_921, 99.999, '99.998'],
    [0, 99.999, '100.000'],
    [month / 2, 99.9, '50.000'],
    [2_592, 99.9999, '99.9999'], // a target with four decimals shows four
    [2_593, 99.9999, '99.9998'],
    [60_000, null, '99.997'],
  ])('%d ms down against %s is %s', (downtimeMs, target, shown) => {
    expect(uptimeInFigures(flooredUptime(downtimeMs, month, 5), target)).toBe(shown);
  });

  it('is never rounded up to its target, whatever the downtime', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 * 60_000 }),
        fc.constantFrom(99.9, 99.95, 99.99, 99.999),
        (down, target) => {
          const percent = flooredUptime(down, month, 5);
          const exact = (1 - down / month) * 100;
          expect(percent).toBeLessThanOrEqual(exact + 1e-12);
          const allowed = (month * (100 - target)) / 100;
          if (down > allowed + 1e-6) expect(Number(uptimeInFigures(percent, target))).toBeLessThan(target);
        },
      ),
    );
  });
});
