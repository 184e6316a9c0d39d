import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from '../../domain/calendar';
import {
  InvalidIcs,
  icsHolidays,
  regionHolidays,
  UnknownHolidayRegion,
  withPlanHolidays,
} from '../../domain/holidays';
import { PRESETS } from '../../domain/presets/index';
import { at } from '../support';

describe('holidays from a region (date-holidays)', () => {
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
    const plan = withPlanHolidays(PRESETS.get('cloudomation-premium')!, { from: 2026, to: 2026 });
    expect(plan.calendar.holidays.map((h) => h.date)).toContain('2026-12-08');
    const cal = new BusinessCalendar(plan.calendar);
    expect(cal.isOpen(at('2026-12-08 10:00', 'Europe/Vienna'))).toBe(false);
    expect(PRESETS.get('cloudomation-premium')!.calendar.holidays).toEqual([]); // the preset is untouched
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
});
