// Time zones: the IANA rules as the runtime's Intl carries them (read through @date-fns/tz), and
// the few conversions the SLA needs between instants and wall-clock time. A wall time is
// carried as "wall ms": the epoch ms of the same reading in UTC, so that a local day is 24 h
// long and Date's UTC getters read its fields.
import { tzOffset } from '@date-fns/tz/tzOffset';

type Instant = number;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY_MS = 24 * HOUR;

const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Whether the runtime knows `zone` as an IANA time zone (Europe/Stockholm, UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in ms (+3 600 000 for Stockholm in winter). */
export function offsetMs(zone: string, t: Instant): number {
  const minutes = tzOffset(zone, new Date(t));
  if (Number.isNaN(minutes)) throw new RangeError(`not a time zone: ${zone}`);
  return minutes * MINUTE;
}

/** The wall-clock reading of an instant in a zone, as wall ms. */
export function toWall(zone: string, t: Instant): number {
  return t + offsetMs(zone, t);
}

/**
 * The instant a zone's clocks show a wall time (`wallMs` after midnight of a date). A wall time
 * the spring gap skips is the gap's end: 02:30 on a Stockholm spring Sunday is 03:00 CEST, so a
 * desk opening at 02:30 opens when the clocks jump. A wall time the autumn repeats is its first
 * occurrence: 02:30 that night is 02:30 CEST, when the clocks first show it.
 */
export function wallInstant(zone: string, year: number, month: number, day: number, wallMs: number): Instant {
  const asUtc = Date.UTC(year, month - 1, day) + wallMs;
  const offset = (t: Instant) => offsetMs(zone, t);
  // Offsets a day either side: equal except across a transition.
  const offsets = [...new Set([offset(asUtc - 26 * HOUR), offset(asUtc + 26 * HOUR)])];
  const candidates = offsets.map((o) => asUtc - o);
  const exact = candidates.filter((t, i) => offset(t) === offsets[i]);
  if (exact.length > 0) return Math.min(...exact);
  // In the gap: the transition lies between the candidates; find it to the millisecond.
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  const after = offset(hi);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offset(mid) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The instant of a wall time given as wall ms (a gap's end, a repeated hour's first pass). */
export function fromWall(zone: string, wall: number): Instant {
  const day = Math.floor(wall / DAY_MS) * DAY_MS;
  const d = new Date(day);
  return wallInstant(zone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), wall - day);
}

/** Midnight (as wall ms) of the local day an instant falls on. */
export function localDay(zone: string, t: Instant): number {
  return Math.floor(toWall(zone, t) / DAY_MS) * DAY_MS;
}

/** `2026-11-23` for a wall ms. */
export const isoDate = (wall: number): string => new Date(wall).toISOString().slice(0, 10);

/** 1 = Monday … 7 = Sunday, for a wall ms (ISO weekday numbers). */
export const isoWeekday = (wall: number): number => ((new Date(wall).getUTCDay() + 6) % 7) + 1;

/** The local year an instant falls in. */
export const localYear = (zone: string, t: Instant): number => new Date(toWall(zone, t)).getUTCFullYear();

/** `2026-11`: the local month an instant falls in. */
export const localMonth = (zone: string, t: Instant): string => isoDate(toWall(zone, t)).slice(0, 7);

/** The month `n` months from `2026-11` (`n` may be negative). */
function monthsFrom(month: string, n: number): string {
  const [year, m] = parseMonth(month);
  return new Date(Date.UTC(year, m - 1 + n, 1)).toISOString().slice(0, 7);
}

/** The month before `2026-11`: `2026-10`. */
export const monthBefore = (month: string): string => monthsFrom(month, -1);

/** The month after `2026-12`: `2027-01`. */
export const monthAfter = (month: string): string => monthsFrom(month, 1);

/** `2026-11` in a zone: from 1 Nov 00:00 local to 1 Dec 00:00 local. */
export function monthSpan(month: string, zone: string): { start: Instant; end: Instant } {
  const first = (of: string) => {
    const [year, m] = parseMonth(of);
    return wallInstant(zone, year, m, 1, 0);
  };
  return { start: first(month), end: first(monthAfter(month)) };
}

/** `November 2026` for `2026-11`. */
export function monthName(month: string): string {
  const [year, m] = parseMonth(month);
  return `${MONTH_NAMES[m - 1]} ${year}`;
}

function parseMonth(month: string): [number, number] {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new RangeError(`not a month: ${month}`);
  return [Number(match[1]), Number(match[2])];
}

const OFFSET_NAME = /^GMT[+-]/;
const shortName = (locale: string, zone: string, t: Instant) =>
  new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(new Date(t))
    .find((p) => p.type === 'timeZoneName')!.value;

/**
 * The zone's abbreviation at an instant as people there write it: `CET`, `CEST`, `EST`, `BST`,
 * `UTC`; the offset (`GMT+9`) where the zone has no name in English.
 */
export function zoneAbbreviation(zone: string, t: Instant): string {
  const american = shortName('en-US', zone, t);
  if (!OFFSET_NAME.test(american)) return american;
  const british = shortName('en-GB', zone, t);
  return OFFSET_NAME.test(british) ? american : british;
}

/** `Mon 23 Nov 2026 13:00:05 <zone>`, the year and the seconds where asked for. */
function format(
  t: Instant,
  zone: string,
  parts: { year: boolean; seconds: boolean; zoneName: string },
): string {
  const d = new Date(toWall(zone, t));
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${WEEKDAY_NAMES[d.getUTCDay()]} ${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]!.slice(0, 3)}`;
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${parts.seconds ? `:${two(d.getUTCSeconds())}` : ''}`;
  return `${date}${parts.year ? ` ${d.getUTCFullYear()}` : ''} ${time} ${parts.zoneName}`;
}

/** `Mon 2 Nov 08:30 CET`: an instant of a month's report, in the plan's zone. */
export const formatReportTime = (t: Instant, zone: string): string =>
  format(t, zone, { year: false, seconds: false, zoneName: zoneAbbreviation(zone, t) });

/**
 * `Mon 23 Nov 2026 13:00 CET` (with seconds: `13:00:05`): an instant as a person in the zone
 * reads it, the zone named as everywhere (zoneAbbreviation: mails, explain, report, pages).
 */
export const formatLocal = (t: Instant, zone: string, options: { seconds?: boolean } = {}): string =>
  format(t, zone, { year: true, seconds: options.seconds ?? false, zoneName: zoneAbbreviation(zone, t) });
