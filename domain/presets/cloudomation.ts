// Cloudomation support packages (seed 000): self-service, standard, premium, 24/7. The seed
// promises response times (tiered by severity in premium) and premium resolution times but
// gives no figures, so every figure here is chosen; the notes say so.
import { MON_FRI, MON_SUN, weeklyHours } from '../calendar';
import type { Level, PlanInput } from '../plans';

const VIENNA = 'Europe/Vienna';

const officeHours = {
  name: 'Cloudomation office hours',
  timeZone: VIENNA,
  weekly: weeklyHours(MON_FRI, '09:00', '17:00'),
  holidayRegion: 'AT',
};

const allHours = {
  name: 'Cloudomation 24/7',
  timeZone: VIENNA,
  weekly: weeklyHours(MON_SUN, '00:00', '24:00'),
};

const HOURS_NOTE =
  '"Normal working hours" are not given: Cloudomation is in Vienna, so 09:00-17:00 Mon-Fri Europe/Vienna ' +
  'closed on Austrian public holidays (date-holidays AT).';
const TYPE_NOTE =
  'The seed tiers response and resolution times "by ticket type and severity" without figures. Chosen: bugs and ' +
  "configuration errors (something that worked stopped working) keep the severity's targets; configuration " +
  'requests are answered as fast but resolved within 5 business days (P1, P2) or 10 (P3, P4); advice (how-to ' +
  "questions) is answered within 1 business day, or the level's own time where that is longer (P4 premium: 2), " +
  'and has no resolution clock; feature requests are ' +
  'answered within 2 business days and resolved when done (they join the roadmap, not a deadline).';

/** The ticket-type tiers of TYPE_NOTE for one level: its resolution tier and its advice response. */
function byType(fastResolution: boolean, adviceResponse: 'P1D' | 'P2D'): Level['byCategory'] {
  return {
    'configuration-request': { resolution: fastResolution ? 'P5D' : 'P10D' },
    advice: { response: adviceResponse, resolution: 'when-done' },
    'feature-request': { response: 'P2D', resolution: 'when-done' },
  };
}
const UPDATE_NOTE = 'The seed promises no status-update interval, so updates are when-done.';

export const cloudomationSelfService: PlanInput = {
  id: 'cloudomation-self-service',
  vendor: 'Cloudomation',
  name: 'Self-service and community support',
  calendar: officeHours,
  levels: {
    P1: { name: 'Critical', response: 'best-effort', update: 'when-done' },
    P2: { name: 'Major', response: 'best-effort', update: 'when-done' },
    P3: { name: 'Minor', response: 'best-effort', update: 'when-done' },
    P4: { name: 'Cosmetic', response: 'best-effort', update: 'when-done' },
  },
  // No service-desk access: documentation, release information and community forums only.
  channels: [],
  seats: 0,
  devicesIncluded: null,
  uptimeTarget: null,
  escalation: { contacts: [], keyword: null },
  notes: [
    'Self-service includes no access to the service desk, so it has no channels and no seats; severe faults ' +
      'under the product warranty are reported through a plan with service-desk access.',
    HOURS_NOTE,
  ],
};

export const cloudomationStandard: PlanInput = {
  id: 'cloudomation-standard',
  vendor: 'Cloudomation',
  name: 'Standard support',
  calendar: officeHours,
  // One guaranteed response time for every ticket, not tiered.
  levels: {
    P1: { name: 'Critical', response: 'P1D', update: 'when-done' },
    P2: { name: 'Major', response: 'P1D', update: 'when-done' },
    P3: { name: 'Minor', response: 'P1D', update: 'when-done' },
    P4: { name: 'Cosmetic', response: 'P1D', update: 'when-done' },
  },
  channels: ['form', 'email'],
  seats: 1, // "Access to the Cloudomation service desk (one user)"
  devicesIncluded: null,
  uptimeTarget: null,
  escalation: { contacts: [], keyword: null },
  browseSharedTickets: true, // "Ability to browse shared service desk tickets from other customers"
  notes: [
    'The guaranteed response time is not given; one business day (P1D) for every priority is chosen, since ' +
      'standard support is explicitly not tiered.',
    HOURS_NOTE,
    UPDATE_NOTE,
  ],
};

export const cloudomationPremium: PlanInput = {
  id: 'cloudomation-premium',
  vendor: 'Cloudomation',
  name: 'Premium support',
  calendar: officeHours,
  levels: {
    P1: {
      name: 'Critical',
      response: 'PT2H',
      update: 'when-done',
      resolution: 'P2D',
      byCategory: byType(true, 'P1D'),
    },
    P2: {
      name: 'Major',
      response: 'PT4H',
      update: 'when-done',
      resolution: 'P5D',
      byCategory: byType(true, 'P1D'),
    },
    P3: {
      name: 'Minor',
      response: 'P1D',
      update: 'when-done',
      resolution: 'P10D',
      byCategory: byType(false, 'P1D'),
    },
    P4: { name: 'Cosmetic', response: 'P2D', update: 'when-done', byCategory: byType(false, 'P2D') },
  },
  channels: ['form', 'email'],
  seats: 3, // "up to three users"
  devicesIncluded: null,
  uptimeTarget: null,
  escalation: { contacts: [], keyword: null },
  browseSharedTickets: true,
  notes: [
    'Tiered response times are not given; chosen: P1 2 h, P2 4 h, P3 1 business day, P4 2 business days, so ' +
      'that each tier is at least twice as fast as the standard package for urgent work.',
    'Guaranteed resolution times are not given; chosen: P1 2, P2 5, P3 10 business days; cosmetic issues are ' +
      'resolved when done.',
    TYPE_NOTE,
    HOURS_NOTE,
    UPDATE_NOTE,
  ],
};

export const cloudomation24x7: PlanInput = {
  id: 'cloudomation-24x7',
  vendor: 'Cloudomation',
  name: '24/7 support',
  calendar: officeHours,
  levels: {
    P1: {
      name: 'Critical',
      response: 'PT1H',
      update: 'when-done',
      resolution: 'P1D',
      calendar: allHours,
      byCategory: byType(true, 'P1D'),
    },
    P2: {
      name: 'Major',
      response: 'PT2H',
      update: 'when-done',
      resolution: 'P3D',
      calendar: allHours,
      byCategory: byType(true, 'P1D'),
    },
    P3: {
      name: 'Minor',
      response: 'PT4H',
      update: 'when-done',
      resolution: 'P10D',
      byCategory: byType(false, 'P1D'),
    },
    P4: { name: 'Cosmetic', response: 'P1D', update: 'when-done', byCategory: byType(false, 'P1D') },
  },
  channels: ['form', 'email', 'phone'],
  seats: 3,
  devicesIncluded: null,
  uptimeTarget: null,
  escalation: { contacts: [], keyword: null },
  browseSharedTickets: true,
  notes: [
    'The seed names a 24/7 package without figures. Chosen: critical and major tickets count around the clock ' +
      '(P1 1 h response, resolution within 1 day; P2 2 h, 3 days); minor and cosmetic tickets count in office ' +
      'hours like premium, slightly faster.',
    'Seats are not given; the premium figure (3) is kept, and phone is added for out-of-hours incidents.',
    TYPE_NOTE,
    HOURS_NOTE,
    UPDATE_NOTE,
  ],
};
