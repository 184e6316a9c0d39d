// Properties of business-time arithmetic, over calendars with breaks, holidays, 24/7 days and
// DST weeks; plus a naive minute-stepping oracle that knows nothing of the interval tables.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  BusinessCalendar,
  type Calendar,
  CalendarSchema,
  MON_FRI,
  WEEKDAYS,
  weeklyHours,
} from '../../domain/calendar';
import { stockholmOffice } from '../fixtures/calendars';
import { MINUTE } from '../support';

const calendars: Record<string, Calendar> = {
  'Stockholm 08-18 Mon-Fri, 10 holidays': stockholmOffice,
  'Stockholm with a partial holiday': {
    ...stockholmOffice,
    holidays: [{ date: '2026-12-24', name: 'julafton', from: '12:00', to: '24:00' }],
  },
  'New York with a lunch break and a short Saturday': CalendarSchema.parse({
    name: 'split',
    timeZone: 'America/New_York',
    weekly: {
      ...weeklyHours(MON_FRI, '09:00', '12:00'),
      mon: [
        { from: '09:00', to: '12:00' },
        { from: '13:00', to: '17:30' },
      ],
      wed: [
        { from: '00:00', to: '02:30' },
        { from: '13:00', to: '24:00' },
      ],
      sat: [{ from: '10:00', to: '14:00' }],
    },
    holidays: [{ date: '2026-11-26', name: 'Thanksgiving' }],
  }),
  'Stockholm 24/7': CalendarSchema.parse({
    name: 'always',
    timeZone: 'Europe/Stockholm',
    weekly: weeklyHours(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], '00:00', '24:00'),
  }),
};

// Starts across 2026, including both DST weekends; whole seconds.
const instant = fc
  .integer({ min: Date.parse('2026-01-01T00:00:00Z') / 1000, max: Date.parse('2027-01-01T00:00:00Z') / 1000 })
  .map((s) => s * 1000);
const dstWeek = fc
  .constantFrom(
    '2026-03-27T00:00:00Z',
    '2026-10-23T00:00:00Z',
    '2026-03-06T00:00:00Z',
    '2026-11-01T00:00:00Z',
  )
  .chain((base) => fc.integer({ min: 0, max: 4 * 24 * 3600 }).map((s) => Date.parse(base) + s * 1000));
const start = fc.oneof(instant, dstWeek);
const businessTime = fc.integer({ min: 0, max: 200 * 3600 }).map((s) => s * 1000);

describe.each(Object.entries(calendars))('%s', (_name, definition) => {
  const cal = new BusinessCalendar(definition);

  it('counts back exactly what it added: elapsed(s, add(s, d)) == d', () => {
    fc.assert(fc.property(start, businessTime, (s, d) => cal.elapsed(s, cal.add(s, d)) === d));
  });

  it('never moves a deadline earlier for a later start', () => {
    fc.assert(
      fc.property(
        start,
        start,
        businessTime,
        (a, b, d) => cal.add(Math.min(a, b), d) <= cal.add(Math.max(a, b), d),
      ),
    );
  });

  it('never moves a deadline earlier for a longer target', () => {
    fc.assert(
      fc.property(
        start,
        businessTime,
        businessTime,
        (s, a, b) => cal.add(s, Math.min(a, b)) <= cal.add(s, Math.max(a, b)),
      ),
    );
  });

  it('adds in steps as in one go: add(add(s, a), b) == add(s, a + b)', () => {
    fc.assert(
      fc.property(
        start,
        businessTime,
        businessTime,
        (s, a, b) => cal.add(cal.add(s, a), b) === cal.add(s, a + b),
      ),
    );
  });

  it('lands inside open hours or exactly at a closing edge', () => {
    // The last millisecond before the deadline is open time: the deadline is in open hours
    // or at the instant they close, never in the middle of a night or at an opening edge.
    fc.assert(
      fc.property(
        start,
        businessTime.filter((d) => d > 0),
        (s, d) => cal.isOpen(cal.add(s, d) - 1),
      ),
    );
  });

  it('never counts closed time: elapsed over a closed stretch is zero', () => {
    fc.assert(
      fc.property(start, (s) => {
        const open = cal.nextOpen(s);
        return cal.elapsed(s, open) === 0 && (s === open || !cal.isOpen(s));
      }),
    );
  });

  it('splits elapsed time additively at any midpoint', () => {
    fc.assert(
      fc.property(start, start, start, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        return cal.elapsed(a, c) === cal.elapsed(a, b) + cal.elapsed(b, c);
      }),
    );
  });

  it('is antisymmetric on fresh calendars whatever they compiled first: elapsed(a, b) == -elapsed(b, a)', () => {
    const years = fc
      .integer({
        min: Date.parse('2024-01-01T00:00:00Z') / 1000,
        max: Date.parse('2029-01-01T00:00:00Z') / 1000,
      })
      .map((s) => s * 1000);
    fc.assert(
      fc.property(years, years, years, (warm, a, b) => {
        const one = new BusinessCalendar(definition);
        const two = new BusinessCalendar(definition);
        one.isOpen(warm);
        two.isOpen(warm);
        return one.elapsed(a, b) === -two.elapsed(b, a);
      }),
      { numRuns: 25 },
    );
  });

  it('agrees with a minute-by-minute walk of the wall clock', () => {
    const oracle = naiveOracle(definition);
    const minuteStart = fc.oneof(instant, dstWeek).map((t) => Math.floor(t / MINUTE) * MINUTE);
    const minutes = fc.integer({ min: 1, max: 14 * 60 });
    fc.assert(
      fc.property(minuteStart, minutes, (s, m) => {
        expect(cal.add(s, m * MINUTE)).toBe(oracle.add(s, m));
        expect(cal.elapsed(s, s + m * 7 * MINUTE)).toBe(oracle.elapsed(s, s + m * 7 * MINUTE));
      }),
      { numRuns: 40 },
    );
  });
});

/** Counts open minutes one by one, asking luxon for each minute's weekday and wall time. */
function naiveOracle(definition: Calendar) {
  const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const openAt = (t: number) => {
    const local = DateTime.fromMillis(t, { zone: definition.timeZone });
    const minute = local.hour * 60 + local.minute;
    const date = local.toISODate();
    for (const h of definition.holidays) {
      if (h.date !== date) continue;
      if (h.from === undefined || (minute >= toMinute(h.from) && minute < toMinute(h.to!))) return false;
    }
    return definition.weekly[WEEKDAYS[local.weekday - 1]!].some(
      (o) => minute >= toMinute(o.from) && minute < toMinute(o.to),
    );
  };
  return {
    add(s: number, minutes: number): number {
      let t = s;
      for (let left = minutes; left > 0; t += MINUTE) if (openAt(t)) left--;
      // t is one minute past the last counted minute's start: the end of that minute.
      return t;
    },
    elapsed(from: number, to: number): number {
      let sum = 0;
      for (let t = from; t < to; t += MINUTE) if (openAt(t)) sum += MINUTE;
      return sum;
    },
  };
}

it('rejects a negative business time and a calendar that is never open', () => {
  const cal = new BusinessCalendar(Object.values(calendars)[0]!);
  expect(() => cal.add(0, -1)).toThrow(RangeError);
  expect(() =>
    CalendarSchema.parse({ name: 'never', timeZone: 'UTC', weekly: weeklyHours([], '08:00', '18:00') }),
  ).toThrow(/open at some time/);
});
