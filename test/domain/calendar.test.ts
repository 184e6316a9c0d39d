import { describe, expect, it } from 'vitest';
import { BusinessCalendar, CalendarSchema, MON_FRI, MON_SUN, weeklyHours } from '../../domain/calendar';
import { at, HOUR, wall } from '../support';

const zone = 'Europe/Stockholm';
const office = new BusinessCalendar(
  CalendarSchema.parse({
    name: 'office',
    timeZone: zone,
    weekly: {
      ...weeklyHours(MON_FRI, '08:00', '18:00'),
      tue: [
        { from: '08:00', to: '12:00' },
        { from: '13:00', to: '18:00' },
      ],
      fri: [{ from: '08:00', to: '12:00' }],
    },
    holidays: [
      { date: '2026-12-24', name: 'julafton', from: '12:00', to: '24:00' },
      { date: '2026-12-25', name: 'juldagen' },
    ],
  }),
);

describe('business days (PnD)', () => {
  it.each([
    ['2026-11-23 10:42', 1, '2026-11-24 10:42 +01:00', 'same wall time the next day'],
    ['2026-11-23 12:30', 1, '2026-11-24 13:00 +01:00', 'Mon 12:30 → Tue lunch break → after the break'],
    ['2026-11-26 15:00', 1, '2026-11-27 12:00 +01:00', 'Thu 15:00 → Friday closes at 12:00'],
    ['2026-11-28 11:00', 1, '2026-12-01 08:00 +01:00', 'Saturday starts Monday 08:00, due Tuesday 08:00'],
    ['2026-11-27 07:00', 2, '2026-12-01 08:00 +01:00', 'before hours on Friday'],
    ['2026-12-23 15:00', 1, '2026-12-24 12:00 +01:00', 'julafton is open until 12:00: clamped to its close'],
    ['2026-12-24 10:00', 1, '2026-12-28 10:00 +01:00', 'juldagen and the weekend are not open days'],
    ['2026-11-23 18:00', 0, '2026-11-24 08:00 +01:00', 'P0D is the next opening'],
  ])('from %s, %i day(s) is %s (%s)', (start, days, due) => {
    expect(wall(office.addBusinessDays(at(start, zone), days), zone)).toBe(due);
  });

  it('counts a day target as the open time up to the same time on the next open day', () => {
    const start = at('2026-11-23 10:00', zone); // Mon
    expect(office.businessMs(start, { days: 1, ms: 0 })).toBe(8 * HOUR + 2 * HOUR); // 10-18 Mon, 08-10 Tue
    expect(office.businessMs(start, { days: 1, ms: 2 * HOUR })).toBe(12 * HOUR);
  });
});

describe('open and next open', () => {
  it('treats hours as [from, to): open at the opening minute, closed at the closing one', () => {
    expect(office.isOpen(at('2026-11-23 08:00', zone))).toBe(true);
    expect(office.isOpen(at('2026-11-23 18:00', zone))).toBe(false);
    expect(office.isOpen(at('2026-11-24 12:30', zone))).toBe(false);
    expect(office.isOpen(at('2026-12-24 11:59', zone))).toBe(true);
    expect(office.isOpen(at('2026-12-24 12:00', zone))).toBe(false);
  });

  it('finds the next opening across a holiday and a weekend', () => {
    expect(wall(office.nextOpen(at('2026-12-24 13:00', zone)), zone)).toBe('2026-12-28 08:00 +01:00');
    expect(wall(office.nextOpen(at('2026-11-24 10:00', zone)), zone)).toBe('2026-11-24 10:00 +01:00');
  });

  it('compiles further years on demand, backwards and forwards', () => {
    const cal = new BusinessCalendar(office.definition);
    const late = at('2031-06-02 09:00', zone);
    const early = at('2024-06-03 09:00', zone);
    expect(cal.elapsed(early, early + HOUR)).toBe(HOUR);
    expect(cal.add(late, HOUR)).toBe(late + HOUR);
    expect(cal.elapsed(early, late)).toBeGreaterThan(6 * 2400 * HOUR * 0.8);
  });

  it('counts backwards the same whatever it compiled before: elapsed(a, b) == -elapsed(b, a)', () => {
    const later = at('2026-01-01 13:50', zone) + 34_000;
    const earlier = at('2025-11-25 06:43', zone) + 49_000;
    const warm = new BusinessCalendar(office.definition);
    warm.isOpen(later); // 2026 compiled first, 2025 not yet
    expect(warm.elapsed(later, earlier)).toBe(
      -new BusinessCalendar(office.definition).elapsed(earlier, later),
    );
    expect(warm.elapsed(later, earlier)).toBeLessThan(-200 * HOUR);
  });

  it('keeps far-apart years compiled instead of recompiling on every call', () => {
    const cal = new BusinessCalendar(office.definition);
    for (let i = 0; i < 5; i++) {
      expect(cal.elapsed(at('2026-02-02 09:00', zone), at('2026-02-02 10:00', zone))).toBe(HOUR);
      expect(cal.elapsed(at('2040-02-06 09:00', zone), at('2040-02-06 10:00', zone))).toBe(HOUR);
      expect(cal.elapsed(at('2090-02-06 09:00', zone), at('2090-02-06 11:00', zone))).toBe(2 * HOUR);
    }
    expect(cal.yearsCompiled).toBe(3);
  });

  it('returns 0 and the same instant for a zero target', () => {
    const t = at('2026-11-28 03:00', zone);
    expect(office.add(t, 0)).toBe(t);
  });
});

