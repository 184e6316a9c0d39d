// Holiday lists for calendars, built when a plan is created, never on the SLA path:
// from a region's public holidays (date-holidays, ~1 MB bundled) or from an ICS file (ical.js).
// The result is the explicit `holidays` list of a calendar: dates in its own wall time.
import Holidays from 'date-holidays';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import type { Calendar, Holiday } from './calendar';
import { InvalidIcs, UnknownHolidayRegion } from './errors';

export { InvalidIcs, UnknownHolidayRegion };

import type { Plan } from './plans';

export interface YearSpan {
  from: number;
  to: number;
}

/** Which date-holidays types close a support desk: public holidays and bank holidays (Julafton). */
export const CLOSING_TYPES = ['public', 'bank'] as const;

/** Public (and bank) holidays of a region, e.g. `SE`, `AT`, `DE-BY`, as wall-clock closures. */
export function regionHolidays(
  region: string,
  years: YearSpan,
  types: readonly string[] = CLOSING_TYPES,
): Holiday[] {
  const [country, state, subRegion] = region.split('-');
  const catalogue = new Holidays();
  if (!country || !catalogue.getCountries()[country]) throw new UnknownHolidayRegion(region);
  if (state && !catalogue.getStates(country)?.[state]) throw new UnknownHolidayRegion(region);
  const source = new Holidays(country, state ?? '', subRegion ?? '');
  // Start and end are instants; read them as wall time in the region's own zone.
  const zone = source.getTimezones()[0] ?? 'UTC';
  const out: Holiday[] = [];
  for (let year = years.from; year <= years.to; year++) {
    for (const h of source.getHolidays(year)) {
      if (!types.includes(h.type)) continue;
      const start = wall(DateTime.fromJSDate(h.start, { zone }));
      const end = wall(DateTime.fromJSDate(h.end, { zone }));
      out.push(...closuresBetween(start, end, h.name));
    }
  }
  return out;
}

/**
 * Closures from the events of an ICS file (all-day events close whole days, timed events
 * close their hours; recurring events are expanded), in the calendar's time zone.
 */
export function icsHolidays(ics: string, timeZone: string, years: YearSpan): Holiday[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  } catch (error) {
    throw new InvalidIcs(error instanceof Error ? error.message : String(error));
  }
  const vevents = root.getAllSubcomponents('vevent');
  if (root.name !== 'vcalendar') throw new InvalidIcs('no VCALENDAR');
  const first = DateTime.fromObject({ year: years.from }, { zone: timeZone });
  const last = DateTime.fromObject({ year: years.to + 1 }, { zone: timeZone });
  const out: Holiday[] = [];
  for (const vevent of vevents) {
    const event = new ICAL.Event(vevent);
    // A name like a region holiday's: the calendar schema allows 100 characters.
    const name = [...(event.summary || 'Closed')].slice(0, 100).join('');
    const tzParam = vevent.getFirstProperty('dtstart')?.getParameter('tzid');
    const tzid = typeof tzParam === 'string' ? tzParam : undefined;
    const zoneOf = (t: ICAL.Time) =>
      t.isDate ? timeZone : t.zone?.tzid === 'UTC' ? 'UTC' : (tzid ?? timeZone);
    const toLocal = (t: ICAL.Time) =>
      DateTime.fromObject(
        { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second },
        { zone: zoneOf(t) },
      ).setZone(timeZone);
    const starts = event.isRecurring() ? event.iterator() : null;
    for (
      let next: ICAL.Time | null = starts ? starts.next() : event.startDate;
      next;
      next = starts?.next() ?? null
    ) {
      const start = toLocal(next);
      if (start >= last) break;
      const endTime = next.clone();
      endTime.addDuration(event.duration);
      const end = toLocal(endTime);
      if (end > first) out.push(...closuresBetween(wall(start), wall(end), name));
    }
  }
  return out;
}

/** A calendar with its region's holidays added (explicit ones kept, duplicates dropped). */
export function withRegionHolidays(calendar: Calendar, years: YearSpan): Calendar {
  if (!calendar.holidayRegion) return calendar;
  return {
    ...calendar,
    holidays: mergeHolidays(calendar.holidays, regionHolidays(calendar.holidayRegion, years)),
  };
}

/** The plan as it is stored: every calendar with a region has its holiday dates filled in. */
export function withPlanHolidays(plan: Plan, years: YearSpan): Plan {
  const levels = Object.fromEntries(
    Object.entries(plan.levels).map(([priority, level]) => [
      priority,
      level.calendar ? { ...level, calendar: withRegionHolidays(level.calendar, years) } : level,
    ]),
  ) as Plan['levels'];
  return { ...plan, calendar: withRegionHolidays(plan.calendar, years), levels };
}

export function mergeHolidays(...lists: Holiday[][]): Holiday[] {
  const seen = new Map<string, Holiday>();
  for (const h of lists.flat()) seen.set(`${h.date} ${h.from ?? ''}-${h.to ?? ''}`, h);
  return [...seen.values()].sort(
    (a, b) => a.date.localeCompare(b.date) || (a.from ?? '').localeCompare(b.from ?? ''),
  );
}

/** The wall-clock reading of a local time, carried in a UTC DateTime so that days are 24 h. */
function wall(t: DateTime): DateTime {
  return t.setZone('UTC', { keepLocalTime: true });
}

/** Splits a wall-clock span into one closure per date: whole days, or from/to within a day. */
function closuresBetween(start: DateTime, end: DateTime, name: string): Holiday[] {
  const out: Holiday[] = [];
  for (let day = start.startOf('day'); day < end; day = day.plus({ days: 1 })) {
    const from = DateTime.max(start, day);
    const to = DateTime.min(end, day.plus({ days: 1 }));
    if (to <= from) continue;
    const date = day.toISODate()!;
    const fromText = from.toFormat('HH:mm');
    const toText = to.equals(day.plus({ days: 1 })) ? '24:00' : to.toFormat('HH:mm');
    if (fromText === '00:00' && toText === '24:00') out.push({ date, name });
    else if (fromText < toText) out.push({ date, name, from: fromText, to: toText });
  }
  return out;
}
