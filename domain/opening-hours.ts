// Opening hours of one day: HH:MM intervals that do not overlap (calendars and working hours).
import * as z from './zod';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const MON_FRI: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

export const TimeOfDay = z
  .string()
  .check(z.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM between 00:00 and 24:00'));

export function minuteOfDay(text: string): number {
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

export const OpeningHours = z.object({ from: TimeOfDay, to: TimeOfDay }).check(
  z.refine(({ from, to }) => minuteOfDay(from) < minuteOfDay(to), {
    message: 'an opening interval must end after it starts (split overnight hours at 24:00)',
  }),
);
export type OpeningHours = z.infer<typeof OpeningHours>;

export const DayHours = z._default(z.array(OpeningHours).check(z.maxLength(48)), []).check(
  z.refine(
    (hours) => {
      const sorted = hours.map((h) => [minuteOfDay(h.from), minuteOfDay(h.to)]).sort((a, b) => a[0]! - b[0]!);
      return sorted.every((h, i) => i === 0 || h[0]! >= sorted[i - 1]![1]!);
    },
    { message: 'opening intervals of one day must not overlap' },
  ),
);
