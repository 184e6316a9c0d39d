// Who is on call for a team at an instant: rotations that hand off daily or weekly at a local
// time of the team's zone (a 09:00 hand-off stays 09:00 across daylight saving), several layers
// (a higher layer wins where it covers the time: a weekend or follow-the-sun layer over the
// base rotation), and overrides (vacation, swaps) over every layer. No one on call is a state
// of its own, named with when it ends, never an empty answer. PagerDuty's schedules, in short.

import type { Instant } from './calendar';
import { DayHours, minuteOfDay, TimeOfDay, WEEKDAYS, type Weekday } from './opening-hours';
import * as z from './zod';
import { DAY_MS, isoWeekday, isTimeZone, localDay, wallInstant } from './zone';

export const MAX_LAYERS = 10;
export const MAX_MEMBERS = 50;
export const MAX_OVERRIDES = 500;

const IsoDate = z.string().check(
  z.refine((d) => {
    const t = /^\d{4}-\d{2}-\d{2}$/.test(d) ? Date.parse(`${d}T00:00:00Z`) : Number.NaN;
    return Number.isFinite(t) && new Date(t).toISOString().startsWith(d) && d >= '1970' && d < '2200';
  }, 'expected a real date as YYYY-MM-DD, between 1970 and 2200'),
);

export const Rotation = z.object({
  /** Staff ids in hand-off order; the first takes the first shift. */
  members: z
    .array(z.string().check(z.minLength(1), z.maxLength(40)))
    .check(z.minLength(1), z.maxLength(MAX_MEMBERS)),
  handoff: z.enum(['daily', 'weekly']),
  /** The local time of the hand-off (not 24:00). */
  at: TimeOfDay.check(z.refine((t) => t !== '24:00', 'a hand-off is at 00:00-23:59')),
  /** The local date the first shift starts, at `at`. */
  startsOn: IsoDate,
});
export type Rotation = z.infer<typeof Rotation>;

export const Layer = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
  rotation: Rotation,
  /** The hours of the week this layer covers (local); absent: all of them. */
  covers: z.optional(
    z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, DayHours])) as Record<Weekday, typeof DayHours>),
  ),
});
export type Layer = z.infer<typeof Layer>;

export const Override = z
  .object({
    staffId: z.string().check(z.minLength(1), z.maxLength(40)),
    from: z.number().check(z.int()),
    to: z.number().check(z.int()),
    note: z.optional(z.string().check(z.maxLength(200))),
  })
  .check(z.refine((o) => o.from < o.to, { message: 'an override ends after it starts', path: ['to'] }));
export type Override = z.infer<typeof Override>;

export const OnCallSchedule = z.object({
  timeZone: z.string().check(z.refine(isTimeZone, 'expected an IANA time zone such as Europe/Stockholm')),
  /** Lowest first: a later layer wins where it covers the time and has someone. */
  layers: z.array(Layer).check(z.maxLength(MAX_LAYERS)),
  /** A later override wins over an earlier one where they overlap. */
  overrides: z.array(Override).check(z.maxLength(MAX_OVERRIDES)),
});
export type OnCallSchedule = z.infer<typeof OnCallSchedule>;

export type OnCall =
  | { staffId: string; by: { override: number } | { layer: string }; since: Instant; until: Instant }
  | { staffId: null; since: Instant; until: Instant };

/** How far to look for the next change: past this, "until" is this far ahead. */
const HORIZON_MS = 400 * DAY_MS;

const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;

/** The instant shift `k` of a rotation begins (its local hand-off time on its day). */
function shiftStart(zone: string, rotation: Rotation, k: number): Instant {
  const day = new Date((dayNumber(rotation.startsOn) + k * (rotation.handoff === 'weekly' ? 7 : 1)) * DAY_MS);
  return wallInstant(
    zone,
    day.getUTCFullYear(),
    day.getUTCMonth() + 1,
    day.getUTCDate(),
    minuteOfDay(rotation.at) * 60_000,
  );
}

/** The shift of a rotation at `t`: its number and bounds, or null before the rotation starts. */
function shiftAt(
  zone: string,
  rotation: Rotation,
  t: Instant,
): { k: number; start: Instant; end: Instant } | null {
  const period = rotation.handoff === 'weekly' ? 7 : 1;
  let k = Math.floor((localDay(zone, t) / DAY_MS - dayNumber(rotation.startsOn)) / period);
  while (shiftStart(zone, rotation, k) > t) k--;
  while (shiftStart(zone, rotation, k + 1) <= t) k++;
  if (k < 0) return null;
  return { k, start: shiftStart(zone, rotation, k), end: shiftStart(zone, rotation, k + 1) };
}

/** Whether a layer's covered hours include `t` (local), and when that changes. */
function coverage(
  zone: string,
  layer: Layer,
  t: Instant,
): { covered: boolean; since: Instant; until: Instant } {
  if (!layer.covers) return { covered: true, since: -Infinity, until: Infinity };
  // The covered intervals of the days around t, as instants; then where t falls.
  const today = localDay(zone, t);
  const edges: [Instant, Instant][] = [];
  for (let d = -8; d <= 8; d++) {
    const wall = today + d * DAY_MS;
    const date = new Date(wall);
    const weekday = WEEKDAYS[isoWeekday(wall) - 1]!;
    for (const h of layer.covers[weekday]) {
      const at = (m: number) =>
        wallInstant(zone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), m * 60_000);
      edges.push([at(minuteOfDay(h.from)), at(minuteOfDay(h.to))]);
    }
  }
  edges.sort((a, b) => a[0] - b[0]);
  // Adjacent intervals (23:00-24:00, then 00:00-01:00) are one stretch.
  const merged: [Instant, Instant][] = [];
  for (const e of edges) {
    const last = merged.at(-1);
    if (last && e[0] <= last[1]) last[1] = Math.max(last[1], e[1]);
    else merged.push([...e]);
  }
  const inside = merged.find(([a, b]) => a <= t && t < b);
  if (inside) return { covered: true, since: inside[0], until: inside[1] };
  const before = merged.filter(([, b]) => b <= t).at(-1);
  const after = merged.find(([a]) => a > t);
  return { covered: false, since: before?.[1] ?? t - 8 * DAY_MS, until: after?.[0] ?? t + 8 * DAY_MS };
}

