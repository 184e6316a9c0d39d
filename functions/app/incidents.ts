// Incidents: what was down, when, for whom. The uptime maths over them lives in the report.
import { NotFound, RuleViolation, VersionConflict } from '../../domain/errors';
import type { Deps, IncidentRecord } from '../ports';
import { iso, newId, type Principal, requireRole } from './common';

// An incident longer than this is a data-entry mistake, not an outage.
const MAX_INCIDENT_DAYS = 366;

export interface IncidentInput {
  component: string;
  startedAt: string;
  endedAt?: string | null | undefined;
  customerIds?: string[] | null | undefined;
  planned?: boolean | undefined;
}

async function validate(deps: Deps, incident: IncidentRecord): Promise<void> {
  const start = Date.parse(incident.startedAt);
  // The same bound for open and closed incidents: an open one lasts until now.
  const open = incident.endedAt === null;
  const end = open ? Math.max(deps.clock.now(), start) : Date.parse(incident.endedAt!);
  if (end < start) throw new RuleViolation('ends-before-start', 'endedAt is before startedAt', 'endedAt');
  if (end - start > MAX_INCIDENT_DAYS * 86_400_000) {
    throw new RuleViolation(
      'too-long',
      open
        ? `an incident lasts at most ${MAX_INCIDENT_DAYS} days, and this open one started ${incident.startedAt}; ` +
            'check startedAt, or set endedAt'
        : `an incident lasts at most ${MAX_INCIDENT_DAYS} days`,
      open ? 'startedAt' : 'endedAt',
    );
  }
  for (const id of incident.customerIds ?? []) {
    if (!(await deps.directory.getCustomer(id))) {
      throw new RuleViolation('unknown-customer', `customer ${id} does not exist`, 'customerIds');
    }
  }
}

export async function createIncident(
  deps: Deps,
  principal: Principal,
  input: IncidentInput,
): Promise<IncidentRecord> {
  requireRole(principal, ['admin', 'agent'], 'record incidents');
  const now = iso(deps.clock.now());
  const incident: IncidentRecord = {
    id: newId('INC'),
    component: input.component,
    startedAt: iso(Date.parse(input.startedAt)),
    endedAt: input.endedAt ? iso(Date.parse(input.endedAt)) : null,
    customerIds: input.customerIds ?? null,
    planned: input.planned ?? false,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await validate(deps, incident);
  await deps.incidents.create(incident);
  return incident;
}

export async function updateIncident(
  deps: Deps,
  principal: Principal,
  id: string,
  input: Partial<IncidentInput>,
  expectedVersion?: number,
): Promise<IncidentRecord> {
  requireRole(principal, ['admin', 'agent'], 'update incidents');
  for (let attempt = 1; ; attempt++) {
    const current = await deps.incidents.get(id);
    if (!current) throw new NotFound('incident', id);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new VersionConflict('incident', id, expectedVersion, current.version);
    }
    const next: IncidentRecord = {
      ...current,
      ...(input.component !== undefined ? { component: input.component } : {}),
      ...(input.startedAt !== undefined ? { startedAt: iso(Date.parse(input.startedAt)) } : {}),
      ...(input.endedAt !== undefined
        ? { endedAt: input.endedAt === null ? null : iso(Date.parse(input.endedAt)) }
        : {}),
      ...(input.customerIds !== undefined ? { customerIds: input.customerIds } : {}),
      ...(input.planned !== undefined ? { planned: input.planned } : {}),
      updatedAt: iso(deps.clock.now()),
      version: current.version + 1,
    };
    await validate(deps, next);
    try {
      await deps.incidents.update(next, current.version);
      return next;
    } catch (error) {
      if (!(error instanceof VersionConflict) || expectedVersion !== undefined || attempt >= 5) throw error;
    }
  }
}
