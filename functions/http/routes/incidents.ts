// Incidents (uptime) and the monthly reports that read them.

import { NotFound } from '../../../domain/errors';
import { canSeeCustomer } from '../../app/common';
import * as incidents from '../../app/incidents';
import { readReport } from '../../app/reports';
import type { RouteSpec } from '../middleware';
import {
  CreateIncidentBody,
  IdParams,
  IncidentResponse,
  PatchIncidentBody,
  ReportParams,
  ReportResponse,
} from '../schemas';
import { expectedVersion } from './tickets';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;

export const incidentRoutes = [
  route({
    method: 'POST',
    path: '/incidents',
    operationId: 'createIncident',
    summary: 'Record an outage of a component, for all customers or some',
    roles: ['admin', 'agent'],
    body: CreateIncidentBody,
    status: 201,
    response: IncidentResponse,
    async handle({ deps, principal, body }) {
      return incidents.createIncident(deps, principal, body);
    },
  }),
  route({
    method: 'PATCH',
    path: '/incidents/{id}',
    operationId: 'patchIncident',
    summary: 'Change an incident (typically: set endedAt); If-Match pins the version',
    roles: ['admin', 'agent'],
    params: IdParams,
    body: PatchIncidentBody,
    headers: [{ name: 'If-Match', description: 'The version the change applies to' }],
    status: 200,
    response: IncidentResponse,
    async handle({ deps, principal, params, body, headers }) {
      return incidents.updateIncident(deps, principal, params.id, body, expectedVersion(headers['if-match']));
    },
  }),
  route({
    method: 'GET',
    path: '/customers/{id}/reports/{month}',
    operationId: 'getReport',
    summary: 'The monthly uptime and SLA report of a customer',
    roles: ['admin', 'agent', 'customer'],
    params: ReportParams,
    status: 200,
    response: ReportResponse,
    async handle({ deps, principal, params }) {
      const report = canSeeCustomer(principal, params.id)
        ? await readReport(deps, params.id, params.month)
        : null;
      if (!report) throw new NotFound('report', `${params.id}/${params.month}`);
      return report;
    },
  }),
];
