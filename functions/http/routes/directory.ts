// Plans (read), customers and API keys.

import { MAX_DEVICES } from '../../../domain/plans';
import * as z from '../../../domain/zod';
import type { Principal } from '../../app/common';
import * as directory from '../../app/directory';
import { browseShared, shareTicket, unshareTicket } from '../../app/shared';
import type { CustomerRecord, SharedTicket } from '../../ports';
import {
  CreateCustomerBody,
  CustomerListResponse,
  CustomerResponse,
  DeviceBody,
  DeviceListResponse,
  DeviceResponse,
  ListDevicesQuery,
  ListPageQuery,
  PlanListResponse,
  PlanResponse,
  ShareBody,
  SharedListResponse,
  SharedSearchQuery,
  SharedTicketResponse,
  SupportManagerBody,
} from '../directory-schemas';
import type { RouteSpec } from '../middleware';
import { IdParams } from '../primitives';
import { ApiKeyResponse } from '../staff-schemas';

/**
 * A customer as the API shows it: the support manager by name only to customers (an agent's
 * address is staff-only, as an assignee's is).
 */
function customerJson(c: CustomerRecord, principal: Principal) {
  const manager = c.supportManager ?? null;
  return {
    ...c,
    deviceCount: c.deviceCount ?? 0,
    supportManager: manager && (principal.role === 'customer' ? { name: manager.name } : manager),
  };
}

/** A shared ticket: customers never learn which ticket it was. */
function sharedJson({ ticketId, ...shown }: SharedTicket, principal: Principal) {
  return principal.role === 'customer' ? shown : { ...shown, ticketId };
}

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;
const anyone = ['admin', 'agent', 'customer'] as const;

export const directoryRoutes = [
  route({
    method: 'GET',
    path: '/plans',
    operationId: 'listPlans',
    summary: 'Presets and custom plans',
    roles: anyone,
    status: 200,
    response: PlanListResponse,
    async handle({ deps }) {
      const plans = await deps.directory.listPlans();
      return { items: plans.sort((a, b) => a.id.localeCompare(b.id)) };
    },
  }),
  route({
    method: 'GET',
    path: '/plans/{id}',
    operationId: 'getPlan',
    summary: 'One plan',
    roles: anyone,
    params: IdParams,
    status: 200,
    response: PlanResponse,
    async handle({ deps, params }) {
      return directory.getPlan(deps, params.id);
    },
  }),
  route({
    method: 'POST',
    path: '/customers',
    operationId: 'createCustomer',
    summary: 'A customer on a plan, with its contacts',
    roles: ['admin'],
    body: CreateCustomerBody,
    status: 201,
    response: CustomerResponse,
    async handle({ deps, principal, body }) {
      return customerJson(await directory.createCustomer(deps, principal, body), principal);
    },
  }),
  route({
    method: 'GET',
    path: '/customers',
    operationId: 'listCustomers',
    summary: 'Customers by id, a page at a time',
    roles: ['admin', 'agent'],
    query: ListPageQuery,
    status: 200,
    response: CustomerListResponse,
    async handle({ deps, principal, query }) {
      const page = await deps.directory.listCustomers(query.limit, query.cursor);
      return { ...page, items: page.items.map((c) => customerJson(c, principal)) };
    },
  }),
  route({
    method: 'GET',
    path: '/customers/{id}',
    operationId: 'getCustomer',
    summary: 'A customer (customer keys: their own)',
    roles: anyone,
    params: IdParams,
    status: 200,
    response: CustomerResponse,
    async handle({ deps, principal, params }) {
      return customerJson(await directory.getCustomer(deps, principal, params.id), principal);
    },
  }),
  route({
    method: 'PATCH',
    path: '/customers/{id}',
    operationId: 'setSupportManager',
    summary:
      'Names the customer’s dedicated support manager (an agent; plans that include one, 422 otherwise), or removes them with null',
    roles: ['admin'],
    params: IdParams,
    body: SupportManagerBody,
    status: 200,
    response: CustomerResponse,
    async handle({ deps, principal, params, body }) {
      return customerJson(
        await directory.setSupportManager(deps, principal, params.id, body.supportManager),
        principal,
      );
    },
  }),
  route({
    method: 'POST',
    path: '/customers/{id}/devices',
    operationId: 'addDevice',
    summary: `Register a device (at most ${MAX_DEVICES} a customer, 422 beyond); those beyond the plan allowance are billed as extras`,
    roles: anyone,
    params: IdParams,
    body: DeviceBody,
    status: 201,
    response: DeviceResponse,
    async handle({ deps, principal, params, body }) {
      return directory.addDevice(deps, principal, params.id, body.name);
    },
  }),
  route({
    method: 'GET',
    path: '/customers/{id}/devices',
    operationId: 'listDevices',
    summary: 'A customer’s devices in registration order',
    roles: anyone,
    params: IdParams,
    query: ListDevicesQuery,
    status: 200,
    response: DeviceListResponse,
    async handle({ deps, principal, params, query }) {
      return directory.listDevices(deps, principal, params.id, query.limit, query.cursor);
    },
  }),
  route({
    method: 'POST',
    path: '/customers/{id}/alert-keys',
    operationId: 'createAlertKey',
    summary:
      'A monitoring key for the customer, shown once: it files alerts (POST /integrations/alerts) and opens nothing else',
    roles: ['admin'],
    params: IdParams,
    body: z.object({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)) }),
    status: 201,
    response: ApiKeyResponse,
    async handle({ deps, principal, params, body }) {
      return directory.createAlertKey(deps, principal, params.id, body.name);
    },
  }),
  route({
    method: 'POST',
    path: '/tickets/{id}/share',
    operationId: 'shareTicket',
    summary:
      'Shares a ticket with customers whose plan browses shared tickets, as a public summary and resolution (sharing again replaces them)',
    roles: ['admin', 'agent'],
    params: IdParams,
    body: ShareBody,
    status: 201,
    response: SharedTicketResponse,
    async handle({ deps, principal, params, body }) {
      return sharedJson(await shareTicket(deps, principal, params.id, body), principal);
    },
  }),
  route({
    method: 'DELETE',
    path: '/tickets/{id}/share',
    operationId: 'unshareTicket',
    summary: 'Takes a shared ticket back',
    roles: ['admin', 'agent'],
    params: IdParams,
    status: 200,
    response: z.object({ unshared: z.literal(true) }),
    async handle({ deps, principal, params }) {
      await unshareTicket(deps, principal, params.id);
      return { unshared: true as const };
    },
  }),
  route({
    method: 'GET',
    path: '/shared-tickets',
    operationId: 'browseSharedTickets',
    summary:
      'Shared tickets, newest first, every word of q in their summary, resolution or category (customers: plans with browseSharedTickets, 403 otherwise)',
    roles: anyone,
    query: SharedSearchQuery,
    status: 200,
    response: SharedListResponse,
    async handle({ deps, principal, query }) {
      const page = await browseShared(deps, principal, query.q, query.limit, query.cursor);
      return { items: page.items.map((s) => sharedJson(s, principal)), nextCursor: page.nextCursor };
    },
  }),
];
