// Platform.sh application support (seed 004): Standard and Enterprise response times for
// P1-P3; Enterprise P1 counts 24/7, everything else business time. Escalation by key-word.
import { MON_FRI, MON_SUN, weeklyHours } from '../calendar';
import type { PlanInput } from '../plans';

const PARIS = 'Europe/Paris';

const businessHours = {
  name: 'Platform.sh business hours',
  timeZone: PARIS,
  weekly: weeklyHours(MON_FRI, '09:00', '18:00'),
  holidayRegion: 'FR',
};

const ESCALATION_KEYWORD = '#escalate';

const NOTES = [
  'Business hours are not given; Platform.sh is based in Paris, so 09:00-18:00 Mon-Fri Europe/Paris closed ' +
    'on French public holidays (date-holidays FR).',
  'The seed defines P1-P3 only; P4 is best effort like P3.',
  'No status-update interval or resolution time is given, so both are when-done.',
  `The escalation key-word is agreed at on-boarding; "${ESCALATION_KEYWORD}" is the default until it is.`,
];

export const platformshStandard: PlanInput = {
  id: 'platformsh-standard',
  vendor: 'Platform.sh',
  name: 'Standard',
  calendar: businessHours,
  levels: {
    P1: { name: 'Critical', response: 'PT4H', update: 'when-done' }, // "4hrs or less"
    P2: { name: 'Major', response: 'P1D', update: 'when-done' }, // "1 business day or less"
    P3: { name: 'Minor', response: 'best-effort', update: 'when-done' },
    P4: { name: 'Cosmetic', response: 'best-effort', update: 'when-done' },
  },
  // "All support requests should be funneled through the ticketing systems"
  channels: ['form', 'email', 'api'],
  seats: null,
  devicesIncluded: null,
  uptimeTarget: null,
  escalation: { contacts: [], keyword: ESCALATION_KEYWORD },
  notes: [
    ...NOTES,
    'Support hours: the seed sells packages "based on the number of Support hours you want" without figures. ' +
      'The default bank chosen is 10 hours a month (contract.supportHours {"hours": 10, "per": "month"}), set on ' +
      "the customer's contract at on-boarding; time beyond it is charged at the contract's tariff.",
  ],
};

export const platformshEnterprise: PlanInput = {
  id: 'platformsh-enterprise',
  vendor: 'Platform.sh',
  name: 'Enterprise',
  calendar: businessHours,
  levels: {
    // "P1 tickets: 2hrs or less ... 24/7 coverage for these incidents."
    P1: {
      name: 'Critical',
      response: 'PT2H',
      update: 'when-done',
      calendar: { name: 'Platform.sh 24/7', timeZone: PARIS, weekly: weeklyHours(MON_SUN, '00:00', '24:00') },
    },
    P2: { name: 'Major', response: 'PT4H', update: 'when-done' }, // "4hrs or less", business hours
    P3: { name: 'Minor', response: 'best-effort', update: 'when-done' },
    P4: { name: 'Cosmetic', response: 'best-effort', update: 'when-done' },
  },
  channels: ['form', 'email', 'api', 'phone'],
  seats: null,
  devicesIncluded: null,
  uptimeTarget: null,
  escalation: { contacts: [], keyword: ESCALATION_KEYWORD },
  notes: [
    ...NOTES,
    'Phone is included for P1 incidents ("on-call cell phone of the director of support").',
    'Support hours: the seed gives no figure. The default bank chosen for Enterprise is 200 hours a year ' +
      '(contract.supportHours {"hours": 200, "per": "year"}), set on the customer\'s contract at on-boarding; ' +
      "time beyond it is charged at the contract's tariff.",
  ],
};
