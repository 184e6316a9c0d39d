// The preset plans' ids, on their own: what may not be taken by a custom plan, without the plans.
export const PRESET_IDS = [
  'ombori-free',
  'ombori-pilot',
  'ombori-production',
  'ombori-enterprise',
  'cloudomation-self-service',
  'cloudomation-standard',
  'cloudomation-premium',
  'cloudomation-24x7',
  'platformsh-standard',
  'platformsh-enterprise',
  'sourcegraph-premium-24x7',
] as const;
export type PresetId = (typeof PRESET_IDS)[number];
