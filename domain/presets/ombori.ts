// Ombori support plans (seed 001): Free, Pilot, Production, Enterprise. Levels 1-4 of the
// seed are P1-P4 (Critical, Major, Minor, Cosmetic); "CET" is counted in Europe/Stockholm.
import { MON_FRI, MON_SUN, weeklyHours } from '../calendar';
import type { PlanInput } from '../plans';

const STOCKHOLM = 'Europe/Stockholm';

const SEATS_NOTE =
  'Seats: the seed sets no limit on how many client contacts may register tickets, so seats are unlimited.';
const DEVICES_NOTE =
  'Devices: the plan text says 3 / 3 / 60 / 500 devices (Free / Pilot / Production / Enterprise) while the ' +
  'glossary says "3/10/100/Unlimited"; the plan texts are more specific and are used.';
const UPTIME_NOTE =
  'Uptime: the seed promises 99.999 % platform uptime but names no service credits and no planned-maintenance ' +
  'exclusion, so none are applied: every outage counts, and no credit is computed.';
const HOLIDAYS_NOTE =
  'Holidays: the seed names none; a Mon-Fri desk in Sweden closes on Swedish public holidays (date-holidays SE).';

export const omboriFree: PlanInput = {
  id: 'ombori-free',
  vendor: 'Ombori',
  name: 'Free',
  calendar: {
    name: 'Ombori weekdays 08-17',
    timeZone: STOCKHOLM,
    weekly: weeklyHours(MON_FRI, '08:00', '17:00'),
    holidayRegion: 'SE',
  },
  // "1-4 All: Best Effort, When done, 8:00 - 17:00, Mon-Fri"
  levels: {
    P1: { name: 'Critical', response: 'best-effort', update: 'when-done' },
    P2: { name: 'Major', response: 'best-effort', update: 'when-done' },
    P3: { name: 'Minor', response: 'best-effort', update: 'when-done' },
    P4: { name: 'Cosmetic', response: 'best-effort', update: 'when-done' },
  },
  channels: ['form'], // "Register tickets in online form"
  seats: null,
  devicesIncluded: 3, // "Maximum 3 devices" (and no additional devices on Free)
  uptimeTarget: null, // no SLA on Free
  escalation: { contacts: [], keyword: null },
  notes: [
    SEATS_NOTE,
    HOLIDAYS_NOTE,
    'Free cannot add devices beyond 3 ("you cannot add additional devices").',
  ],
};

export const omboriPilot: PlanInput = {
  id: 'ombori-pilot',
  vendor: 'Ombori',
  name: 'Pilot',
  calendar: {
    name: 'Ombori weekdays 08-18',
    timeZone: STOCKHOLM,
    weekly: weeklyHours(MON_FRI, '08:00', '18:00'),
    holidayRegion: 'SE',
  },
  levels: {
    P1: { name: 'Critical', response: 'PT4H', update: 'PT4H' },
    P2: { name: 'Major', response: 'PT8H', update: 'PT8H' },
    P3: { name: 'Minor', response: 'PT48H', update: 'when-done' },
    P4: { name: 'Cosmetic', response: 'P5D', update: 'when-done' },
  },
  // Online form; "remote monitoring and proactive remote resolution" opens tickets from alerts.
  channels: ['form', 'monitoring'],
  seats: null,
  devicesIncluded: 3,
  uptimeTarget: 99.999,
  onsitePartners: true, // "possibility to have tickets routed to onsite support partner"
  escalation: { contacts: [], keyword: null },
  notes: [
    SEATS_NOTE,
    DEVICES_NOTE,
    HOLIDAYS_NOTE,
    UPTIME_NOTE,
    '"48 hours" (P3) is 48 open hours of the 08-18 desk (4.8 business days); "5 days" (P4) is 5 business days.',
  ],
};

export const omboriProduction: PlanInput = {
  id: 'ombori-production',
  vendor: 'Ombori',
  name: 'Production',
  calendar: {
    name: 'Ombori every day 08-21',
    timeZone: STOCKHOLM,
    weekly: weeklyHours(MON_SUN, '08:00', '21:00'),
  },
  levels: {
    P1: { name: 'Critical', response: 'PT30M', update: 'PT1H' },
    P2: { name: 'Major', response: 'PT1H', update: 'PT2H' },
    P3: { name: 'Minor', response: 'PT8H', update: 'when-done' },
    P4: { name: 'Cosmetic', response: 'PT48H', update: 'when-done' },
  },
  // "Register tickets by phone, chat, online form and through e-mail" plus monitoring alerts.
  channels: ['phone', 'chat', 'form', 'email', 'monitoring'],
  seats: null,
  devicesIncluded: 60,
  supportManager: true, // "Dedicated support manager"
  learningSuggestions: true, // "Analytics and reports, with proactive learning suggestions"
  uptimeTarget: 99.999,
  onsitePartners: true, // "possibility to have tickets routed to onsite support partner"
  escalation: { contacts: [], keyword: null },
  notes: [
    SEATS_NOTE,
    DEVICES_NOTE,
    'Holidays: a Mon-Sun desk is taken to be open on public holidays too; add closures to a custom plan if not.',
    UPTIME_NOTE,
  ],
};

export const omboriEnterprise: PlanInput = {
  id: 'ombori-enterprise',
  vendor: 'Ombori',
  name: 'Enterprise',
  calendar: {
    name: 'Ombori 24/7',
    timeZone: STOCKHOLM,
    weekly: weeklyHours(MON_SUN, '00:00', '24:00'),
  },
  levels: {
    P1: { name: 'Critical', response: 'PT30M', update: 'PT1H' },
    P2: { name: 'Major', response: 'PT1H', update: 'PT2H' },
    P3: { name: 'Minor', response: 'PT8H', update: 'when-done' },
    P4: { name: 'Cosmetic', response: 'PT48H', update: 'when-done' },
  },
  // "ticket flow integration to client servicedesk solution" comes in over the API.
  channels: ['phone', 'chat', 'form', 'email', 'api', 'monitoring'],
  seats: null,
  devicesIncluded: 500,
  supportManager: true, // "Dedicated support manager"
  learningSuggestions: true, // "Analytics and reports, with proactive learning suggestions"
  uptimeTarget: 99.999,
  onsitePartners: true, // "possibility to have tickets routed to onsite support partner"
  escalation: { contacts: [], keyword: null },
  notes: [SEATS_NOTE, DEVICES_NOTE, 'A 24/7 desk has no holidays.', UPTIME_NOTE],
};
