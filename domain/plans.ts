// Support plans: per priority level a target for first response, status updates and
// resolution, each counted in a calendar; plus channels, seats, devices, uptime target and
// escalation. Presets for every seed plan live in presets/; custom plans use the same schema.
import * as z from 'zod';
import { type BusinessCalendar, businessCalendar, type Calendar, CalendarSchema } from './calendar';
import { type BusinessDuration, describeTarget, Target, targetDuration } from './duration';
import { DEFAULT_POLICY, EscalationPolicy } from './escalation-policy';
import { decimalNumber, wholeNumber } from './numbers';
import type { Category } from './ticket';

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
  response: Target.optional(),
  update: Target.optional(),
  resolution: Target.optional(),
});

export const Level = z.object({
  /** The seed's word for the level: Critical, Major, Minor, Cosmetic. */
  name: z.string().min(1).max(100),
  /** Who is told or paged at this level's warnings and breaches, where it differs from the plan's. */
  escalationPolicy: EscalationPolicy.optional(),
  response: Target,
  update: Target,
  resolution: Target.default('when-done'),
  /**
   * Targets by ticket type (Cloudomation premium: "tiered to ticket type and severity"): a
   * ticket of that category is held to these instead of the level's, clock by clock.
   */
  byCategory: z
    .strictObject({
      bug: CategoryTargets.optional(),
      'configuration-error': CategoryTargets.optional(),
      advice: CategoryTargets.optional(),
      'configuration-request': CategoryTargets.optional(),
      'feature-request': CategoryTargets.optional(),
    } satisfies Record<Category, z.ZodType>)
    .optional(),
  /** This level counts in its own calendar (Platform.sh Enterprise P1 is 24/7). */
  calendar: CalendarSchema.optional(),
});
export type Level = z.infer<typeof Level>;

export const PlanSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a kebab-case id such as acme-gold')
    .max(64),
  /** Bumped on every change; tickets record the version their clocks were computed with. */
  version: wholeNumber(1, 1_000_000).default(1),
  vendor: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  calendar: CalendarSchema,
  levels: z.object({ P1: Level, P2: Level, P3: Level, P4: Level }),
  /** The priority a ticket gets when the requester names none (an e-mail without a [Pn] tag). */
  defaultPriority: Priority.default('P3'),
  channels: z.array(Channel).max(CHANNELS.length),
  /** Contacts of one customer who may open tickets; null is unlimited. */
  seats: wholeNumber(0, MAX_SEATS).nullable(),
  devicesIncluded: wholeNumber(0, MAX_DEVICES).nullable(),
  /** Platform uptime promised, in percent (99.999); null where the plan promises none. */
  uptimeTarget: decimalNumber(1, 100, 5).nullable(),
  /** Planned maintenance does not count as downtime only where the plan says so. */
  excludePlannedMaintenance: z.boolean().default(false),
  /** Credits owed when monthly uptime falls below a tier (none unless the plan defines them). */
  serviceCredits: z
    .array(z.object({ belowPercent: decimalNumber(1, 100, 5), creditPercent: decimalNumber(0.01, 100, 2) }))
    .max(20)
    .default([]),
  escalation: z.object({
    contacts: z.array(z.email().max(254)).max(50).default([]),
    /** A word in a customer's message that escalates the ticket at once (Platform.sh). */
    keyword: z.string().min(2).max(100).nullable().default(null),
    /** The phone number the customer calls to escalate (Ombori "escalation phone option"), shown in the portal. */
    phone: z
      .string()
      .regex(/^\+[1-9][0-9 ]{6,19}$/, 'expected an international number such as +46 8 123 456 78')
      .nullable()
      .default(null),
    /** Who is told or paged, and when, while a warning or breach goes unacknowledged. */
    policy: EscalationPolicy.default(DEFAULT_POLICY),
  }),
  browseSharedTickets: z.boolean().default(false),
  /**
   * A customer may name its support manager, an agent (Ombori Production and Enterprise:
   * "Dedicated support manager"): copied on the monthly report and P1 notices, and the default
   * assignee of the customer's tickets.
   */
  supportManager: z.boolean().default(false),
  /**
   * The monthly report suggests where tickets could be prevented (Ombori Production and
   * Enterprise: "Analytics and reports, with proactive learning suggestions"; insights.ts).
   */
  learningSuggestions: z.boolean().default(false),
  /** Agents may route the customer's tickets to an onsite partner (Ombori Pilot and up; partners.ts). */
  onsitePartners: z.boolean().default(false),
  /** Where a figure was chosen because the seed gives none, and why. */
  notes: z.array(z.string().max(2000)).max(50).default([]),
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
