// The route groups, each one Lambda (functions/http/entries/): routes of a group share
// dependencies and permissions, so a group is one bundle with one least-privilege role
// (tickets never carry date-holidays, the plans group never writes tickets). Each entry
// defines its group's routes; the CDK stack reads them here. Lambdas never import this file.
import { routes as auth } from './entries/auth';
import { routes as connections } from './entries/connections';
import { routes as directory } from './entries/directory';
import { routes as files } from './entries/files';
import { routes as integrations } from './entries/integrations';
import { routes as operations } from './entries/operations';
import { routes as plans } from './entries/plans';
import { routes as search } from './entries/search';
import { routes as staff } from './entries/staff';
import { routes as tickets } from './entries/tickets';
import { routes as workbench } from './entries/workbench';

export const ROUTE_GROUPS = {
  tickets: { description: 'sla-desk API: tickets (the SLA path)', routes: tickets },
  search: {
    description: 'sla-desk API: search, view counts and tags in use (the search index in memory)',
    routes: search,
  },
  workbench: {
    description: 'sla-desk API: saved views, macros and bulk changes of tickets',
    routes: workbench,
  },
  directory: {
    description: 'sla-desk API: plans, customers, devices, shared tickets, partners',
    routes: directory,
  },
  staff: {
    description: 'sla-desk API: staff, teams and their on-call, invitations, API keys, staff sessions',
    routes: staff,
  },
  plans: { description: 'sla-desk API: creating plans (holiday expansion)', routes: plans },
  operations: { description: 'sla-desk API: incidents, quarantine, reports', routes: operations },
  auth: {
    description: 'sla-desk API: sign-in links, single sign-on, invitations, browser sessions',
    routes: auth,
  },
  files: { description: 'sla-desk API: uploads and attachment downloads', routes: files },
  integrations: {
    description: 'sla-desk API: monitoring alerts and Slack events from other systems',
    routes: integrations,
  },
  connections: {
    description: 'sla-desk API: webhooks, failed deliveries, linked Slack channels',
    routes: connections,
  },
} as const;

export type RouteGroup = keyof typeof ROUTE_GROUPS | 'openapi';
