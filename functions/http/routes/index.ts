// Every route of the HTTP contract, and one Lambda handler per route. The local runtime serves
// the same table; API Gateway routes point at the same handlers (see infra/).
import * as z from '../../../domain/zod';
import { type RouteSpec, routeHandler } from '../middleware';
import { openApiDocument } from '../openapi';
import { authRoutes, ssoRoutes } from './auth';
import { connectionRoutes } from './connections';
import { directoryRoutes } from './directory';
import { fileRoutes } from './files';
import { incidentRoutes } from './incidents';
import { integrationRoutes } from './integrations';
import { liveRoutes } from './live';
import { notificationRoutes } from './notifications';
import { onCallRoutes } from './on-call';
import { partnerRoutes } from './partners';
import { planRoutes } from './plans';
import { quarantineRoutes } from './quarantine';
import { reportRoutes } from './reports';
import { searchRoutes } from './search';
import { staffRoutes } from './staff';
import { ticketRoutes } from './tickets';
import { workbenchRoutes } from './workbench';

// Route specs are typed per route; the table holds them as a heterogeneous list.
type AnyRoute = RouteSpec<never, never, never>;

const contractRoutes = [
  ...directoryRoutes,
  ...partnerRoutes,
  ...staffRoutes,
  ...onCallRoutes,
  ...notificationRoutes,
  ...liveRoutes,
  ...planRoutes,
  ...searchRoutes,
  ...workbenchRoutes,
  ...ticketRoutes,
  ...fileRoutes,
  ...incidentRoutes,
  ...quarantineRoutes,
  ...reportRoutes,
  ...authRoutes,
  ...ssoRoutes,
  ...integrationRoutes,
  ...connectionRoutes,
] as unknown as AnyRoute[];

let document: unknown;
const openApiRoute: AnyRoute = {
  method: 'GET',
  path: '/openapi.json',
  operationId: 'getOpenApi',
  summary: 'This document',
  roles: 'public',
  status: 200,
  response: z.record(z.string(), z.unknown()),
  async handle() {
    document ??= openApiDocument(ROUTES);
    return document;
  },
};

export const ROUTES: readonly AnyRoute[] = [...contractRoutes, openApiRoute];

/** `createTicket` → its Lambda handler. */
export const handlers = Object.fromEntries(ROUTES.map((r) => [r.operationId, routeHandler(r)]));
