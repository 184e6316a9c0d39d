// Business-hours calendars: when a support desk is open, and business-time arithmetic over it.
// A calendar compiles, one local year at a time, into sorted UTC open intervals with a running
// sum of open time; add() and elapsed() are then binary searches (interval arithmetic like
// zendesk/biz, precomputed). Every interval edge is converted from wall time with the zone's
// rules (zone.ts), so DST weeks are exact; times are epoch milliseconds.

import type { BusinessDuration } from './duration';
import { HolidayDataEnds } from './errors';
import {
  DayHours,
  MON_FRI,
  minuteOfDay,
  OpeningHours,
  TimeOfDay,
  WEEKDAYS,
  type Weekday,
} from './opening-hours';
import * as z from './zod';
import {
  fromWall,
  isoDate,
  isoWeekday,
  isTimeZone,
  localDay,
  localYear,
  offsetMs,
  toWall,
  wallInstant,
} from './zone';

export { DayHours, OpeningHours, WEEKDAYS, type Weekday, wallInstant };

/** Milliseconds since 1970-01-01T00:00:00Z. The domain never reads the clock itself. */
export type Instant = number;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY_MS = 24 * HOUR;
const DAY_MINUTES = 24 * 60;

/** Holidays one calendar lists, at most (a region gives ~15 a year; the plan keeps 7 years). */
export const MAX_HOLIDAYS = 1000;

export const Holiday = z
  .object({
    date: z.iso.date(),
    name: z.string().check(z.minLength(1), z.maxLength(100)),
    /** Closed only from..to local time (a partial day such as Christmas Eve afternoon). */
    from: z.optional(TimeOfDay),
    to: z.optional(TimeOfDay),
  })
  .check(
    z.superRefine((h, ctx) => {
      if ((h.from === undefined) !== (h.to === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'a partial holiday needs both from and to' });
      } else if (h.from !== undefined && minuteOfDay(h.from) >= minuteOfDay(h.to!)) {
        ctx.addIssue({ code: 'custom', message: 'a partial holiday must end after it starts' });
      }
    }),
  );
export type Holiday = z.infer<typeof Holiday>;

export const CalendarSchema = z
  .object({
    name: z.string().check(z.minLength(1), z.maxLength(200)),
    timeZone: z.string().check(z.refine(isTimeZone, 'expected an IANA time zone such as Europe/Stockholm')),
    weekly: z.object({
      mon: DayHours,
      tue: DayHours,
      wed: DayHours,
      thu: DayHours,
      fri: DayHours,
      sat: DayHours,
      sun: DayHours,
    }),
    holidays: z._default(z.array(Holiday).check(z.maxLength(MAX_HOLIDAYS)), []),
    /**
     * The date-holidays region (ISO 3166 country, optionally -state: SE, AT, FR, US-CA) whose
     * public holidays are expanded into `holidays` when the plan is created (holidays.ts).
     */
    holidayRegion: z.optional(
      z
        .string()
        .check(z.regex(/^[A-Z]{2}(?:-[A-Za-z0-9]+){0,2}$/, 'expected a region such as SE, AT or US-CA')),
    ),
    /** The years `holidays` holds the region's holidays for: set when they are expanded, never by a caller. */
    holidayYears: z
      .optional(
        z.object({
          from: z.number().check(z.int(), z.gte(1970), z.lte(2200)),
          to: z.number().check(z.int(), z.gte(1970), z.lte(2200)),
        }),
      )
      .check(z.meta({ readOnly: true })),
  })
  .check(
    z.refine((c) => WEEKDAYS.some((d) => c.weekly[d].length > 0), {
      message: 'a calendar must be open at some time of the week',
      path: ['weekly'],
    }),
  );
export type Calendar = z.infer<typeof CalendarSchema>;
export type CalendarInput = z.input<typeof CalendarSchema>;

/** A stretch of time as an explanation shows it. */
export interface CalendarSegment {
  from: Instant;
  to: Instant;
  kind: 'open' | 'closed' | 'holiday';
  holiday?: string;
}

