// Platform uptime per customer and month: 1 − merged downtime / period, where the period is
// the calendar month in the plan's time zone, overlapping incidents count once, incidents are
// clipped to the month, an open incident counts until the month's end or now, and planned
// maintenance counts only where the plan does not exclude it. Service credits by tier.

import type { Instant } from './calendar';
import { localMonth, monthBefore, monthSpan } from './zone';

export interface Period {
  start: Instant;
  end: Instant;
}

export interface Outage {
  start: Instant;
  /** null while the incident lasts. */
  end: Instant | null;
  planned: boolean;
}

export interface ServiceCredit {
  /** The credit applies when monthly uptime is below this percentage. */
  belowPercent: number;
  /** Credit owed, in percent of the monthly fee. */
  creditPercent: number;
}

export interface UptimeTerms {
  targetPercent: number | null;
  excludePlannedMaintenance: boolean;
  serviceCredits: readonly ServiceCredit[];
}

export interface UptimeResult {
  periodMs: number;
  downtimeMs: number;
  uptimePercent: number;
  targetPercent: number | null;
  /** Downtime the target allows in this period (99.999 % of 30 days ≈ 26 s). */
  allowedDowntimeMs: number | null;
  met: boolean | null;
  creditPercent: number;
  /** The merged stretches of downtime that counted. */
  outages: Period[];
}

/** `2026-11` in Europe/Stockholm: from 1 Nov 00:00 local to 1 Dec 00:00 local. */
export function monthPeriod(month: string, zone: string): Period {
  return monthSpan(month, zone);
}

/** The month (yyyy-mm) before the one `at` falls in, in `zone`. */
export function previousMonth(at: Instant, zone: string): string {
  return monthBefore(localMonth(zone, at));
}

/** Overlapping or touching outages merged, clipped to the period; open ones end at min(period end, now). */
export function mergedDowntime(
  outages: readonly Outage[],
  period: Period,
  now: Instant,
  excludePlanned: boolean,
): Period[] {
  const clipped = outages
    .filter((o) => !(excludePlanned && o.planned))
    .map((o) => ({
      start: Math.max(o.start, period.start),
      end: Math.min(o.end ?? Math.min(now, period.end), period.end),
    }))
    .filter((o) => o.end > o.start)
    .sort((a, b) => a.start - b.start);
  const merged: Period[] = [];
  for (const o of clipped) {
    const last = merged[merged.length - 1];
    if (last && o.start <= last.end) last.end = Math.max(last.end, o.end);
    else merged.push({ ...o });
  }
  return merged;
}

export function monthlyUptime(
  outages: readonly Outage[],
  period: Period,
  now: Instant,
  terms: UptimeTerms,
): UptimeResult {
  const merged = mergedDowntime(outages, period, now, terms.excludePlannedMaintenance);
  const periodMs = period.end - period.start;
  const downtimeMs = merged.reduce((sum, o) => sum + o.end - o.start, 0);
  const uptimePercent = (1 - downtimeMs / periodMs) * 100;
  const target = terms.targetPercent;
  // The deepest tier the uptime falls below decides the credit.
  const credit = [...terms.serviceCredits]
    .filter((c) => uptimePercent < c.belowPercent)
    .reduce((max, c) => Math.max(max, c.creditPercent), 0);
  return {
    periodMs,
    downtimeMs,
    uptimePercent,
    targetPercent: target,
    // Rounded to the millisecond: 1 - 99.9 / 100 is a hair under 0.001 in floating point.
    allowedDowntimeMs: target === null ? null : Math.round((periodMs * (100 - target)) / 100),
    met: target === null ? null : uptimePercent >= target,
    creditPercent: credit,
    outages: merged,
  };
}

export interface ErrorBudget {
  /** Downtime the target allows in the month. */
  allowedMs: number;
  usedMs: number;
  /** What is left of it; 0 once spent. */
  leftMs: number;
  /** Used as a share of the allowance (154 when 40 s of 26 s went); null when it is zero. */
  usedPercent: number | null;
  /** More downtime than the target allows: the target is missed. */
  over: boolean;
}

/**
 * Uptime as an error budget: the downtime the plan's target allows in the month against the
 * downtime there was. No budget without an uptime target.
 */
export function errorBudget(uptime: UptimeResult): ErrorBudget | null {
  if (uptime.allowedDowntimeMs === null) return null;
  const allowedMs = uptime.allowedDowntimeMs;
  const usedMs = uptime.downtimeMs;
  return {
    allowedMs,
    usedMs,
    leftMs: Math.max(0, allowedMs - usedMs),
    usedPercent: allowedMs === 0 ? null : Math.round((usedMs / allowedMs) * 1000) / 10,
    over: usedMs > allowedMs,
  };
}

/** How long an outage lasted within the period (an open one: until now or the period's end). */
export function outageWithin(outage: Outage, period: Period, now: Instant): number {
  const start = Math.max(outage.start, period.start);
  const end = Math.min(outage.end ?? now, period.end);
  return Math.max(0, end - start);
}

/**
 * Uptime in percent from the downtime, floored to `decimals`, exactly (integer maths): a figure
 * compared with a contract's target is never rounded up to it (30 s down in a 99.999 % month is
 * 99.99888 %, not 99.999 %).
 */
export function flooredUptime(downtimeMs: number, periodMs: number, decimals: number): number {
  const up = BigInt(Math.round(periodMs - downtimeMs)) * 10n ** BigInt(decimals + 2);
  return Number(up / BigInt(Math.round(periodMs))) / 10 ** decimals;
}

/**
 * The uptime as a report shows it beside its target: as many decimals as the target has, three
 * at least, rounded toward the worse side, so a missed target never reads as met.
 */
export function uptimeInFigures(percent: number, targetPercent: number | null): string {
  const decimals = Math.max(3, decimalsOf(targetPercent));
  const factor = 10 ** decimals;
  // The figure is floored already; the epsilon keeps a float's 99.99899999… at 99.999.
  return (Math.floor(percent * factor + 1e-7) / factor).toFixed(decimals);
}

function decimalsOf(n: number | null): number {
  if (n === null) return 0;
  const [, fraction = ''] = String(n).split('.');
  return Math.min(fraction.length, 6);
}
