// Closures from an ICS file (ical.js, ~75 KB): read when a custom plan is created, by the one
// function that creates plans.
import ICAL from 'ical.js';
import type { Holiday } from './calendar';
import { InvalidIcs } from './errors';
import { closuresBetween, type YearSpan } from './holidays';
import { isTimeZone, toWall, wallInstant } from './zone';

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
  const first = wallInstant(timeZone, years.from, 1, 1, 0);
  const last = wallInstant(timeZone, years.to + 1, 1, 1, 0);
  const out: Holiday[] = [];
  for (const vevent of vevents) {
    const event = new ICAL.Event(vevent);
    // A name like a region holiday's: the calendar schema allows 100 characters.
    const name = [...(event.summary || 'Closed')].slice(0, 100).join('');
    const tzParam = vevent.getFirstProperty('dtstart')?.getParameter('tzid');
    const tzid = typeof tzParam === 'string' ? tzParam : undefined;
    if (tzid !== undefined && !isTimeZone(tzid)) {
      throw new InvalidIcs(`${name}: TZID ${tzid} is not an IANA time zone such as Europe/Stockholm`);
    }
    const zoneOf = (t: ICAL.Time) =>
      t.isDate ? timeZone : t.zone?.tzid === 'UTC' ? 'UTC' : (tzid ?? timeZone);
    const instantOf = (t: ICAL.Time) =>
      wallInstant(zoneOf(t), t.year, t.month, t.day, ((t.hour * 60 + t.minute) * 60 + t.second) * 1000);
    const starts = event.isRecurring() ? event.iterator() : null;
    for (
      let next: ICAL.Time | null = starts ? starts.next() : event.startDate;
      next;
      next = starts?.next() ?? null
    ) {
      const start = instantOf(next);
      if (start >= last) break;
      const endTime = next.clone();
      endTime.addDuration(event.duration);
      const end = instantOf(endTime);
      if (end > first) out.push(...closuresBetween(toWall(timeZone, start), toWall(timeZone, end), name));
    }
  }
  return out;
}
