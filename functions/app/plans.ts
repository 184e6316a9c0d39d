// Creating plans: validated, their holiday regions and ICS files expanded into explicit
// dates. This module pulls in date-holidays (~1 MB), so only plan creation imports it.
import { DateTime } from 'luxon';
import { MAX_HOLIDAYS } from '../../domain/calendar';
import { Duplicate, RuleViolation } from '../../domain/errors';
import { icsHolidays, mergeHolidays, withPlanHolidays, type YearSpan } from '../../domain/holidays';
import type { Plan, PlanInput } from '../../domain/plans';
import { PlanSchema } from '../../domain/plans';
import { PRESETS } from '../../domain/presets/index';
import type { Deps, Directory } from '../ports';
import { type Principal, requireRole } from './common';

/** Holidays are expanded for the year before and five years after the plan is stored. */
export function holidayYears(now: number): YearSpan {
  const year = DateTime.fromMillis(now, { zone: 'UTC' }).year;
  return { from: year - 1, to: year + 5 };
}

export async function createPlan(
  deps: Deps,
  principal: Principal,
  input: PlanInput & { holidaysIcs?: string | undefined },
): Promise<Plan> {
  requireRole(principal, ['admin'], 'create plans');
  const { holidaysIcs, ...fields } = input;
  if (PRESETS.has(fields.id as never)) throw new Duplicate('plan', 'id', fields.id);
  const years = holidayYears(deps.clock.now());
  let plan = withPlanHolidays(PlanSchema.parse({ ...fields, version: 1 }), years);
  if (holidaysIcs) {
    const closures = icsHolidays(holidaysIcs, plan.calendar.timeZone, years);
    plan = {
      ...plan,
      calendar: { ...plan.calendar, holidays: mergeHolidays(plan.calendar.holidays, closures) },
    };
  }
  for (const calendar of [plan.calendar, ...Object.values(plan.levels).map((l) => l.calendar)]) {
    if (calendar && calendar.holidays.length > MAX_HOLIDAYS) {
      throw new RuleViolation(
        'too-many-holidays',
        `calendar ${calendar.name} would list ${calendar.holidays.length} holidays for ${years.from}-${years.to}; the limit is ${MAX_HOLIDAYS}`,
        holidaysIcs ? 'holidaysIcs' : 'calendar.holidays',
      );
    }
  }
  await deps.directory.putPlan(plan);
  return plan;
}

/** Stores every preset with its holidays expanded; run at start (local) or deploy (AWS). */
export async function seedPresets(directory: Directory, now: number): Promise<void> {
  const years = holidayYears(now);
  await Promise.all(
    [...PRESETS.values()].map((p) => directory.putPlan(withPlanHolidays(p, years), { replace: true })),
  );
}
