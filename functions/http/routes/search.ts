// Reading the search index: tickets by words and filters (customers too, within their own
// tickets), the views with their counts, and the tags in use. Its own function, the one with the
// index in memory (3 GB; functions/http/entries/search.ts); the writes of the workbench are not.
import * as search from '../../app/search';
import type { RouteSpec } from '../middleware';
import { listedJson } from '../views';
import { SearchQuery, SearchResponse, TagsQuery, TagsResponse, ViewListResponse } from '../workbench-schemas';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;
const anyone = ['admin', 'agent', 'customer'] as const;
const staff = ['admin', 'agent'] as const;

export const searchRoutes = [
  route({
    method: 'GET',
    path: '/search/tickets',
    operationId: 'searchTickets',
    summary:
      'Find tickets of every status by words and filters, or list a view (customers: their own, public words only)',
    roles: anyone,
    query: SearchQuery,
    status: 200,
    response: SearchResponse,
    async handle({ deps, principal, query }) {
      const { q, view, status, priority, customerId, assignee, teamId, tag, breached, sort, order } = query;
      const found = await search.searchTickets(deps, principal, {
        q,
        view,
        filter: {
          ...(status ? { statuses: status } : {}),
          ...(priority ? { priorities: priority } : {}),
          ...(customerId ? { customerId } : {}),
          ...(assignee ? { assignee } : {}),
          ...(teamId ? { teamId } : {}),
          ...(tag ? { tags: tag } : {}),
          ...(breached ? { breached: breached === 'true' } : {}),
        },
        sort: sort ? { field: sort, direction: order ?? 'asc' } : undefined,
        limit: query.limit,
        cursor: query.cursor,
      });
      return {
        items: found.items.map((hit) => ({
          ...listedJson(hit.ticket, principal),
          terms: hit.terms,
          snippet: hit.snippet,
        })),
        total: found.total,
        nextCursor: found.nextCursor,
        now: new Date(deps.clock.now()).toISOString(),
      };
    },
  }),
  route({
    method: 'GET',
    path: '/views',
    operationId: 'listViews',
    summary:
      'The built-in views and the saved ones the caller has (their own, their teams’, everyone’s), with counts',
    roles: staff,
    status: 200,
    response: ViewListResponse,
    async handle({ deps, principal }) {
      return {
        items: await search.viewCounts(deps, principal),
        now: new Date(deps.clock.now()).toISOString(),
      };
    },
  }),
  route({
    method: 'GET',
    path: '/tags',
    operationId: 'listTags',
    summary: 'Tags in use, most used first (suggestions as an agent types)',
    roles: staff,
    query: TagsQuery,
    status: 200,
    response: TagsResponse,
    async handle({ deps, principal, query }) {
      return { items: await search.tagsInUse(deps, principal, query.prefix, query.limit) };
    },
  }),
];
