import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusinessCalendar, type Holiday } from '../../domain/calendar';
import { HolidayDataEnds } from '../../domain/errors';
import { type CountryHolidays, decodeRegion, encodeCountry } from '../../domain/holiday-table';
import {
  InvalidIcs,
  regionHolidayYears,
  UnknownHolidayRegion,
  withPlanHolidays,
} from '../../domain/holidays';
import { icsHolidays } from '../../domain/ics';
import { PRESETS } from '../../domain/presets/index';
import { holidayRegions, regionHolidays } from '../../domain/region-holidays';
import { holidayFiles } from '../../functions/adapters/holiday-files';
import { toErrorResult } from '../../functions/http/middleware';
import { DATA_YEARS, HOLIDAY_DATA_DIR, holidaySource } from '../../infra/build-holidays';
import { at, holidays } from '../support';

describe('holidays from a region (date-holidays, at build time)', () => {
  it('lists Swedish public and bank holidays as whole days', () => {
    const dates = regionHolidays('SE', { from: 2026, to: 2026 }).map((h) => `${h.date} ${h.name}`);
    expect(dates).toContain('2026-06-19 midsommarafton');
    expect(dates).toContain('2026-12-24 julafton');
    expect(dates).toContain('2026-04-03 långfredagen');
    expect(dates).not.toContain('2026-12-13 Luciadagen'); // an observance, not a day off
  });

  it('keeps partial days such as German Christmas Eve from 14:00', () => {
    const eve = regionHolidays('DE-BY', { from: 2026, to: 2026 }).find((h) => h.date === '2026-12-24');
    expect(eve).toEqual({ date: '2026-12-24', name: 'Heiliger Abend', from: '14:00', to: '24:00' });
  });

  it('refuses a region date-holidays does not know', () => {
    expect(() => regionHolidays('XX', { from: 2026, to: 2026 })).toThrow(UnknownHolidayRegion);
    expect(() => regionHolidays('SE-ZZ', { from: 2026, to: 2026 })).toThrow(UnknownHolidayRegion);
  });

  it('fills every region calendar of a plan, including per-level ones, when the plan is stored', () => {
    const plan = withPlanHolidays(PRESETS.get('cloudomation-premium')!, { from: 2026, to: 2026 }, holidays);
    expect(plan.calendar.holidays.map((h) => h.date)).toContain('2026-12-08');
    const cal = new BusinessCalendar(plan.calendar);
    expect(cal.isOpen(at('2026-12-08 10:00', 'Europe/Vienna'))).toBe(false);
    expect(PRESETS.get('cloudomation-premium')!.calendar.holidays).toEqual([]); // the preset is untouched
  });
});

const sorted = (list: Holiday[]) => list.map((h) => JSON.stringify([h.date, h.from, h.to, h.name])).sort();

