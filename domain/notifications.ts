// Notifications to the people who work a ticket: its assignee and whoever watches it hear that
// the customer replied, that it was assigned to them, that a clock reached 80 % or breached,
// and that they were paged. Each person chooses, per kind, how it reaches them (in the console,
// by mail, by page) and their quiet hours, when only the console gets it. A page of an
// escalation chain is not a notification: on call, it always goes out.

import type { Instant } from './calendar';
import { DayHours, WEEKDAYS, type Weekday } from './opening-hours';
import { isWorking } from './working-hours';
import * as z from './zod';
import { isTimeZone } from './zone';

export const NOTIFICATION_KINDS = ['customer-replied', 'assigned', 'warning', 'breach', 'paged'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFY_BY = ['console', 'mail', 'page'] as const;
export type NotifyBy = (typeof NOTIFY_BY)[number];

/** A person's notifications kept, at most (the newest). */
export const MAX_NOTIFICATIONS = 100;
/** How long a notification is kept. */
export const NOTIFICATION_DAYS = 30;
/** People watching one ticket, at most. */
export const MAX_WATCHERS = 20;

export const DEFAULT_CHOICES: Record<NotificationKind, NotifyBy[]> = {
  'customer-replied': ['console'],
  assigned: ['console', 'mail'],
  warning: ['console'],
  breach: ['console', 'mail'],
  paged: ['console'],
};

const Choice = z.array(z.enum(NOTIFY_BY)).check(z.maxLength(NOTIFY_BY.length));

export const QuietHours = z.object({
  timeZone: z.string().check(z.refine(isTimeZone, 'expected an IANA time zone such as Europe/Stockholm')),
  /** The hours of the week that are quiet, local: 22:00-24:00 and 00:00-07:00 for a night. */
  weekly: z.object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, DayHours])) as Record<Weekday, typeof DayHours>,
  ),
});
export type QuietHours = z.infer<typeof QuietHours>;

export const NotificationPreferences = z.object({
  /** How each kind reaches the person; a kind not named keeps DEFAULT_CHOICES. */
  kinds: z._default(z.partialRecord(z.enum(NOTIFICATION_KINDS), Choice), {}),
  quietHours: z._default(z.nullable(QuietHours), null),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

export const DEFAULT_PREFERENCES: NotificationPreferences = { kinds: {}, quietHours: null };

/** Whether `t` falls in the person's quiet hours. */
export function isQuiet(preferences: NotificationPreferences, t: Instant): boolean {
  const quiet = preferences.quietHours;
  return quiet !== null && isWorking({ timeZone: quiet.timeZone, weekly: quiet.weekly }, t);
}

/**
 * How a notification of `kind` at `t` reaches the person: their choice (or the default), less
 * mail and pages in their quiet hours; the console always keeps it, so nothing is lost. A
 * "paged" notification is never a page itself: the escalation chain paged them already.
 */
export function notifyBy(
  preferences: NotificationPreferences | undefined,
  kind: NotificationKind,
  t: Instant,
): NotifyBy[] {
  const prefs = preferences ?? DEFAULT_PREFERENCES;
  const chosen = prefs.kinds[kind] ?? DEFAULT_CHOICES[kind];
  const quiet = isQuiet(prefs, t);
  return NOTIFY_BY.filter(
    (by) => by === 'console' || (chosen.includes(by) && !quiet && !(kind === 'paged' && by === 'page')),
  );
}
