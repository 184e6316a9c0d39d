// Teams' on-call: the schedules as stored (admins write them whole, at a version), and who is on
// call now, who next, and the stretches of the coming weeks (the console's calendar).
import { NotFound, RuleViolation, VersionConflict } from '../../domain/errors';
import {
  type OnCall,
  type OnCallSchedule,
  onCallAt,
  onCallBetween,
  peopleOf,
  type TeamOnCall,
} from '../../domain/on-call';
import { DAY_MS } from '../../domain/zone';
import type { Deps, OnCallRecord } from '../ports';
import { iso, type Principal, requireRole } from './common';

/** The calendar shows at most this many weeks ahead. */
export const MAX_CALENDAR_WEEKS = 12;

export interface OnCallStretch {
  staffId: string | null;
  name: string | null;
  from: string;
  to: string;
  /** The layer or override that puts them on call. */
  by: string | null;
}

export interface OnCallView {
  teamId: string;
  /** The record as stored, the PagerDuty key shown by its last 4 characters only. */
  onCall: (Omit<OnCallRecord, 'service'> & { service: ServiceView }) | null;
  primary: { now: OnCallStretch; next: OnCallStretch | null; calendar: OnCallStretch[] } | null;
  secondary: { now: OnCallStretch; next: OnCallStretch | null; calendar: OnCallStretch[] } | null;
}

type ServiceView =
  | { kind: 'desk' }
  | { kind: 'pagerduty'; routingKeyEnd: string }
  | { kind: 'opsgenie'; team: string };

const serviceView = (s: TeamOnCall['service']): ServiceView =>
  s.kind === 'pagerduty' ? { kind: 'pagerduty', routingKeyEnd: s.routingKey.slice(-4) } : s;

async function teamOf(deps: Deps, teamId: string) {
  const team = (await deps.staff.listTeams()).find((t) => t.id === teamId);
  if (!team) throw new NotFound('team', teamId);
  return team;
}

/** Who is on call for a team now and next, and the coming weeks stretch by stretch. */
export async function onCallOf(
  deps: Deps,
  principal: Principal,
  teamId: string,
  weeks: number,
): Promise<OnCallView> {
  requireRole(principal, ['admin', 'agent'], 'see on-call schedules');
  await teamOf(deps, teamId);
  const record = await deps.onCall.get(teamId);
  if (!record) return { teamId, onCall: null, primary: null, secondary: null };
  const names = new Map((await deps.staff.listStaff()).map((p) => [p.id, p.name]));
  const now = deps.clock.now();
  const stretch = (o: OnCall): OnCallStretch => ({
    staffId: o.staffId,
    name: o.staffId === null ? null : (names.get(o.staffId) ?? o.staffId),
    from: iso(o.since),
    to: iso(o.until),
    by: o.staffId === null ? null : 'layer' in o.by ? o.by.layer : 'override',
  });
  const view = (schedule: OnCallSchedule) => {
    const current = stretch(onCallAt(schedule, now));
    const calendar = onCallBetween(schedule, now, now + weeks * 7 * DAY_MS).map(stretch);
    // A person on call shift after shift is on call until the last of them ends.
    const until = calendar[0]?.staffId === current.staffId ? calendar[0]!.to : current.to;
    return { now: { ...current, to: until }, next: calendar[1] ?? null, calendar };
  };
  return {
    teamId,
    onCall: { ...record, service: serviceView(record.service) },
    primary: view(record.primary),
    secondary: record.secondary ? view(record.secondary) : null,
  };
}

export type OnCallInput = Omit<TeamOnCall, 'service'> & {
  service:
    | { kind: 'desk' }
    | { kind: 'pagerduty'; routingKey?: string | undefined }
    | { kind: 'opsgenie'; team: string };
};

/**
 * Replaces a team's on-call (admins): everyone it names must be an active staff member; a
 * PagerDuty service without a key keeps the key stored. `expectedVersion` 0: there is none yet.
 */
export async function putOnCall(
  deps: Deps,
  principal: Principal,
  teamId: string,
  input: OnCallInput,
  expectedVersion: number | undefined,
): Promise<OnCallView> {
  requireRole(principal, ['admin'], 'change on-call schedules');
  await teamOf(deps, teamId);
  const stored = await deps.onCall.get(teamId);
  const version = stored?.version ?? 0;
  if (expectedVersion !== undefined && expectedVersion !== version)
    throw new VersionConflict('on-call of team', teamId, expectedVersion, version);
  let service: TeamOnCall['service'];
  if (input.service.kind === 'pagerduty') {
    const routingKey =
      input.service.routingKey ??
      (stored?.service.kind === 'pagerduty' ? stored.service.routingKey : undefined);
    if (!routingKey)
      throw new RuleViolation(
        'routing-key-missing',
        'a PagerDuty service needs its integration key',
        'service.routingKey',
      );
    service = { kind: 'pagerduty', routingKey };
  } else service = input.service;
  const record: OnCallRecord = {
    ...input,
    service,
    teamId,
    updatedAt: iso(deps.clock.now()),
    updatedBy: principal.name,
    version: version + 1,
  };
  const active = new Set(
    (await deps.staff.listStaff()).filter((p) => p.status !== 'deactivated').map((p) => p.id),
  );
  const unknown = peopleOf(record).find((id) => !active.has(id));
  if (unknown)
    throw new RuleViolation(
      'unknown-staff',
      `${unknown} is not an active staff member`,
      fieldOf(record, unknown),
    );
  await deps.onCall.put(record, version);
  return onCallOf(deps, principal, teamId, 4);
}

/** Where in the body a staff id is first named, for the error. */
function fieldOf(record: TeamOnCall, id: string): string {
  if (record.director === id) return 'director';
  for (const which of ['primary', 'secondary'] as const) {
    const schedule = record[which];
    if (!schedule) continue;
    for (const [i, layer] of schedule.layers.entries()) {
      const m = layer.rotation.members.indexOf(id);
      if (m >= 0) return `${which}.layers.${i}.rotation.members.${m}`;
    }
    const o = schedule.overrides.findIndex((x) => x.staffId === id);
    if (o >= 0) return `${which}.overrides.${o}.staffId`;
  }
  return 'primary';
}