describe('region holidays prepared at build time (functions/holiday-data)', () => {
  const tables = readdirSync(HOLIDAY_DATA_DIR).map(
    (file) => JSON.parse(readFileSync(`${HOLIDAY_DATA_DIR}${file}`, 'utf8')) as CountryHolidays,
  );
  const regions = holidayRegions();

  it('are made from the installed date-holidays, for every region it knows', () => {
    expect(new Set(tables.map((t) => t.source))).toEqual(new Set([holidaySource()]));
    expect(tables.map((t) => t.country).sort()).toEqual([...regions.keys()].sort());
    for (const table of tables) {
      expect(Object.keys(table.subdivisions).sort()).toEqual(regions.get(table.country)!.slice(1).sort());
    }
  });

  it('hold the years plans stored from now on need (the year before, through 2050)', () => {
    const needed = regionHolidayYears(Date.now());
    for (const table of tables) {
      expect(table.years, `${table.country}: npm run build:holidays`).toEqual(DATA_YEARS);
    }
    expect(DATA_YEARS.from).toBeLessThanOrEqual(needed.from);
    expect(DATA_YEARS.to, 'the tables end too soon: npm run build:holidays').toBeGreaterThanOrEqual(
      needed.to,
    );
  });

  it("give what date-holidays gives, for the presets' regions and every 20th other region", () => {
    const all = [...regions.values()].flat();
    const sample = [...new Set(['SE', 'AT', 'DE-BY', 'US-CA', ...all.filter((_, i) => i % 20 === 7)])];
    const files = holidayFiles(() => HOLIDAY_DATA_DIR);
    for (const region of sample) {
      for (const years of [
        { from: 2026, to: 2026 },
        { from: DATA_YEARS.to, to: DATA_YEARS.to },
      ]) {
        expect(sorted(files(region, years)), region).toEqual(sorted(regionHolidays(region, years)));
      }
    }
  });

  it('refuse regions they do not hold and years beyond their end', () => {
    const files = holidayFiles(() => HOLIDAY_DATA_DIR);
    expect(() => files('XX', { from: 2026, to: 2026 })).toThrow(UnknownHolidayRegion);
    expect(() => files('SE-ZZ', { from: 2026, to: 2026 })).toThrow(UnknownHolidayRegion);
    expect(() => files('../../package', { from: 2026, to: 2026 })).toThrow(UnknownHolidayRegion);
    expect(() => files('se', { from: 2026, to: 2026 })).toThrow(UnknownHolidayRegion);
    expect(() => files('SE', { from: 2026, to: DATA_YEARS.to + 1 })).toThrow(HolidayDataEnds);
    // Over HTTP that is the deployment's to mend, not the caller's: a 503 that says how.
    const reply = toErrorResult(new HolidayDataEnds('SE', DATA_YEARS, { from: 2040, to: 2046 }));
    expect(reply.statusCode).toBe(503);
    expect(JSON.parse(reply.body!).error).toMatchObject({
      code: 'holiday-data-outdated',
      message: expect.stringContaining('npm run build:holidays'),
    });
    expect(() => holidayFiles(() => '/nonexistent')('SE', { from: 2026, to: 2026 })).toThrow(
      /no holiday data at \/nonexistent/,
    );
  });

  it('keep a preset stored today closed on holidays decades away, and refuse to count past 2050', () => {
    const files = holidayFiles(() => HOLIDAY_DATA_DIR);
    const pilot = withPlanHolidays(
      PRESETS.get('ombori-pilot')!,
      regionHolidayYears(Date.parse('2026-12-02')),
      files,
    );
    expect(pilot.calendar.holidayYears).toEqual({ from: 2025, to: 2050 });
    const cal = new BusinessCalendar(pilot.calendar);
    // Christmas Day 2045 and Midsummer Eve 2050 are closed, as in 2026 (the tables ended in 2031).
    expect(cal.isOpen(at('2045-12-25 10:00', 'Europe/Stockholm'))).toBe(false);
    expect(cal.isOpen(at('2050-06-24 10:00', 'Europe/Stockholm'))).toBe(false);
    expect(cal.isOpen(at('2050-06-27 10:00', 'Europe/Stockholm'))).toBe(true);
    // A deadline that runs into 2051 is not counted as if 2051 had no holidays.
    expect(() => cal.add(at('2050-12-29 10:00', 'Europe/Stockholm'), 5 * 10 * 3_600_000)).toThrow(
      HolidayDataEnds,
    );
    expect(() => cal.isOpen(at('2051-01-02 10:00', 'Europe/Stockholm'))).toThrow(
      /SE are known for 2025-2050/,
    );
    // A calendar stored before the years were recorded holds them through the last year it lists.
    const { holidayYears: _, ...older } = withPlanHolidays(
      PRESETS.get('ombori-pilot')!,
      { from: 2025, to: 2031 },
      files,
    ).calendar;
    expect(() => new BusinessCalendar(older).isOpen(at('2032-03-01 10:00', 'Europe/Stockholm'))).toThrow(
      HolidayDataEnds,
    );
    // A calendar without a region has no holiday data to run out of.
    const { holidayRegion: __, ...plain } = older;
    expect(new BusinessCalendar(plain).isOpen(at('2060-03-01 10:00', 'Europe/Stockholm'))).toBe(true);
  });

  it('decode to the lists they were made from (subdivisions kept as differences)', () => {
    const day = fc
      .record({ m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
      .map(({ m, d }) => `2026-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    const holiday = fc.oneof(
      fc.record({ date: day, name: fc.constantFrom('Neujahr', 'Jul\u00e4fton "eve"', '\u{1F384}\u0000') }),
      fc.record({
        date: day,
        name: fc.constantFrom('Heiliger Abend'),
        from: fc.constant('14:00'),
        to: fc.constant('24:00'),
      }),
    );
    const list = fc.uniqueArray(holiday, { selector: (h: Holiday) => JSON.stringify(h), maxLength: 30 });
    fc.assert(
      fc.property(list, fc.dictionary(fc.constantFrom('XY-A', 'XY-B', 'XY-B-1'), list), (own, subs) => {
        const lists = new Map([['XY', own], ...Object.entries(subs)]);
        const table = JSON.parse(
          JSON.stringify(encodeCountry('XY', 'test', { from: 2026, to: 2026 }, lists)),
        );
        for (const [region, expected] of lists) {
          expect(sorted(decodeRegion(table, region, { from: 2026, to: 2026 }))).toEqual(sorted(expected));
        }
      }),
    );
  });
});

describe('holidays from an ICS file (ical.js)', () => {
  const ics = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//sla-desk//test//EN',
    'BEGIN:VEVENT',
    'UID:shutdown',
    'DTSTART;VALUE=DATE:20261224',
    'DTEND;VALUE=DATE:20261227',
    'SUMMARY:Christmas shutdown',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:teamday',
    'DTSTART;TZID=Europe/Stockholm:20261106T120000',
    'DTEND;TZID=Europe/Stockholm:20261106T170000',
    'RRULE:FREQ=YEARLY',
    'SUMMARY:Team day',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:maintenance',
    'DTSTART:20260701T060000Z',
    'DTEND:20260701T080000Z',
    'SUMMARY:Maintenance window',
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');

  it('turns all-day, timed and recurring events into closures in the calendar zone', () => {
    const holidays = icsHolidays(ics, 'Europe/Stockholm', { from: 2026, to: 2027 });
    expect(holidays).toEqual([
      { date: '2026-12-24', name: 'Christmas shutdown' },
      { date: '2026-12-25', name: 'Christmas shutdown' },
      { date: '2026-12-26', name: 'Christmas shutdown' },
      { date: '2026-11-06', name: 'Team day', from: '12:00', to: '17:00' },
      { date: '2027-11-06', name: 'Team day', from: '12:00', to: '17:00' },
      // 06:00Z is 08:00 in Stockholm summer time
      { date: '2026-07-01', name: 'Maintenance window', from: '08:00', to: '10:00' },
    ]);
  });

  it('says why a file is unreadable', () => {
    expect(() => icsHolidays('not a calendar', 'UTC', { from: 2026, to: 2026 })).toThrow(InvalidIcs);
  });

  it('refuses a TZID that is not an IANA zone (a Windows name), recurring or not', () => {
    const windows = ics.replace('TZID=Europe/Stockholm', 'TZID=W. Europe Standard Time');
    expect(() => icsHolidays(windows, 'Europe/Stockholm', { from: 2026, to: 2027 })).toThrow(
      /Team day: TZID W\. Europe Standard Time is not an IANA time zone/,
    );
  });
});
