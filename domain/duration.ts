// SLA targets: an ISO 8601 duration counted in business time, or a promise without a clock.
// `PTnH` / `PTnM` / `PTnS` are open hours, minutes, seconds; `PnD` is n business days (see
// calendar.ts, addBusinessDays). Weeks, months and years are refused: "a business month" has
// no single meaning a customer and an agent would agree on.
import * as z from './zod';

/** No clock: the vendor answers when it can (Ombori Free, Platform.sh P3). */
export const BEST_EFFORT = 'best-effort';
/** No recurring clock: the next contact is when the work is done (Ombori status updates P3/P4). */
export const WHEN_DONE = 'when-done';

export interface BusinessDuration {
  /** Whole business days, counted with calendar.addBusinessDays. */
  days: number;
  /** Open time in milliseconds, added after the days. */
  ms: number;
}

/** A target longer than a year of business days (or 8 784 hours) is a typo, not a promise. */
export const MAX_TARGET_DAYS = 366;

// ISO 8601's duration grammar, restricted to what a business-time target may say: whole days,
// then hours, minutes and seconds (each may have a fraction, `PT1.5H`; a comma is ISO's too).
const NUMBER = String.raw`(\d{1,20}(?:[.,]\d{1,20})?)`;
const ISO_DURATION = new RegExp(
  String.raw`^P(?:(\d{1,20})D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`,
);

/** Parses `P1D`, `PT4H`, `PT30M`, `P1DT2H`; null for anything else (weeks, months, signs, zero, over a year). */
export function parseBusinessDuration(text: string): BusinessDuration | null {
  const match = ISO_DURATION.exec(text);
  if (!match || text.endsWith('T')) return null;
  const [days, hours, minutes, seconds] = match.slice(1).map((n) => Number((n ?? '0').replace(',', '.')));
  const ms = Math.round(((hours! * 60 + minutes!) * 60 + seconds!) * 1000);
  if (days! > MAX_TARGET_DAYS || !(ms <= MAX_TARGET_DAYS * 86_400_000)) return null;
  return days === 0 && ms === 0 ? null : { days: days!, ms };
}

export const DurationText = z.string().check(
  z.refine((text) => parseBusinessDuration(text) !== null, {
    message:
      'expected an ISO 8601 duration of business time such as PT30M, PT4H or P1D, at most P366D or PT8784H (no weeks, months or years)',
  }),
);

export const Target = z.union([z.literal(BEST_EFFORT), z.literal(WHEN_DONE), DurationText]);
export type Target = z.infer<typeof Target>;

/** The duration of a target, or null where the target sets no clock. */
export function targetDuration(target: Target): BusinessDuration | null {
  if (target === BEST_EFFORT || target === WHEN_DONE) return null;
  return parseBusinessDuration(target);
}

/** `PT1H30M` for 5 400 000 ms: how explanations and mails print business time. */
export function formatBusinessMs(ms: number): string {
  if (ms === 0) return 'PT0S';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}

/**
 * A duration as a person reads it: `0 min`, `45 min`, `3 h 20 min`, `26 h`; with `seconds`,
 * under a minute in seconds (`40 s`) and under an hour with them (`3 min 5 s`).
 */
export function inWords(ms: number, options: { seconds?: boolean } = {}): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`not a duration: ${ms}`);
  const totalSeconds = Math.round(ms / 1000);
  if (options.seconds && totalSeconds < 3600) {
    const m = Math.floor(totalSeconds / 60);
    const s = totalSeconds % 60;
    return [m && `${m} min`, (s || !m) && `${s} s`].filter(Boolean).join(' ');
  }
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h && `${h} h`, (m || !h) && `${m} min`].filter(Boolean).join(' ');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A target as a customer reads it: "4 business hours", "1 business day", "best effort". */
export function describeTarget(target: Target): string {
  if (target === BEST_EFFORT) return 'on a best-effort basis';
  if (target === WHEN_DONE) return 'when the work is done';
  const { days, ms } = parseBusinessDuration(target)!;
  const minutes = Math.round(ms / 60_000);
  const parts = [
    ...(days ? [plural(days, 'business day')] : []),
    ...(minutes >= 60 && minutes % 60 === 0 && !days ? [plural(minutes / 60, 'business hour')] : []),
    ...(minutes && (minutes % 60 !== 0 || days)
      ? [
          minutes >= 60
            ? `${Math.floor(minutes / 60)} h ${minutes % 60} min`
            : plural(minutes, 'business minute'),
        ]
      : []),
  ];
  return parts.join(' and ');
}
