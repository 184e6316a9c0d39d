// Creating plans: validated, their holiday regions (tables prepared at build time) and ICS files
// (ical.js) expanded into explicit dates. Only the plans function imports this module.
import { MAX_HOLIDAYS } from '../../domain/calendar';
import { Duplicate, RuleViolation } from '../../domain/errors';
import { holidayYears, mergeHolidays, regionHolidayYears, withPlanHolidays } from '../../domain/holidays';
import { icsHolidays } from '../../domain/ics';
import type { Plan, PlanInput } from '../../domain/plans';
import { PlanSchema } from '../../domain/plans';
import { PRESET_IDS } from '../../domain/presets/ids';
import type { Deps } from '../ports';
import { type Principal, requireRole } from './common';

export async function createPlan(
  deps: Deps,
  principal: Principal,
  input: PlanInput & { holidaysIcs?: string | undefined },
): Promise<Plan> {
  requireRole(principal, ['admin'], 'create plans');
  const { holidaysIcs, ...fields } = input;
  if ((PRESET_IDS as readonly string[]).includes(fields.id)) throw new Duplicate('plan', 'id', fields.id);
  const years = holidayYears(deps.clock.now());
  let plan = withPlanHolidays(
    PlanSchema.parse({ ...fields, version: 1 }),
    regionHolidayYears(deps.clock.now()),
    deps.holidays,
  );
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