type MinuteRange = readonly [number, number];

/**
 * Compiled local years firstYear..lastYear: open intervals [starts[i], ends[i]) and the open
 * time before each, before[i]; [coverStart, coverEnd) is the UTC span those years cover.
 */
interface Span {
  starts: Float64Array;
  ends: Float64Array;
  before: Float64Array;
  count: number;
  firstYear: number;
  lastYear: number;
  coverStart: number;
  coverEnd: number;
}

function emptySpan(): Span {
  const none = new Float64Array(0);
  return {
    starts: none,
    ends: none,
    before: none,
    count: 0,
    firstYear: 0,
    lastYear: -1,
    coverStart: Number.POSITIVE_INFINITY,
    coverEnd: Number.NEGATIVE_INFINITY,
  };
}
interface Closure {
  range: MinuteRange;
  name: string;
}

// Years before this are refused: tickets, incidents and reports never need them, and a bound
// keeps a typo (year 20026) from compiling thousands of years.
const FIRST_YEAR = 1970;
const LAST_YEAR = 2200;
// A calendar whose holidays close a whole year this many times over has no usable open time.
const MAX_EMPTY_YEARS = 3;
// An instant this many years away from what is compiled starts a fresh span instead of
// compiling every year in between; a few spans stay compiled, so that calls alternating
// between far-apart years (a report of 2026 beside a ticket of 2031) never recompile.
const REUSE_GAP_YEARS = 5;
const KEPT_SPANS = 4;

export class CalendarNeverOpen extends Error {
  constructor(name: string, after: Instant) {
    super(`calendar ${name} has no open time after ${new Date(after).toISOString()}`);
    this.name = 'CalendarNeverOpen';
  }
}

/** A calendar stored before its holiday years were recorded holds them through the years it lists. */
function listedYears(definition: Calendar): { from: number; to: number } | null {
  const years = definition.holidays.map((h) => Number(h.date.slice(0, 4)));
  return years.length ? { from: Math.min(...years), to: Math.max(...years) } : null;
}

export class BusinessCalendar {
  readonly definition: Calendar;
  readonly zone: string;
  // Index 1..7 as ISO weekdays (1 = Monday).
  private readonly weekly: MinuteRange[][];
  private readonly closures = new Map<string, Closure[]>();

  // The span add() and elapsed() work on; spans compiled earlier wait in `recent`.
  private span: Span = emptySpan();
  private readonly recent: Span[] = [];
  /** How many local years this calendar has compiled (tests watch it). */
  yearsCompiled = 0;
  /** The years the region's holidays are known for; null without a region (nothing to run out of). */
  private readonly regionYears: { from: number; to: number } | null;

  constructor(definition: Calendar) {
    this.definition = definition;
    this.zone = definition.timeZone;
    this.weekly = [[], ...WEEKDAYS.map((d) => definition.weekly[d].map(toRange).sort((a, b) => a[0] - b[0]))];
    this.regionYears = definition.holidayRegion ? (definition.holidayYears ?? listedYears(definition)) : null;
    for (const holiday of definition.holidays) {
      const range: MinuteRange =
        holiday.from === undefined ? [0, DAY_MINUTES] : [minuteOfDay(holiday.from), minuteOfDay(holiday.to!)];
      const list = this.closures.get(holiday.date) ?? [];
      list.push({ range, name: holiday.name });
      this.closures.set(holiday.date, list);
    }
  }

  /** The instant `duration` of open time after `start` (at a closing edge when it ends one). */
  add(start: Instant, businessMs: number): Instant {
    if (!(businessMs >= 0)) throw new RangeError(`business time must be >= 0, got ${businessMs}`);
    if (businessMs === 0) return start;
    this.cover(start);
    const target = this.businessAt(start) + businessMs;
    let empty = 0;
    while (target > this.totalBusiness()) {
      const had = this.totalBusiness();
      this.appendYear();
      empty = this.totalBusiness() === had ? empty + 1 : 0;
      if (empty >= MAX_EMPTY_YEARS) throw new CalendarNeverOpen(this.definition.name, start);
    }
    const j = lastIndexBelow(this.span.before, this.span.count, target);
    return this.span.starts[j]! + (target - this.span.before[j]!);
  }

