// Request and response bodies of teams' on-call: schedules as domain/on-call.ts defines them,
// with overrides in ISO date-times on the wire.

import { MAX_OVERRIDES, OnCallSchedule, PagingService } from '../../domain/on-call';
import * as z from '../../domain/zod';
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
    note: z.optional(z.string().check(z.maxLength(200))),
  })
  .check(
    z.refine((o) => Date.parse(o.from) < Date.parse(o.to), {
      message: 'an override ends after it starts',
      path: ['to'],
    }),
    z.refine((o) => Date.parse(o.to) - Date.parse(o.from) <= MAX_OVERRIDE_DAYS * DAY_MS, {
      message: `an override lasts at most ${MAX_OVERRIDE_DAYS} days`,
      path: ['to'],
    }),
  );

const ScheduleBody = z.extend(OnCallSchedule, {
  overrides: z._default(z.array(OverrideBody).check(z.maxLength(MAX_OVERRIDES)), []),
});

const ServiceBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('desk') }),
  z.object({
    kind: z.literal('pagerduty'),
    routingKey: z
      .optional(PagingService.def.options[1].shape.routingKey)
      .check(z.describe('The Events API v2 integration key; absent: the one stored is kept')),
  }),
  PagingService.def.options[2],
]);

export const OnCallBody = z.object({
  primary: ScheduleBody,
  secondary: z._default(z.nullable(ScheduleBody), null),
  director: z._default(z.nullable(Id), null).check(z.describe('Whom a policy pages last (a staff id)')),
  service: z._default(ServiceBody, { kind: 'desk' }),
});
export type OnCallBody = z.infer<typeof OnCallBody>;

export const OnCallQuery = z.object({
  weeks: z
    ._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_CALENDAR_WEEKS)), 4)
    .check(z.describe('How far the calendar reaches')),
});

const Stretch = z.object({
  staffId: z.nullable(z.string()).check(z.describe('null: no one is on call')),
  name: z.nullable(z.string()),
  from: Instant,
  to: Instant,
  by: z.nullable(z.string()).check(z.describe('The layer, or "override"')),
});
const Rota = z.nullable(z.object({ now: Stretch, next: z.nullable(Stretch), calendar: z.array(Stretch) }));
const OverrideOut = z.object({
  staffId: z.string(),
  from: Instant,
  to: Instant,
  note: z.optional(z.string()),
});
const ScheduleOut = z.extend(OnCallSchedule, { overrides: z.array(OverrideOut) });

export const OnCallResponse = z.object({
  teamId: z.string(),
  onCall: z
    .nullable(
      z.object({
        primary: ScheduleOut,
        secondary: z.nullable(ScheduleOut),
        director: z.nullable(z.string()),
        service: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('desk') }),
          z.object({ kind: z.literal('pagerduty'), routingKeyEnd: z.string() }),
          z.object({ kind: z.literal('opsgenie'), team: z.string() }),
        ]),
        updatedAt: Instant,
        updatedBy: z.string(),
        version: z.number().check(z.int()),
      }),
    )
    .check(z.describe('null: the team has no on-call yet')),
  primary: Rota,
  secondary: Rota,
});
