// The preset plans as the store keeps them, their region holidays expanded: stored at every
// start (local) and deploy (AWS, the seed function).
import { regionHolidayYears, withPlanHolidays } from '../../domain/holidays';
import { PRESETS } from '../../domain/presets/index';
import type { Deps } from '../ports';

/** Stores every preset with its holidays expanded. */
export async function seedPresets(deps: Pick<Deps, 'directory' | 'holidays'>, now: number): Promise<void> {
  const years = regionHolidayYears(now);
  await Promise.all(
    [...PRESETS.values()].map((p) =>
      deps.directory.putPlan(withPlanHolidays(p, years, deps.holidays), { replace: true }),
    ),
  );
}