  /** Open time between two instants, in milliseconds (negative when `to` is before `from`). */
  elapsed(from: Instant, to: Instant): number {
    this.cover(from, to);
    return this.businessAt(to) - this.businessAt(from);
  }

  isOpen(t: Instant): boolean {
    this.cover(t);
    const i = lastIndexAtOrBelow(this.span.starts, this.span.count, t);
    return i >= 0 && t < this.span.ends[i]!;
  }

  /** `t` itself when open, else the next opening. */
  nextOpen(t: Instant): Instant {
    this.cover(t);
    let empty = 0;
    for (;;) {
      const i = lastIndexAtOrBelow(this.span.ends, this.span.count, t) + 1;
      if (i < this.span.count) return Math.max(t, this.span.starts[i]!);
      const had = this.span.count;
      this.appendYear();
      empty = this.span.count === had ? empty + 1 : 0;
      if (empty >= MAX_EMPTY_YEARS) throw new CalendarNeverOpen(this.definition.name, t);
    }
  }

  /**
   * `n` business days after `start`: the clock starts at nextOpen(start); the deadline is the
   * same wall-clock time of day on the n-th following day that has any open time. Where that
   * day's hours differ, the time is clamped into them: before its opening → its opening, in a
   * break → the end of the break, after its close → its close. So a ticket at Tue 10:42 is due
   * Wed 10:42, one on Saturday is due Tuesday at opening, one at Thu 15:00 before a Friday
   * that closes at 12:00 is due Friday 12:00.
   */
  addBusinessDays(start: Instant, n: number): Instant {
    const open = this.nextOpen(start);
    if (n === 0) return open;
    // Wall-clock minute of the day (not time since midnight, which a DST day shifts by an hour).
    let day = localDay(this.zone, open);
    const wallMinute = (toWall(this.zone, open) - day) / MINUTE;
    for (let found = 0, scanned = 0; found < n; scanned++) {
      if (scanned > 366 * MAX_EMPTY_YEARS) throw new CalendarNeverOpen(this.definition.name, start);
      day += DAY_MS;
      if (this.openMinutes(day).length > 0) found++;
    }
    const hours = this.openMinutes(day);
    for (const [from, to] of hours) {
      if (wallMinute < from) return this.localInstant(day, from);
      if (wallMinute < to) return this.localInstant(day, wallMinute);
    }
    return this.localInstant(day, hours[hours.length - 1]![1]);
  }

  /** How much open time a target duration is when its clock starts at `start`. */
  businessMs(start: Instant, duration: BusinessDuration): number {
    const days = duration.days === 0 ? 0 : this.elapsed(start, this.addBusinessDays(start, duration.days));
    return days + duration.ms;
  }

  /** The stretches of open, closed and holiday time between two instants, for explanations. */
  segments(from: Instant, to: Instant): CalendarSegment[] {
    this.cover(from, to);
    const out: CalendarSegment[] = [];
    let i = lastIndexAtOrBelow(this.span.ends, this.span.count, from) + 1;
    let cursor = from;
    while (cursor < to) {
      if (i < this.span.count && this.span.starts[i]! <= cursor) {
        const end = Math.min(this.span.ends[i]!, to);
        out.push({ from: cursor, to: end, kind: 'open' });
        cursor = end;
        i++;
      } else {
        const end = Math.min(i < this.span.count ? this.span.starts[i]! : to, to);
        out.push(...this.closedSegments(cursor, end));
        cursor = end;
      }
    }
    return out;
  }