/** Who the layers put on call at `t`, with the stretch it holds for. */
function fromLayers(schedule: OnCallSchedule, t: Instant): OnCall {
  let since = -Infinity;
  let until = Infinity;
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const layer = schedule.layers[i]!;
    const cover = coverage(schedule.timeZone, layer, t);
    const shift = shiftAt(schedule.timeZone, layer.rotation, t);
    if (cover.covered && shift) {
      const members = layer.rotation.members;
      return {
        staffId: members[shift.k % members.length]!,
        by: { layer: layer.name },
        since: Math.max(since, cover.since, shift.start),
        until: Math.min(until, cover.until, shift.end),
      };
    }
    // Not this layer now: it takes over when it begins to cover the time, or its rotation begins.
    until = Math.min(until, cover.covered ? shiftStart(schedule.timeZone, layer.rotation, 0) : cover.until);
    if (!cover.covered) since = Math.max(since, cover.since);
  }
  return { staffId: null, since, until };
}

/** Who is on call for the schedule's team at `t`, by which rule, since when and until when. */
export function onCallAt(schedule: OnCallSchedule, t: Instant): OnCall {
  let result = fromLayers(schedule, t);
  // Overrides over the layers: the latest one covering t wins; one starting later cuts this short.
  let winner = -1;
  schedule.overrides.forEach((o, i) => {
    if (o.from <= t && t < o.to) winner = i;
  });
  if (winner >= 0) {
    const o = schedule.overrides[winner]!;
    result = { staffId: o.staffId, by: { override: winner }, since: o.from, until: o.to };
  }
  let { since, until } = result;
  schedule.overrides.forEach((o, i) => {
    if (i === winner) return;
    // A later override starting inside takes over; an earlier one ending inside gives way.
    if (o.from > t && o.from < until && (winner < 0 || i > winner)) until = o.from;
    if (o.to <= t && o.to > since) since = o.to;
    if (winner < 0 && o.from <= t && o.to > t) until = Math.min(until, o.to);
  });
  until = Math.min(until, t + HORIZON_MS);
  since = Math.max(since, t - HORIZON_MS);
  return { ...result, since, until };
}

/** Who is on call from `from` to `to`, stretch by stretch (the console's calendar, "who is next"). */
export function onCallBetween(schedule: OnCallSchedule, from: Instant, to: Instant): OnCall[] {
  const out: OnCall[] = [];
  let t = from;
  while (t < to && out.length < 2_000) {
    const now = onCallAt(schedule, t);
    const stretch = { ...now, since: Math.max(now.since, from), until: Math.min(now.until, to) };
    const last = out.at(-1);
    if (last && last.staffId === stretch.staffId && last.until === stretch.since) last.until = stretch.until;
    else out.push(stretch);
    t = stretch.until;
  }
  return out;
}

/**
 * How a team is reached when a step pages it: the desk pages the person on call itself (a text
 * message to their phone, else a mail), or hands the page to the team's PagerDuty service
 * (Events API v2, by routing key) or Opsgenie team, whose own schedules then page.
 */
export const PagingService = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('desk') }),
  z.object({
    kind: z.literal('pagerduty'),
    /** The service's Events API v2 integration key: written, never served back whole. */
    routingKey: z
      .string()
      .check(z.regex(/^[A-Za-z0-9]{32}$/, 'expected a 32-character Events API v2 integration key')),
  }),
  z.object({
    kind: z.literal('opsgenie'),
    /** The Opsgenie team the alert is for (its name, as Opsgenie shows it). */
    team: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  }),
]);
export type PagingService = z.infer<typeof PagingService>;

/** A team's on-call: who is paged first and second, who last, and through what. */
export const TeamOnCall = z.object({
  primary: OnCallSchedule,
  /** The secondary's schedule (PagerDuty's "secondary" layer of an escalation policy), or none. */
  secondary: z._default(z.nullable(OnCallSchedule), null),
  /** The person paged when a policy reaches the director (a staff id), or none. */
  director: z._default(z.nullable(z.string().check(z.minLength(1), z.maxLength(40))), null),
  service: z._default(PagingService, { kind: 'desk' }),
});
export type TeamOnCall = z.infer<typeof TeamOnCall>;

/** Every person a team's on-call names (the schedule's members and overrides, the director). */
export function peopleOf(onCall: TeamOnCall): string[] {
  const ofSchedule = (s: OnCallSchedule | null) =>
    s ? [...s.layers.flatMap((l) => l.rotation.members), ...s.overrides.map((o) => o.staffId)] : [];
  return [
    ...new Set([
      ...ofSchedule(onCall.primary),
      ...ofSchedule(onCall.secondary),
      ...(onCall.director ? [onCall.director] : []),
    ]),
  ];
}
