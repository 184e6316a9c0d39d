// Onsite partners (admins keep them, agents read them) and routing a ticket to one.
import * as z from '../../../domain/zod';
import * as partners from '../../app/partners';
import {
  PartnerBody,
  PartnerListQuery,
  PartnerPatchBody,
  PartnerResponse,
  RouteBody,
} from '../directory-schemas';
import type { RouteSpec } from '../middleware';
import { IdParams, TicketResponse } from '../schemas';
import { ticketJson } from '../views';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;

export const partnerRoutes = [
  route({
    method: 'POST',
    path: '/partners',
    operationId: 'createPartner',
    summary: 'An onsite support partner: name, e-mail address (one partner each) and the regions they serve',
    roles: ['admin'],
    body: PartnerBody,
    status: 201,
    response: PartnerResponse,
    async handle({ deps, principal, body }) {
      return partners.createPartner(deps, principal, body);
    },
  }),
  route({
    method: 'GET',
    path: '/partners',
    operationId: 'listPartners',
    summary: 'Onsite partners by name; with region, those who serve it',
    roles: ['admin', 'agent'],
    query: PartnerListQuery,
    status: 200,
    response: z.object({ items: z.array(PartnerResponse) }),
    async handle({ deps, principal, query }) {
      return { items: await partners.listPartners(deps, principal, query.region) };
    },
  }),
  route({
    method: 'GET',
    path: '/partners/{id}',
    operationId: 'getPartner',
    summary: 'One onsite partner',
    roles: ['admin', 'agent'],
    params: IdParams,
    status: 200,
    response: PartnerResponse,
    async handle({ deps, principal, params }) {
      return partners.getPartner(deps, principal, params.id);
    },
  }),
  route({
    method: 'PATCH',
    path: '/partners/{id}',
    operationId: 'updatePartner',
    summary:
      'Changes a partner’s name, address or regions (tickets routed before keep what they were sent to)',
    roles: ['admin'],
    params: IdParams,
    body: PartnerPatchBody,
    status: 200,
    response: PartnerResponse,
    async handle({ deps, principal, params, body }) {
      return partners.updatePartner(deps, principal, params.id, body);
    },
  }),
  route({
    method: 'DELETE',
    path: '/partners/{id}',
    operationId: 'removePartner',
    summary: 'Removes a partner; replies to tickets routed to them before are still filed',
    roles: ['admin'],
    params: IdParams,
    status: 200,
    response: z.object({ removed: z.literal(true) }),
    async handle({ deps, principal, params }) {
      await partners.removePartner(deps, principal, params.id);
      return { removed: true as const };
    },
  }),
  route({
    method: 'POST',
    path: '/tickets/{id}/partner',
    operationId: 'routeTicket',
    summary:
      'Routes a ticket to an onsite partner, who is mailed its summary and answers by replying (plans with onsitePartners, 422 otherwise); partnerId null takes it back. The customer’s clocks keep running',
    roles: ['admin', 'agent'],
    params: IdParams,
    body: RouteBody,
    status: 200,
    response: TicketResponse,
    async handle({ deps, principal, params, body }) {
      return ticketJson(await partners.routeTicket(deps, principal, params.id, body), principal);
    },
  }),
];
