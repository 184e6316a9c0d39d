// Incidents (uptime) and the monthly reports that read them.

import { NotFound } from '../../../domain/errors';
import { canSeeCustomer } from '../../app/common';
import * as incidents from '../../app/incidents';
import { renderReportMail } from '../../app/report-mail';
import { type MonthlyReport, readReport } from '../../app/reports';
import {
  CreateIncidentBody,
  IncidentResponse,
  ListPageQuery,
  PatchIncidentBody,
  ReportListResponse,
  ReportParams,
  ReportResponse,
} from '../directory-schemas';
import { expectedVersion, Reply, type RouteSpec } from '../middleware';
import { IdParams } from '../primitives';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;

// The report's HTML is a mail: inline styles, no script, nothing loaded; only our pages frame it.
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox";

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
  route({
    method: 'GET',
    path: '/customers/{id}/reports',
    operationId: 'listReports',
    summary: 'A customer’s monthly reports, newest first',
    roles: ['admin', 'agent', 'customer'],
    params: IdParams,
    query: ListPageQuery,
    status: 200,
    response: ReportListResponse,
    async handle({ deps, principal, params, query }) {
      if (!canSeeCustomer(principal, params.id)) throw new NotFound('customer', params.id);
      return deps.reports.list(params.id, query.limit, query.cursor);
    },
  }),
  route({
    method: 'GET',
    path: '/customers/{id}/reports/{month}/html',
    operationId: 'getReportHtml',
    summary: 'The monthly report as mailed (HTML; it runs no script and loads nothing)',
    roles: ['admin', 'agent', 'customer'],
    params: ReportParams,
    status: 200,
    response: ReportResponse,
    contentType: 'text/html; charset=utf-8',
    responseHeaders: { 'Content-Security-Policy': 'Inline styles only; sandboxed; framed by our own pages' },
    async handle({ deps, principal, params }) {
      const report = canSeeCustomer(principal, params.id)
        ? await readReport(deps, params.id, params.month)
        : null;
      if (!report) throw new NotFound('report', `${params.id}/${params.month}`);
      return new Reply(200, renderReportMail(report as MonthlyReport, []).html, {
        'content-security-policy': REPORT_CSP,
        'x-content-type-options': 'nosniff',
      });
    },
  }),
];
