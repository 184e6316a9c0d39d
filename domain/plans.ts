// Support plans: per priority level a target for first response, status updates and
// resolution, each counted in a calendar; plus channels, seats, devices, uptime target and
// escalation. Presets for every seed plan live in presets/; custom plans use the same schema.

import { type BusinessCalendar, businessCalendar, type Calendar, CalendarSchema } from './calendar';
import { type BusinessDuration, describeTarget, Target, targetDuration } from './duration';
import { DEFAULT_POLICY, EscalationPolicy } from './escalation-policy';
import { decimalNumber, wholeNumber } from './numbers';
import type { Category } from './ticket';
import * as z from './zod';

/** Contacts of one customer, at most (each claims its address in the customer's transaction). */
export const MAX_CONTACTS = 90;
/** Seats a plan may sell: never more than a customer can have contacts. */
export const MAX_SEATS = MAX_CONTACTS;
/** Devices one customer may register. */
export const MAX_DEVICES = 10_000;

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

export const CHANNELS = ['form', 'email', 'phone', 'chat', 'api', 'monitoring'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const CLOCKS = ['response', 'update', 'resolution'] as const;
export type ClockName = (typeof CLOCKS)[number];

/** Targets of one ticket type within a level, where they differ from the level's own. */
export const CategoryTargets = z.object({
  response: z.optional(Target),
  update: z.optional(Target),
  resolution: z.optional(Target),
});

export const Level = z.object({
  /** The seed's word for the level: Critical, Major, Minor, Cosmetic. */
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  /** Who is told or paged at this level's warnings and breaches, where it differs from the plan's. */
  escalationPolicy: z.optional(EscalationPolicy),
  response: Target,
  update: Target,
  resolution: z._default(Target, 'when-done'),
  /**
   * Targets by ticket type (Cloudomation premium: "tiered to ticket type and severity"): a
   * ticket of that category is held to these instead of the level's, clock by clock.
   */
  byCategory: z.optional(
    z.strictObject({
      bug: z.optional(CategoryTargets),
      'configuration-error': z.optional(CategoryTargets),
      advice: z.optional(CategoryTargets),
      'configuration-request': z.optional(CategoryTargets),
      'feature-request': z.optional(CategoryTargets),
    } satisfies Record<Category, z.ZodMiniType>),
  ),
  /** This level counts in its own calendar (Platform.sh Enterprise P1 is 24/7). */
  calendar: z.optional(CalendarSchema),
});
export type Level = z.infer<typeof Level>;

export const PlanSchema = z.object({
  id: z
    .string()
    .check(
      z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a kebab-case id such as acme-gold'),
      z.maxLength(64),
    ),
  /** Bumped on every change; tickets record the version their clocks were computed with. */
  version: z._default(wholeNumber(1, 1_000_000), 1),
  vendor: z.string().check(z.minLength(1), z.maxLength(200)),
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  calendar: CalendarSchema,
  levels: z.object({ P1: Level, P2: Level, P3: Level, P4: Level }),
  /** The priority a ticket gets when the requester names none (an e-mail without a [Pn] tag). */
  defaultPriority: z._default(Priority, 'P3'),
  channels: z.array(Channel).check(z.maxLength(CHANNELS.length)),
  /** Contacts of one customer who may open tickets; null is unlimited. */
  seats: z.nullable(wholeNumber(0, MAX_SEATS)),
  devicesIncluded: z.nullable(wholeNumber(0, MAX_DEVICES)),
  /** Platform uptime promised, in percent (99.999); null where the plan promises none. */
  uptimeTarget: z.nullable(decimalNumber(1, 100, 5)),
  /** Planned maintenance does not count as downtime only where the plan says so. */
  excludePlannedMaintenance: z._default(z.boolean(), false),
  /** Credits owed when monthly uptime falls below a tier (none unless the plan defines them). */
  serviceCredits: z._default(
    z
      .array(z.object({ belowPercent: decimalNumber(1, 100, 5), creditPercent: decimalNumber(0.01, 100, 2) }))
      .check(z.maxLength(20)),
    [],
  ),
  escalation: z.object({
    contacts: z._default(z.array(z.email().check(z.maxLength(254))).check(z.maxLength(50)), []),
    /** A word in a customer's message that escalates the ticket at once (Platform.sh). */
    keyword: z._default(z.nullable(z.string().check(z.minLength(2), z.maxLength(100))), null),
    /** The phone number the customer calls to escalate (Ombori "escalation phone option"), shown in the portal. */
    phone: z._default(
      z.nullable(
        z
          .string()
          .check(
            z.regex(/^\+[1-9][0-9 ]{6,19}$/, 'expected an international number such as +46 8 123 456 78'),
          ),
      ),
      null,
    ),
    /** Who is told or paged, and when, while a warning or breach goes unacknowledged. */
    policy: z._default(EscalationPolicy, DEFAULT_POLICY),
  }),
  browseSharedTickets: z._default(z.boolean(), false),
  /**
   * A customer may name its support manager, an agent (Ombori Production and Enterprise:
   * "Dedicated support manager"): copied on the monthly report and P1 notices, and the default
   * assignee of the customer's tickets.
   */
  supportManager: z._default(z.boolean(), false),
  /**
   * The monthly report suggests where tickets could be prevented (Ombori Production and
   * Enterprise: "Analytics and reports, with proactive learning suggestions"; insights.ts).
   */
  learningSuggestions: z._default(z.boolean(), false),
  /** Agents may route the customer's tickets to an onsite partner (Ombori Pilot and up; partners.ts). */
  onsitePartners: z._default(z.boolean(), false),
  /** Where a figure was chosen because the seed gives none, and why. */
  notes: z._default(z.array(z.string().check(z.maxLength(2000))).check(z.maxLength(50)), []),
});
export type Plan = z.infer<typeof PlanSchema>;
export type PlanInput = z.input<typeof PlanSchema>;

/**
 * The channel of a ticket whose request names none: it came through the customer's own access
 * to the desk, the online form or the API, whichever the plan accepts first. Null where the
 * plan accepts neither: such a request must name its channel.
 */
export function defaultChannel(plan: Plan): Channel | null {
  return (['form', 'api'] as const).find((c) => plan.channels.includes(c)) ?? null;
}

/**
 * A level's promise as the ticket form shows it: "P1 Critical: first response within 4 business
 * hours, Mon-Fri 08:00-18:00 (Europe/Stockholm, SE public holidays)".
 */
export function promiseInWords(plan: Plan, priority: Priority): string {
  const level = plan.levels[priority];
  const response =
    level.response === 'best-effort' || level.response === 'when-done'
      ? `first response ${describeTarget(level.response)}`
      : `first response within ${describeTarget(level.response)}`;
  return `${priority} ${level.name}: ${response}, ${businessCalendar(levelCalendar(plan, priority)).describe()}`;
}

/** The calendar a priority level counts in: its own, else the plan's. */
export function levelCalendar(plan: Plan, priority: Priority): Calendar {
  return plan.levels[priority].calendar ?? plan.calendar;
}

export interface ClockRule {
  target: Target;
  duration: BusinessDuration | null;
  calendar: BusinessCalendar;
  /** The ticket type whose own target applies, or null where the level's does. */
  override: Category | null;
}

/**
 * What a clock of a priority level promises for a ticket of a category, and in which calendar
 * it counts: the category's own target where the level has one, else the level's.
 */
export function clockRule(
  plan: Plan,
  priority: Priority,
  clock: ClockName,
  category: Category | null = null,
): ClockRule {
  const level = plan.levels[priority];
  const own = category ? level.byCategory?.[category]?.[clock] : undefined;
  const target = own ?? level[clock];
  return {
    target,
    duration: targetDuration(target),
    calendar: businessCalendar(levelCalendar(plan, priority)),
    override: own ? category : null,
  };
}
