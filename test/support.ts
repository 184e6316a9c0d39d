// Helpers shared by the domain tests: local wall times in a zone, plans with holidays filled in.
import { DateTime } from 'luxon';
import type { Instant } from '../domain/calendar';
import { withPlanHolidays } from '../domain/holidays';
import { type Plan, PRESETS, type PresetId } from '../domain/index';
import { holidayFiles } from '../functions/adapters/holiday-files';
import { LOCAL_HOLIDAY_DATA } from '../functions/adapters/local/deps';

/** `at('2026-11-23 07:00', 'Europe/Stockholm')` → the instant of that wall time. */
export function at(local: string, zone: string): Instant {
  const t = DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone });
  if (!t.isValid) throw new Error(`bad local time ${local}`);
  return t.toMillis();
}

/** The wall time of an instant in a zone, as the tables write it, with its offset. */
export function wall(t: Instant | null, zone: string): string | null {
  return t === null ? null : DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd HH:mm ZZ');
}

/** Region holidays from the tables the build prepared, as plans are stored. */
export const holidays = holidayFiles(() => LOCAL_HOLIDAY_DATA);

const stored = new Map<string, Plan>();
/** A preset as the store keeps it: region holidays expanded for 2025-2028. */
export function preset(id: PresetId): Plan {
  let plan = stored.get(id);
  if (!plan) {
    plan = withPlanHolidays(PRESETS.get(id)!, { from: 2025, to: 2028 }, holidays);
    stored.set(id, plan);
  }
  return plan;
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** Hosts a webhook must never reach: every spelling of loopback, a private network, the metadata services. */
export const INSIDE_HOSTS = [
  'localhost',
  '[::1]',
  '127.1',
  '2130706433',
  '0x7f000001',
  '[::ffff:127.0.0.1]',
  '0.0.0.0',
  '10.0.0.1',
  '169.254.169.254',
  '[fd00:ec2::254]',
];