  /** "Mon-Fri 08:00-18:00, Europe/Stockholm, holidays: SE" */
  describe(): string {
    const groups: string[] = [];
    let runStart = 0;
    for (let d = 0; d < 7; d++) {
      const text = this.dayText(d);
      if (d === 6 || this.dayText(d + 1) !== text) {
        if (text) {
          const days = runStart === d ? label(runStart) : `${label(runStart)}-${label(d)}`;
          groups.push(`${days} ${text}`);
        }
        runStart = d + 1;
      }
    }
    const region = this.definition.holidayRegion;
    const source = region ? `, ${region} public holidays` : '';
    return `${groups.join(', ')} (${this.zone}${source})`;
  }

  private dayText(d: number): string {
    return this.weekly[d + 1]!.map(([a, b]) => `${hhmm(a)}-${hhmm(b)}`).join(' ');
  }

  private closedSegments(from: Instant, to: Instant): CalendarSegment[] {
    // Closed time is a holiday where the weekly hours would have been open that day.
    const holidays: CalendarSegment[] = [];
    for (let day = localDay(this.zone, from); fromWall(this.zone, day) < to; day += DAY_MS) {
      for (const { range, name } of this.closures.get(isoDate(day)) ?? []) {
        for (const open of this.weekly[isoWeekday(day)]!) {
          const a = Math.max(open[0], range[0]);
          const b = Math.min(open[1], range[1]);
          if (a >= b) continue;
          const start = Math.max(this.localInstant(day, a), from);
          const end = Math.min(this.localInstant(day, b), to);
          if (start < end) holidays.push({ from: start, to: end, kind: 'holiday', holiday: name });
        }
      }
    }
    holidays.sort((a, b) => a.from - b.from);
    const out: CalendarSegment[] = [];
    let cursor = from;
    for (const h of holidays) {
      if (h.from > cursor) out.push({ from: cursor, to: h.from, kind: 'closed' });
      out.push(h);
      cursor = h.to;
    }
    if (cursor < to) out.push({ from: cursor, to, kind: 'closed' });
    return out;
  }

  /** Open minute ranges of one local day (its midnight as wall ms): weekly hours less its closures. */
  private openMinutes(day: number): MinuteRange[] {
    return this.openMinutesOf(isoWeekday(day), isoDate(day));
  }

  /** The same by weekday (1 = Monday) and ISO date. */
  private openMinutesOf(weekday: number, isoDate: string): MinuteRange[] {
    const weekly = this.weekly[weekday]!;
    const closed = this.closures.get(isoDate);
    if (!closed) return weekly;
    let open: MinuteRange[] = weekly;
    for (const { range } of closed) open = subtract(open, range);
    return open;
  }

  /** The instant of a wall-clock minute (fractions allowed; 24:00 is the next midnight) of a local day. */
  private localInstant(day: number, minute: number): Instant {
    return fromWall(this.zone, day + minute * MINUTE);
  }

  private businessAt(t: Instant): number {
    const i = lastIndexAtOrBelow(this.span.starts, this.span.count, t);
    if (i < 0) return 0;
    return (
      this.span.before[i]! + Math.min(t - this.span.starts[i]!, this.span.ends[i]! - this.span.starts[i]!)
    );
  }

  private totalBusiness(): number {
    const last = this.span.count - 1;
    return last < 0 ? 0 : this.span.before[last]! + this.span.ends[last]! - this.span.starts[last]!;
  }

  /**
   * Makes the current span cover [min(a, b), max(a, b)]: the current one, a kept one near
   * enough, or a fresh one (the least recently used is dropped when KEPT_SPANS are kept).
   */
  private cover(a: Instant, b: Instant = a): void {
    const from = Math.min(a, b);
    const to = Math.max(a, b);
    if (from >= this.span.coverStart && to < this.span.coverEnd) return;
    const first = this.yearOf(from);
    const last = this.yearOf(to);
    const near = (s: Span) =>
      s.lastYear >= s.firstYear &&
      first <= s.lastYear + REUSE_GAP_YEARS &&
      last >= s.firstYear - REUSE_GAP_YEARS;
    if (!near(this.span)) {
      const kept = this.recent.findIndex(near);
      if (this.span.lastYear >= this.span.firstYear) this.recent.unshift(this.span);
      if (kept >= 0) {
        this.span = this.recent.splice(kept + 1, 1)[0]!;
      } else {
        this.span = emptySpan();
        this.span.firstYear = first;
        this.span.lastYear = first - 1;
        this.span.coverStart = this.yearStart(first);
        this.span.coverEnd = this.span.coverStart;
      }
      this.recent.length = Math.min(this.recent.length, KEPT_SPANS - 1);
    }
    while (from < this.span.coverStart) this.prependYear();
    while (to >= this.span.coverEnd) this.appendYear();
  }