describe('DST edges: a desk open 02:30-06:00 every day, Stockholm', () => {
  const night = new BusinessCalendar(
    CalendarSchema.parse({
      name: 'night',
      timeZone: zone,
      weekly: weeklyHours(MON_SUN, '02:30', '06:00'),
    }),
  );
  const early = new BusinessCalendar(
    CalendarSchema.parse({ name: 'early', timeZone: zone, weekly: weeklyHours(MON_SUN, '00:00', '02:30') }),
  );
  const day = (date: string) => [at(`${date} 00:00`, zone) - 3 * HOUR, at(`${date} 00:00`, zone) + 21 * HOUR];

  it.each([
    // Spring: 02:00-03:00 does not exist; 02:30 is the gap's end, 03:00 CEST.
    [night, '2026-03-29', '2026-03-29 03:00 +02:00', '2026-03-29 06:00 +02:00', 3 * HOUR],
    // Autumn: 02:00-03:00 happens twice; 02:30 is its first occurrence, in CEST.
    [night, '2026-10-25', '2026-10-25 02:30 +02:00', '2026-10-25 06:00 +01:00', 4.5 * HOUR],
    // A close inside the gap is the gap's end too; a repeated close is the first 02:30.
    [early, '2026-03-29', '2026-03-29 00:00 +01:00', '2026-03-29 03:00 +02:00', 2 * HOUR],
    [early, '2026-10-25', '2026-10-25 00:00 +02:00', '2026-10-25 02:30 +02:00', 2.5 * HOUR],
    // An ordinary Sunday for comparison.
    [night, '2026-11-22', '2026-11-22 02:30 +01:00', '2026-11-22 06:00 +01:00', 3.5 * HOUR],
  ] as const)('%#: on %s it opens at %s, closes at %s, %i ms open', (cal, date, opens, closes, open) => {
    const [from, to] = day(date) as [number, number];
    const opening = cal.nextOpen(from);
    expect(wall(opening, zone)).toBe(opens);
    expect(cal.isOpen(opening - 1)).toBe(false);
    expect(wall(cal.add(opening, open), zone)).toBe(closes);
    expect(cal.elapsed(from, to)).toBe(open);
  });

  it('puts a business-day deadline whose wall time the gap skips at the gap’s end', () => {
    // Sat 02:45 + P1D: Sunday 02:45 does not exist, so 03:00 CEST.
    expect(wall(night.addBusinessDays(at('2026-03-28 02:45', zone), 1), zone)).toBe(
      '2026-03-29 03:00 +02:00',
    );
    // Sat 02:45 + P1D in autumn: the first 02:45.
    expect(wall(night.addBusinessDays(at('2026-10-24 02:45', zone), 1), zone)).toBe(
      '2026-10-25 02:45 +02:00',
    );
  });
});

describe('segments for explanations', () => {
  it('labels open, closed and holiday stretches, with the holiday name', () => {
    const segments = office.segments(at('2026-12-24 11:00', zone), at('2026-12-28 09:00', zone));
    expect(segments.map((s) => [wall(s.from, zone), s.kind, s.holiday ?? ''])).toEqual([
      ['2026-12-24 11:00 +01:00', 'open', ''],
      ['2026-12-24 12:00 +01:00', 'holiday', 'julafton'],
      ['2026-12-24 18:00 +01:00', 'closed', ''],
      ['2026-12-25 08:00 +01:00', 'holiday', 'juldagen'],
      ['2026-12-25 12:00 +01:00', 'closed', ''],
      ['2026-12-28 08:00 +01:00', 'open', ''],
    ]);
    expect(segments.at(-1)!.to).toBe(at('2026-12-28 09:00', zone));
  });

  it('describes its hours in one line', () => {
    expect(office.describe()).toBe(
      'Mon 08:00-18:00, Tue 08:00-12:00 13:00-18:00, Wed-Thu 08:00-18:00, Fri 08:00-12:00 (Europe/Stockholm)',
    );
  });
});

describe('calendar schema', () => {
  const base = { name: 'x', timeZone: 'Europe/Stockholm', weekly: weeklyHours(MON_FRI, '08:00', '18:00') };
  it.each([
    [{ ...base, timeZone: 'Mars/Olympus' }, 'timeZone', /IANA/],
    [
      { ...base, weekly: { ...base.weekly, mon: [{ from: '18:00', to: '08:00' }] } },
      'weekly.mon.0',
      /end after/,
    ],
    [
      {
        ...base,
        weekly: {
          ...base.weekly,
          mon: [
            { from: '08:00', to: '12:00' },
            { from: '11:00', to: '13:00' },
          ],
        },
      },
      'weekly.mon',
      /overlap/,
    ],
    [
      { ...base, weekly: { ...base.weekly, mon: [{ from: '8:00', to: '18:00' }] } },
      'weekly.mon.0.from',
      /HH:MM/,
    ],
    [{ ...base, holidays: [{ date: '2026-02-30', name: 'x' }] }, 'holidays.0.date', /date/i],
    [{ ...base, holidays: [{ date: '2026-12-24', name: 'x', from: '12:00' }] }, 'holidays.0', /both/],
  ])('rejects %j at %s', (input, path, message) => {
    const result = CalendarSchema.safeParse(input);
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path.join('.')).toBe(path);
    expect(issue.message).toMatch(message);
  });

  it('refuses years outside 1970-2200 at once instead of compiling towards them', () => {
    const started = performance.now();
    expect(() => office.add(Date.parse('2250-01-01T00:00:00Z'), HOUR)).toThrow(/outside/);
    expect(() => office.isOpen(Date.parse('1900-01-01T00:00:00Z'))).toThrow(/outside/);
    expect(() => office.isOpen(Number.NaN)).toThrow(/not an instant/);
    // A far but valid year compiles that year, not the ones in between.
    expect(office.isOpen(at('2190-06-07 09:00', zone))).toBe(true); // a Monday
    expect(office.isOpen(at('2026-06-05 09:00', zone))).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
