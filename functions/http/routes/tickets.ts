// Ticket routes: parse → use case → view. Roles per PRODUCT.md's HTTP contract.

import { MAX_WATCHERS } from '../../../domain/notifications';
import { PRIORITIES } from '../../../domain/plans';
import * as z from '../../../domain/zod';
import { claimUploads } from '../../app/attachments';
import { watchersOf, watchTicket } from '../../app/notifications';
import { acknowledgeInConsole } from '../../app/paging';
import { revisionOf } from '../../app/ticket-writes';
import * as tickets from '../../app/tickets';
import { expectedVersion, HttpError, Reply, type RouteSpec } from '../middleware';
import {
  ChainResponse,
  CreateTicketBody,
  ExplainResponse,
  IdParams,
  ListTicketsQuery,
  MessageBody,
  PatchTicketBody,
  Sla,
  StatusBody,
  TicketListResponse,
  TicketResponse,
  TimeEntryBody,
} from '../schemas';
import { chainJson, explanationJson, slaJson, ticketJson, ticketSummaryJson } from '../views';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;
const WatchResponse = z.object({
  watching: z.boolean(),
  watchers: z.array(z.string()).check(z.describe('Staff ids')),
  max: z.number().check(z.int()),
});
const anyone = ['admin', 'agent', 'customer'] as const;
const staff = ['admin', 'agent'] as const;

const IdempotencyKey = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const ETAG = { ETag: 'The ticket’s version, as "3": send it as If-Match to pin a change to it' };

const withEtag = (status: number, view: tickets.TicketView, principal: Parameters<typeof ticketJson>[1]) =>
  new Reply(status, ticketJson(view, principal), { etag: `"${revisionOf(view.ticket)}"` });

