// Request and response bodies of teams' on-call: schedules as domain/on-call.ts defines them,
// with overrides in ISO date-times on the wire.
import * as z from 'zod';
import { MAX_OVERRIDES, OnCallSchedule, PagingService } from '../../domain/on-call';
import { DAY_MS } from '../../domain/zone';
import { MAX_CALENDAR_WEEKS } from '../app/on-call';
import { Id, Instant } from './primitives';

/** An override lasts at most this long (a long absence is a change of the rotation). */
const MAX_OVERRIDE_DAYS = 92;

const OverrideBody = z
  .object({
    staffId: Id,
    from: Instant,
    to: Instant,
    note: z.string().max(200).optional(),
  })
  .refine((o) => Date.parse(o.from) < Date.parse(o.to), {
    message: 'an override ends after it starts',
    path: ['to'],
  })
  .refine((o) => Date.parse(o.to) - Date.parse(o.from) <= MAX_OVERRIDE_DAYS * DAY_MS, {
    message: `an override lasts at most ${MAX_OVERRIDE_DAYS} days`,
    path: ['to'],
  });

const ScheduleBody = OnCallSchedule.extend({
  overrides: z.array(OverrideBody).max(MAX_OVERRIDES).default([]),
});

const ServiceBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('desk') }),
  z.object({
    kind: z.literal('pagerduty'),
    routingKey: PagingService.options[1].shape.routingKey
      .optional()
      .describe('The Events API v2 integration key; absent: the one stored is kept'),
  }),
  PagingService.options[2],
]);

export const OnCallBody = z.object({
  primary: ScheduleBody,
  secondary: ScheduleBody.nullable().default(null),
  director: Id.nullable().default(null).describe('Whom a policy pages last (a staff id)'),
  service: ServiceBody.default({ kind: 'desk' }),
});
export type OnCallBody = z.infer<typeof OnCallBody>;

export const OnCallQuery = z.object({
  weeks: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_CALENDAR_WEEKS)
    .default(4)
    .describe('How far the calendar reaches'),
});

const Stretch = z.object({
  staffId: z.string().nullable().describe('null: no one is on call'),
  name: z.string().nullable(),
  from: Instant,
  to: Instant,
  by: z.string().nullable().describe('The layer, or "override"'),
});
const Rota = z.object({ now: Stretch, next: Stretch.nullable(), calendar: z.array(Stretch) }).nullable();
const OverrideOut = z.object({
  staffId: z.string(),
  from: Instant,
  to: Instant,
  note: z.string().optional(),
});
const ScheduleOut = OnCallSchedule.extend({ overrides: z.array(OverrideOut) });

export const OnCallResponse = z.object({
  teamId: z.string(),
  onCall: z
    .object({
      primary: ScheduleOut,
      secondary: ScheduleOut.nullable(),
      director: z.string().nullable(),
      service: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('desk') }),
        z.object({ kind: z.literal('pagerduty'), routingKeyEnd: z.string() }),
        z.object({ kind: z.literal('opsgenie'), team: z.string() }),
      ]),
      updatedAt: Instant,
      updatedBy: z.string(),
      version: z.number().int(),
    })
    .nullable()
    .describe('null: the team has no on-call yet'),
  primary: Rota,
  secondary: Rota,
});
