// A staff member's working hours: a week of opening intervals in their own time zone (the
// on-call and notification rules read them). Apart from calendar.ts, so that the directory's
// function does not carry the business-time arithmetic.
import * as z from './zod';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];
const MON_FRI: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

import { DayHours, minuteOfDay } from './opening-hours';
import { DAY_MS, isoWeekday, isTimeZone, toWall } from './zone';

export const WorkingHours = z.object({
  timeZone: z.string().check(z.refine(isTimeZone, 'expected an IANA time zone such as Europe/Stockholm')),
  weekly: z.object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, DayHours])) as Record<Weekday, typeof DayHours>,
  ),
});
export type WorkingHours = z.infer<typeof WorkingHours>;

/** Monday to Friday, 09:00-17:00 in `timeZone`: what a new person works until they say otherwise. */
export function defaultWorkingHours(timeZone: string): WorkingHours {
  return {
    timeZone,
    weekly: Object.fromEntries(
      WEEKDAYS.map((d) => [d, MON_FRI.includes(d) ? [{ from: '09:00', to: '17:00' }] : []]),
    ) as WorkingHours['weekly'],
  };
}

/** Whether `t` falls in the person's working hours (their own zone and week). */
export function isWorking(hours: WorkingHours, t: number): boolean {
  const wall = toWall(hours.timeZone, t);
  const minute = Math.floor((wall - Math.floor(wall / DAY_MS) * DAY_MS) / 60_000);
  const day = WEEKDAYS[isoWeekday(wall) - 1]!;
  return hours.weekly[day].some((h) => minuteOfDay(h.from) <= minute && minute < minuteOfDay(h.to));
}