  private yearOf(t: Instant): number {
    if (!Number.isFinite(t)) throw new RangeError(`not an instant: ${t}`);
    const year = localYear(this.zone, t);
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      throw new RangeError(
        `calendar ${this.definition.name}: year ${year} is outside ${FIRST_YEAR}-${LAST_YEAR}`,
      );
    }
    return year;
  }

  private yearStart(year: number): Instant {
    if (year < FIRST_YEAR || year > LAST_YEAR) {
      throw new RangeError(
        `calendar ${this.definition.name}: year ${year} is outside ${FIRST_YEAR}-${LAST_YEAR}`,
      );
    }
    return wallInstant(this.zone, year, 1, 1, 0);
  }

  private compileYear(year: number): [number[], number[]] {
    this.refuseUnknownHolidays(year);
    this.yearsCompiled++;
    const starts: number[] = [];
    const ends: number[] = [];
    // Plain UTC date arithmetic per day and the year's offset transitions found once; only a
    // day with a transition in it goes through wallInstant's careful path.
    const offsets = this.offsetsOf(year);
    for (let date = Date.UTC(year, 0, 1); new Date(date).getUTCFullYear() === year; date += DAY_MS) {
      const utc = new Date(date);
      const open = this.openMinutesOf(((utc.getUTCDay() + 6) % 7) + 1, utc.toISOString().slice(0, 10));
      if (open.length === 0) continue;
      const before = offsets(date - 14 * HOUR);
      const steady = before === offsets(date + DAY_MS + 14 * HOUR);
      const instant = (minute: number) =>
        steady
          ? date + minute * MINUTE - before
          : wallInstant(this.zone, year, utc.getUTCMonth() + 1, utc.getUTCDate(), minute * MINUTE);
      for (const [from, to] of open) {
        const start = instant(from);
        const end = instant(to);
        if (end <= start) continue; // an interval that falls wholly inside a DST gap
        if (ends.length > 0 && ends[ends.length - 1] === start) ends[ends.length - 1] = end;
        else {
          starts.push(start);
          ends.push(end);
        }
      }
    }
    return [starts, ends];
  }

  /**
   * The zone's UTC offset (ms) at any instant of a year, ±2 days: sampled weekly, each change
   * pinned to the millisecond by bisection, so a year costs ~60 zone lookups instead of ~700.
   */
  private offsetsOf(year: number): (t: Instant) => number {
    const offset = (t: Instant) => offsetMs(this.zone, t);
    const changes: { at: Instant; offset: number }[] = [];
    const end = Date.UTC(year + 1, 0, 3);
    let t = Date.UTC(year, 0, 1) - 2 * DAY_MS;
    const first = offset(t);
    for (let current = first; t < end; ) {
      const next = Math.min(t + 7 * DAY_MS, end);
      const there = offset(next);
      if (there !== current) {
        let lo = t;
        let hi = next;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (offset(mid) === there) hi = mid;
          else lo = mid;
        }
        changes.push({ at: hi, offset: there });
        current = there;
      }
      t = next;
    }
    return (at) => {
      let found = first;
      for (const change of changes) if (at >= change.at) found = change.offset;
      return found;
    };
  }

  /**
   * A year the region's holidays were not expanded for would count its holidays as open time:
   * refused (HolidayDataEnds, a 503) instead. A calendar stored before the years were recorded
   * holds its region's holidays through the last year it lists.
   */
  private refuseUnknownHolidays(year: number): void {
    const years = this.regionYears;
    if (years && (year < years.from || year > years.to))
      throw new HolidayDataEnds(this.definition.holidayRegion!, years, { from: year, to: year });
  }

  private appendYear(): void {
    const year = this.span.lastYear + 1;
    const end = this.yearStart(year + 1);
    const [s, e] = this.compileYear(year);
    this.rebuild(
      [...this.span.starts.subarray(0, this.span.count), ...s],
      [...this.span.ends.subarray(0, this.span.count), ...e],
    );
    this.span.lastYear = year;
    this.span.coverEnd = end;
  }

  private prependYear(): void {
    const year = this.span.firstYear - 1;
    const start = this.yearStart(year);
    const [s, e] = this.compileYear(year);
    this.rebuild(
      [...s, ...this.span.starts.subarray(0, this.span.count)],
      [...e, ...this.span.ends.subarray(0, this.span.count)],
    );
    this.span.firstYear = year;
    this.span.coverStart = start;
  }

  private rebuild(starts: number[], ends: number[]): void {
    // Merge intervals that touch across a year boundary (24/7 calendars become one interval).
    const s: number[] = [];
    const e: number[] = [];
    for (let i = 0; i < starts.length; i++) {
      if (e.length > 0 && e[e.length - 1] === starts[i]) e[e.length - 1] = ends[i]!;
      else {
        s.push(starts[i]!);
        e.push(ends[i]!);
      }
    }
    this.span.count = s.length;
    this.span.starts = Float64Array.from(s);
    this.span.ends = Float64Array.from(e);
    this.span.before = new Float64Array(s.length);
    for (let i = 1; i < s.length; i++) this.span.before[i] = this.span.before[i - 1]! + e[i - 1]! - s[i - 1]!;
  }
}