export const ticketRoutes = [
  route({
    method: 'POST',
    path: '/tickets',
    operationId: 'createTicket',
    summary: 'Open a ticket; the same Idempotency-Key from the same key returns the same ticket',
    roles: anyone,
    body: CreateTicketBody,
    headers: [{ name: 'Idempotency-Key', description: 'Retries with this key return the first ticket' }],
    status: 201,
    alsoAnswers: {
      200: 'The customer’s ticket with this externalRef already exists: that ticket, unchanged',
    },
    response: TicketResponse,
    responseHeaders: {
      ...ETAG,
      'Idempotent-Replayed': '`true` when this answers a retry with the same Idempotency-Key',
    },
    async handle({ deps, principal, body, headers }) {
      const key = headers['idempotency-key'];
      const parsedKey = key === undefined ? undefined : IdempotencyKey.safeParse(key);
      if (parsedKey && !parsedKey.success) {
        throw new HttpError(400, 'invalid-input', 'Idempotency-Key must be 1-200 characters', [
          { field: 'Idempotency-Key', in: 'header', message: 'expected 1-200 characters' },
        ]);
      }
      const attachments = await claimUploads(deps, principal, body.attachments);
      const { view, replayed, existing } = await tickets.openTicket(
        deps,
        principal,
        { ...body, attachments },
        parsedKey?.data,
      );
      const reply = withEtag(existing ? 200 : 201, view, principal);
      return replayed
        ? new Reply(reply.status, reply.body, { ...reply.headers, 'idempotent-replayed': 'true' })
        : reply;
    },
  }),
  route({
    method: 'GET',
    path: '/tickets',
    operationId: 'listTickets',
    summary: 'List tickets, newest first (customers: their own)',
    roles: anyone,
    query: ListTicketsQuery,
    status: 200,
    response: TicketListResponse,
    async handle({ deps, principal, query }) {
      const { limit, cursor, breached, sort, ...filters } = query;
      const page = await tickets.listTickets(
        deps,
        principal,
        { ...filters, breached: breached === 'true', byDeadline: sort === 'deadline' },
        limit,
        cursor,
      );
      return {
        items: page.items.map((t) => ticketSummaryJson(t, principal)),
        nextCursor: page.nextCursor,
        now: new Date(deps.clock.now()).toISOString(),
      };
    },
  }),
  route({
    method: 'GET',
    path: '/tickets/{id}',
    operationId: 'getTicket',
    summary: 'A ticket with its SLA clocks and timeline',
    roles: anyone,
    params: IdParams,
    status: 200,
    response: TicketResponse,
    responseHeaders: ETAG,
    async handle({ deps, principal, params }) {
      return withEtag(200, await tickets.getTicket(deps, principal, params.id), principal);
    },
  }),
  route({
    method: 'GET',
    path: '/tickets/{id}/explain',
    operationId: 'explainTicket',
    summary: 'Why each clock is due when it is: the open, closed, holiday and paused stretches',
    roles: anyone,
    params: IdParams,
    status: 200,
    response: ExplainResponse,
    async handle({ deps, principal, params }) {
      return explanationJson(await tickets.explainTicket(deps, principal, params.id), principal);
    },
  }),
  route({
    method: 'GET',
    path: '/tickets/{id}/preview',
    operationId: 'previewPriority',
    summary: 'The clocks as they would be with another priority, before the change is saved (staff)',
    roles: staff,
    params: IdParams,
    query: z.object({ priority: z.enum(PRIORITIES) }),
    status: 200,
    response: Sla,
    async handle({ deps, principal, params, query }) {
      return slaJson(await tickets.previewPriority(deps, principal, params.id, query.priority));
    },
  }),
  route({
    method: 'POST',
    path: '/tickets/{id}/messages',
    operationId: 'postMessage',
    summary: "Add a message; an agent's public message is the response or a status update",
    roles: anyone,
    params: IdParams,
    body: MessageBody,
    status: 201,
    response: TicketResponse,
    responseHeaders: ETAG,
    async handle({ deps, principal, params, body }) {
      const attachments = await claimUploads(deps, principal, body.attachments);
      return withEtag(
        201,
        await tickets.postMessage(deps, principal, params.id, { ...body, attachments }),
        principal,
      );
    },
  }),
  route({
    method: 'POST',
    path: '/tickets/{id}/status',
    operationId: 'changeStatus',
    summary: 'Move the ticket (customers: resolve and reopen only)',
    roles: anyone,
    params: IdParams,
    body: StatusBody,
    status: 200,
    response: TicketResponse,
    responseHeaders: ETAG,
    async handle({ deps, principal, params, body }) {
      return withEtag(200, await tickets.changeStatus(deps, principal, params.id, body.status), principal);
    },
  }),
  route({
    method: 'GET',
    path: '/tickets/{id}/escalation',
    operationId: 'getEscalation',
    summary:
      'The ticket’s escalation chains step by step (staff): each warning’s, breach’s or at-once page’s steps, whom each reached and by what (or why no one), what is still due, who acknowledged',
    roles: staff,
    params: IdParams,
    status: 200,
    response: z.object({ items: z.array(ChainResponse) }),
    async handle({ deps, principal, params }) {
      return { items: (await tickets.escalationOfTicket(deps, principal, params.id)).map(chainJson) };
    },
  }),
  route({
    method: 'GET',
    path: '/tickets/{id}/watch',
    operationId: 'getWatchers',
    summary: 'Who watches the ticket, and whether the signed-in person does',
    roles: staff,
    params: IdParams,
    status: 200,
    response: WatchResponse,
    async handle({ deps, principal, params }) {
      return watchersOf(deps, principal, params.id);
    },
  }),
  route({
    method: 'POST',
    path: '/tickets/{id}/watch',
    operationId: 'watchTicket',
    summary: `Watch the ticket (the signed-in person): its replies, warnings and breaches notify them too (at most ${MAX_WATCHERS} watchers)`,
    roles: staff,
    params: IdParams,
    status: 200,
    response: WatchResponse,
    async handle({ deps, principal, params }) {
      return watchTicket(deps, principal, params.id, true);
    },
  }),
  route({
    method: 'DELETE',
    path: '/tickets/{id}/watch',
    operationId: 'unwatchTicket',
    summary: 'Stop watching the ticket',
    roles: staff,
    params: IdParams,
    status: 200,
    response: WatchResponse,
    async handle({ deps, principal, params }) {
      return watchTicket(deps, principal, params.id, false);
    },
  }),
  route({
    method: 'POST',
    path: '/tickets/{id}/acknowledge',
    operationId: 'acknowledgePages',
    summary:
      'Take the ticket’s pages (staff): the escalation steps still to come do nothing, and a team’s PagerDuty or Opsgenie incident is acknowledged; nothing where no page waits',
    roles: staff,
    params: IdParams,
    status: 200,
    response: TicketResponse,
    responseHeaders: ETAG,
    async handle({ deps, principal, params }) {
      await acknowledgeInConsole(deps, principal, params.id);
      return withEtag(200, await tickets.getTicket(deps, principal, params.id), principal);
    },
  }),
  route({
    method: 'PATCH',
    path: '/tickets/{id}',
    operationId: 'patchTicket',
    summary: 'Change priority, assignee or category; If-Match pins the version',
    roles: staff,
    params: IdParams,
    body: PatchTicketBody,
    headers: [{ name: 'If-Match', description: 'The version (ETag) the change applies to' }],
    status: 200,
    response: TicketResponse,
    responseHeaders: ETAG,
    async handle({ deps, principal, params, body, headers }) {
      const view = await tickets.patchTicket(
        deps,
        principal,
        params.id,
        body,
        expectedVersion(headers['if-match']),
      );
      return withEtag(200, view, principal);
    },
  }),
  route({
    method: 'POST',
    path: '/tickets/{id}/time-entries',
    operationId: 'addTimeEntry',
    summary: 'Log time spent on the ticket',
    roles: staff,
    params: IdParams,
    body: TimeEntryBody,
    status: 201,
    response: TicketResponse,
    responseHeaders: ETAG,
    async handle({ deps, principal, params, body }) {
      return withEtag(201, await tickets.addTimeEntry(deps, principal, params.id, body), principal);
    },
  }),
];
