// Sourcegraph premium support with 24x7 SLAs (seed 002): the seed names the package (24x7
// SLAs, dedicated engineers, Slack support, monthly usage reports) but no figures.
import { MON_SUN, weeklyHours } from '../calendar';
import type { PlanInput } from '../plans';

export const sourcegraphPremium24x7: PlanInput = {
  id: 'sourcegraph-premium-24x7',
  vendor: 'Sourcegraph',
  name: 'Premium Support 24x7',
  calendar: { name: 'Sourcegraph 24x7', timeZone: 'UTC', weekly: weeklyHours(MON_SUN, '00:00', '24:00') },
  levels: {
    P1: { name: 'Critical', response: 'PT1H', update: 'PT4H' },
    P2: { name: 'Major', response: 'PT4H', update: 'P1D' },
    P3: { name: 'Minor', response: 'P1D', update: 'when-done' },
    P4: { name: 'Cosmetic', response: 'P2D', update: 'when-done' },
  },
  // Slack Support: "support tickets can be created directly from the Slack channel" (chat).
  channels: ['form', 'email', 'chat', 'api'],
  seats: null,
  devicesIncluded: null,
  uptimeTarget: null,
  escalation: { contacts: [], keyword: null },
  notes: [
    'The seed promises "Priority Support with 24x7 SLAs" without figures. Chosen: every level counts around ' +
      'the clock in UTC; response P1 1 h, P2 4 h, P3 1 day, P4 2 days; status updates every 4 h for P1 and ' +
      'daily for P2 so that a dedicated engineer never leaves an urgent ticket silent.',
    'Seats are not limited: Slack support is open to the whole customer channel.',
  ],
};
