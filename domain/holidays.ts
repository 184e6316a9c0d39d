// Holiday lists for calendars, built when a plan is stored, never on the SLA path: from a
// region's public holidays (prepared at build time, holiday-table.ts) or from an ICS file
// (ics.ts). The result is the explicit `holidays` list of a calendar: dates in its own wall time.
import type { Calendar, Holiday } from './calendar';
import { InvalidIcs, UnknownHolidayRegion } from './errors';
import { DAY_MS, isoDate, localYear } from './zone';

export { InvalidIcs, UnknownHolidayRegion };

import type { Plan } from './plans';

export interface YearSpan {
  from: number;
  to: number;
}

/** An ICS file's holidays are expanded for the year before and five years after the plan is stored. */
export function holidayYears(now: number): YearSpan {
  const year = localYear('UTC', now);
  return { from: year - 1, to: year + 5 };
}

/**
 * A region's public holidays are expanded from the year before the plan is stored through
 * REGION_HOLIDAYS_THROUGH, the last year the prepared tables hold (infra/build-holidays.ts):
 * deadlines decades away keep their holidays, and past them a calendar refuses to count
 * (HolidayDataEnds, a 503) rather than count a holiday as open time.
 */
export const REGION_HOLIDAYS_THROUGH = 2050;
export function regionHolidayYears(now: number): YearSpan {
  const year = localYear('UTC', now);
  return { from: year - 1, to: Math.max(REGION_HOLIDAYS_THROUGH, year - 1) };
}

/** A region's public holidays (SE, DE-BY) as closures for the given years. */
export type RegionHolidays = (region: string, years: YearSpan) => Holiday[];

/** A calendar with its region's holidays added (explicit ones kept, duplicates dropped). */
export function withRegionHolidays(calendar: Calendar, years: YearSpan, regions: RegionHolidays): Calendar {
  if (!calendar.holidayRegion) {
    const { holidayYears: _, ...own } = calendar; // only the expansion says which years it holds
    return own;
  }
  return {
    ...calendar,
    holidays: mergeHolidays(calendar.holidays, regions(calendar.holidayRegion, years)),
    holidayYears: years,
  };
}

/** The plan as it is stored: every calendar with a region has its holiday dates filled in. */
export function withPlanHolidays(plan: Plan, years: YearSpan, regions: RegionHolidays): Plan {
  const levels = Object.fromEntries(
    Object.entries(plan.levels).map(([priority, level]) => [
      priority,
      level.calendar ? { ...level, calendar: withRegionHolidays(level.calendar, years, regions) } : level,
    ]),
  ) as Plan['levels'];
  return { ...plan, calendar: withRegionHolidays(plan.calendar, years, regions), levels };
}

export function mergeHolidays(...lists: Holiday[][]): Holiday[] {
  const seen = new Map<string, Holiday>();
  for (const h of lists.flat()) seen.set(`${h.date} ${h.from ?? ''}-${h.to ?? ''}`, h);
  return [...seen.values()].sort(
    (a, b) => a.date.localeCompare(b.date) || (a.from ?? '').localeCompare(b.from ?? ''),
  );
}

/** `14:00` for a time of day in ms (seconds dropped). */
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** Splits a wall-clock span (wall ms, zone.ts) into one closure per date: whole days, or from/to within a day. */
export function closuresBetween(start: number, end: number, name: string): Holiday[] {
  const out: Holiday[] = [];
  for (let day = Math.floor(start / DAY_MS) * DAY_MS; day < end; day += DAY_MS) {
    const from = Math.max(start, day);
    const to = Math.min(end, day + DAY_MS);
    if (to <= from) continue;
    const date = isoDate(day);
    const fromText = hhmm(from - day);
    const toText = to === day + DAY_MS ? '24:00' : hhmm(to - day);
    if (fromText === '00:00' && toText === '24:00') out.push({ date, name });
    else if (fromText < toText) out.push({ date, name, from: fromText, to: toText });
  }
  return out;
}
