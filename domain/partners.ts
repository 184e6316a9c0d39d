// Onsite support partners (Ombori Pilot, Production, Enterprise: "No onsite support,
// possibility to have tickets routed to onsite support partner"; "tickets that need onsite
// support, after troubleshooting and remote investigation can be routed to a local support
// partner"). Admins keep the partners; agents route a ticket to one. What routing may do, and
// what a partner's answer does to the ticket, is decided here.
import { RuleViolation } from './errors';
import type { Plan } from './plans';
import type { Status } from './ticket';

/** Partners the desk keeps, at most. */
export const MAX_PARTNERS = 500;
/** Regions one partner covers, at most. */
export const MAX_REGIONS = 50;
/**
 * A region: an ISO 3166-1 country (SE) or one of its subdivisions (SE-AB, US-CA), upper case:
 * the codes date-holidays uses for calendars.
 */
export const REGION = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;

/**
 * Whether a partner working in `regions` serves `region`: a country covers its subdivisions
 * (SE serves SE-AB), and a partner in a subdivision works in its country (SE-AB serves SE).
 */
export function servesRegion(regions: readonly string[], region: string): boolean {
  return regions.some((r) => r === region || region.startsWith(`${r}-`) || r.startsWith(`${region}-`));
}

/**
 * Throws when a ticket may not be routed to a partner: the plan has no onsite partners, or the
 * desk owes the customer nothing more on it (resolved, closed).
 */
export function checkRouting(plan: Plan, status: Status, ticketId: string): void {
  if (!plan.onsitePartners) {
    throw new RuleViolation(
      'no-onsite-partners',
      `plan ${plan.id} does not include routing tickets to onsite partners`,
    );
  }
  if (status === 'resolved' || status === 'closed') {
    throw new RuleViolation(
      'ticket-not-open',
      `ticket ${ticketId} is ${status}; reopen it before routing it to a partner`,
    );
  }
}
