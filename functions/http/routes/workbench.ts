// The agents' workbench: saved views, macros (previewed and applied), and bulk changes; what
// reads the search index (search, view counts, tags) is functions/http/routes/search.ts.

import { PLACEHOLDERS } from '../../../domain/macros';
import * as z from '../../../domain/zod';
import { revisionOf } from '../../app/ticket-writes';
import * as workbench from '../../app/workbench';
import { expectedVersion, Reply, type RouteSpec, toErrorResult } from '../middleware';
import { IdParams } from '../primitives';
import { TicketResponse } from '../schemas';
import { ticketJson } from '../views';
import {
  BulkBody,
  BulkResponse,
  MacroBody,
  MacroListResponse,
  MacroPatchBody,
  MacroPreviewResponse,
  MacroResponse,
  MacroTicketBody,
  ViewBody,
  ViewPatchBody,
  ViewResponse,
} from '../workbench-schemas';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;
const staff = ['admin', 'agent'] as const;
const IF_MATCH = [{ name: 'If-Match', description: 'Change only at this version, as "3"' }];

const errorOf = (error: unknown) => {
  const { error: shown } = JSON.parse(toErrorResult(error).body ?? '{}') as {
    error: { code: string; message: string };
  };
  return { code: shown.code, message: shown.message };
};

export const workbenchRoutes = [
  route({
    method: 'POST',
    path: '/views',
    operationId: 'createView',
    summary: 'Save a view: a filter and a sort, of one person, a team or everyone',
    roles: staff,
    body: ViewBody,
    status: 201,
    response: ViewResponse,
    async handle({ deps, principal, body }) {
      return workbench.saveView(deps, principal, body);
    },
  }),
  route({
    method: 'PATCH',
    path: '/views/{id}',
    operationId: 'updateView',
    summary: 'Rename a saved view or change its filter or sort',
    roles: staff,
    params: IdParams,
    body: ViewPatchBody,
    headers: IF_MATCH,
    status: 200,
    response: ViewResponse,
    async handle({ deps, principal, params, body, headers }) {
      return workbench.updateView(deps, principal, params.id, body, expectedVersion(headers['if-match']));
    },
  }),
  route({
    method: 'DELETE',
    path: '/views/{id}',
    operationId: 'deleteView',
    summary: 'Remove a saved view',
    roles: staff,
    params: IdParams,
    status: 200,
    response: z.object({ deleted: z.boolean() }),
    async handle({ deps, principal, params }) {
      await workbench.deleteView(deps, principal, params.id);
      return { deleted: true };
    },
  }),
  route({
    method: 'GET',
    path: '/macros',
    operationId: 'listMacros',
    summary: 'The shared macros and the caller’s own, with the placeholders a reply may use',
    roles: staff,
    status: 200,
    response: MacroListResponse,
    async handle({ deps, principal }) {
      return { items: await workbench.macrosOf(deps, principal), placeholders: PLACEHOLDERS };
    },
  }),
  route({
    method: 'POST',
    path: '/macros',
    operationId: 'createMacro',
    summary: 'Define a macro: field changes and a reply with placeholders (shared ones: admins)',
    roles: staff,
    body: MacroBody,
    status: 201,
    response: MacroResponse,
    async handle({ deps, principal, body }) {
      return workbench.createMacro(deps, principal, body);
    },
  }),
  route({
    method: 'PATCH',
    path: '/macros/{id}',
    operationId: 'updateMacro',
    summary: 'Change a macro',
    roles: staff,
    params: IdParams,
    body: MacroPatchBody,
    headers: IF_MATCH,
    status: 200,
    response: MacroResponse,
    async handle({ deps, principal, params, body, headers }) {
      return workbench.updateMacro(deps, principal, params.id, body, expectedVersion(headers['if-match']));
    },
  }),
  route({
    method: 'DELETE',
    path: '/macros/{id}',
    operationId: 'deleteMacro',
    summary: 'Remove a macro',
    roles: staff,
    params: IdParams,
    status: 200,
    response: z.object({ deleted: z.boolean() }),
    async handle({ deps, principal, params }) {
      await workbench.deleteMacro(deps, principal, params.id);
      return { deleted: true };
    },
  }),
  route({
    method: 'POST',
    path: '/macros/{id}/preview',
    operationId: 'previewMacro',
    summary: 'The macro’s reply for one ticket, placeholders filled, and its changes (nothing is written)',
    roles: staff,
    params: IdParams,
    body: MacroTicketBody,
    status: 200,
    response: MacroPreviewResponse,
    async handle({ deps, principal, params, body }) {
      const { reply, changes, ticketVersion } = await workbench.previewMacro(
        deps,
        principal,
        params.id,
        body.ticketId,
      );
      return { reply, changes, ticketVersion };
    },
  }),
  route({
    method: 'POST',
    path: '/macros/{id}/apply',
    operationId: 'applyMacro',
    summary: 'Apply a macro to one ticket: its changes, then its reply',
    roles: staff,
    params: IdParams,
    body: MacroTicketBody,
    status: 200,
    response: TicketResponse,
    responseHeaders: { ETag: 'The ticket’s version after the macro, as "5"' },
    async handle({ deps, principal, params, body }) {
      const view = await workbench.applyMacro(deps, principal, body.ticketId, params.id, body.ticketVersion);
      return new Reply(200, ticketJson(view, principal), { etag: `"${revisionOf(view.ticket)}"` });
    },
  }),
  route({
    method: 'POST',
    path: '/tickets/bulk',
    operationId: 'bulkChangeTickets',
    summary: 'Change up to 100 tickets at once, or apply a macro to each; each result names its ticket',
    roles: staff,
    body: BulkBody,
    status: 200,
    response: BulkResponse,
    async handle({ deps, principal, body }) {
      const results = await workbench.bulkChange(deps, principal, body, errorOf);
      const failed = results.filter((r) => !r.ok).length;
      return { results, succeeded: results.length - failed, failed };
    },
  }),
];
