// The catalogue of presets: every plan of every seed document, id `vendor-plan`.
import { type Plan, PlanSchema } from '../plans';
import {
  cloudomation24x7,
  cloudomationPremium,
  cloudomationSelfService,
  cloudomationStandard,
} from './cloudomation';
import { omboriEnterprise, omboriFree, omboriPilot, omboriProduction } from './ombori';
import { platformshEnterprise, platformshStandard } from './platformsh';
import { sourcegraphPremium24x7 } from './sourcegraph';

const inputs = [
  omboriFree,
  omboriPilot,
  omboriProduction,
  omboriEnterprise,
  cloudomationSelfService,
  cloudomationStandard,
  cloudomationPremium,
  cloudomation24x7,
  platformshStandard,
  platformshEnterprise,
  sourcegraphPremium24x7,
];

import { PRESET_IDS, type PresetId } from './ids';

export { PRESET_IDS, type PresetId };

/**
 * Every preset, validated. Holiday lists are still empty: a calendar with a `holidayRegion`
 * gets its dates from holidays.ts when the plan is stored, keeping date-holidays off the SLA path.
 */
export const PRESETS: ReadonlyMap<PresetId, Plan> = new Map(
  inputs.map((input) => [input.id as PresetId, PlanSchema.parse(input)]),
);