function toRange(h: OpeningHours): MinuteRange {
  return [minuteOfDay(h.from), minuteOfDay(h.to)];
}

function subtract(open: readonly MinuteRange[], [a, b]: MinuteRange): MinuteRange[] {
  const out: MinuteRange[] = [];
  for (const [from, to] of open) {
    if (b <= from || a >= to) out.push([from, to]);
    else {
      if (from < a) out.push([from, a]);
      if (b < to) out.push([b, to]);
    }
  }
  return out;
}

/** Largest i < count with values[i] <= x, or -1. */
function lastIndexAtOrBelow(values: Float64Array, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Largest i < count with values[i] < x, or -1. */
function lastIndexBelow(values: Float64Array, count: number, x: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

function label(dayIndex: number): string {
  const name = WEEKDAYS[dayIndex]!;
  return name[0]!.toUpperCase() + name.slice(1);
}

// Compiled calendars are reused across tickets of the same plan (and across warm Lambda calls).
const compiled = new WeakMap<Calendar, BusinessCalendar>();
const byContent = new Map<string, BusinessCalendar>();
const MAX_CACHED = 200;

/** The compiled calendar for a definition, cached by identity and by content. */
export function businessCalendar(definition: Calendar): BusinessCalendar {
  const known = compiled.get(definition);
  if (known) return known;
  const key = JSON.stringify(definition);
  let calendar = byContent.get(key);
  if (!calendar) {
    if (byContent.size >= MAX_CACHED) byContent.delete(byContent.keys().next().value!);
    calendar = new BusinessCalendar(definition);
    byContent.set(key, calendar);
  }
  compiled.set(definition, calendar);
  return calendar;
}

/** Weekly hours builders used by presets: `weekly(['mon','fri'], '08:00', '18:00')`. */
export function weeklyHours(
  days: readonly Weekday[],
  from: string,
  to: string,
): Record<Weekday, { from: string; to: string }[]> {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, days.includes(d) ? [{ from, to }] : []])) as Record<
    Weekday,
    { from: string; to: string }[]
  >;
}

export { MON_FRI };
export const MON_SUN: readonly Weekday[] = WEEKDAYS;
