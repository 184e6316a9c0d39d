// Request and response bodies of the agents' workbench: search, views, macros, tags, bulk.

import { MAX_MACRO_REPLY } from '../../domain/macros';
import {
  MAX_DUE_WITHIN_MINUTES,
  MAX_FILTER_TAGS,
  MAX_RESOLVED_WITHIN_DAYS,
  SORT_FIELDS,
} from '../../domain/views';
import * as z from '../../domain/zod';
import { MAX_BULK } from '../app/workbench';
import { Category, Id, Instant, Priority, Status, Tag, Tags } from './primitives';

const Name = z.string().check(z.trim(), z.minLength(1), z.maxLength(80));
const Assignee = z
  .union([z.literal('me'), z.literal('none'), Id])
  .check(z.describe('A staff id, `me` (whoever looks) or `none` (unassigned)'));

export const ViewFilter = z.object({
  statuses: z.optional(z.array(Status).check(z.maxLength(5))),
  priorities: z.optional(z.array(Priority).check(z.maxLength(4))),
  customerId: z.optional(Id),
  assignee: z.optional(Assignee),
  teamId: z.optional(Id),
  tags: z.optional(z.array(Tag).check(z.maxLength(MAX_FILTER_TAGS))),
  breached: z.optional(z.boolean()),
  dueWithinMinutes: z.optional(z.number().check(z.int(), z.gte(1), z.lte(MAX_DUE_WITHIN_MINUTES))),
  resolvedWithinDays: z.optional(z.number().check(z.int(), z.gte(1), z.lte(MAX_RESOLVED_WITHIN_DAYS))),
});
export const Sort = z.object({
  field: z.enum(SORT_FIELDS),
  direction: z.enum(['asc', 'desc']),
});

const commaList = <T extends z.ZodMiniType<unknown, string>>(item: T, max: number) =>
  z.pipe(
    z.pipe(
      z.string().check(z.maxLength(400)),
      z.transform((s) =>
        s
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      ),
    ),
    z.array(item).check(z.maxLength(max)),
  );

export const SearchQuery = z.object({
  q: z
    .optional(z.string().check(z.maxLength(200)))
    .check(z.describe('Words: ranked, prefix and typo tolerant; none lists in `sort` order')),
  view: z
    .optional(z.string().check(z.maxLength(40)))
    .check(z.describe('A view’s id (built-in or saved): its filter and sort, narrowed by the rest')),
  status: z.optional(commaList(Status, 5)).check(z.describe('Comma-separated statuses')),
  priority: z.optional(commaList(Priority, 4)).check(z.describe('Comma-separated priorities')),
  customerId: z.optional(Id),
  assignee: z.optional(Assignee),
  teamId: z.optional(Id),
  tag: z.optional(commaList(Tag, MAX_FILTER_TAGS)).check(z.describe('Comma-separated tags, all required')),
  breached: z.optional(z.enum(['true', 'false'])),
  sort: z
    .optional(z.enum(SORT_FIELDS))
    .check(z.describe('Without it: by relevance with words, else the view’s order')),
  order: z.optional(z.enum(['asc', 'desc'])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

export const ListedTicketResponse = z.object({
  id: z.string(),
  subject: z.string(),
  status: Status,
  priority: Priority,
  customerId: z.string(),
  customerName: z.string(),
  requesterName: z.string(),
  requesterEmail: z.string(),
  assigneeName: z.nullable(z.string()),
  planId: z.string(),
  nextClock: z.nullable(z.enum(['response', 'update', 'resolution'])),
  nextDueAt: z.nullable(Instant),
  nextWarningAt: z.nullable(Instant),
  breached: z.boolean(),
  createdAt: Instant,
  updatedAt: Instant,
  resolvedAt: z.nullable(Instant),
  category: z.optional(z.nullable(Category)).check(z.describe('Staff only')),
  tags: z.optional(z.array(z.string())).check(z.describe('Staff only')),
  assigneeId: z.optional(z.nullable(z.string())).check(z.describe('Staff only')),
  teamId: z.optional(z.nullable(z.string())).check(z.describe('Staff only')),
  terms: z.array(z.string()).check(z.describe('The words it matched (stems): what a page highlights')),
  snippet: z.nullable(z.string()).check(z.describe('Its own words around the first match')),
});
export const SearchResponse = z.object({
  items: z.array(ListedTicketResponse),
  total: z.number().check(z.int()),
  nextCursor: z.nullable(z.string()),
  now: Instant,
});

export const ViewBody = z.object({
  name: Name,
  scope: z
    .enum(['personal', 'team', 'everyone'])
    .check(z.describe('team: its members see it; everyone: admins only')),
  teamId: z.optional(Id),
  filter: ViewFilter,
  sort: Sort,
});
export const ViewPatchBody = z
  .object({ name: z.optional(Name), filter: z.optional(ViewFilter), sort: z.optional(Sort) })
  .check(
    z.refine((b) => Object.values(b).some((v) => v !== undefined), {
      message: 'name at least one of name, filter, sort',
    }),
  );
export const ViewResponse = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(['built-in', 'personal', 'team', 'everyone']),
  ownerId: z.nullable(z.string()),
  filter: ViewFilter,
  sort: Sort,
  createdBy: z.optional(z.string()).check(z.describe('The person (or key) that saved it')),
  createdAt: z.optional(Instant),
  version: z.number().check(z.int()),
});
export const ViewListResponse = z.object({
  items: z.array(z.extend(ViewResponse, { count: z.number().check(z.int()) })),
  now: Instant,
});

const MacroChanges = z.object({
  status: z.optional(Status),
  priority: z.optional(Priority),
  category: z.optional(z.nullable(Category)),
  assignee: z
    .optional(z.nullable(z.union([z.literal('me'), Id])))
    .check(z.describe('A staff id, `me` (whoever applies it), or null to unassign')),
  addTags: z.optional(Tags),
  removeTags: z.optional(Tags),
});
const MacroReply = z.object({
  body: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(MAX_MACRO_REPLY),
      z.describe('Placeholders: {{requester.firstName}}, {{ticket.id}}, …'),
    ),
  internal: z._default(z.boolean(), false),
});
export const MacroBody = z.object({
  name: Name,
  scope: z.enum(['personal', 'everyone']).check(z.describe('everyone: admins only')),
  reply: z._default(z.nullable(MacroReply), null),
  changes: z._default(MacroChanges, {}),
});
export const MacroPatchBody = z
  .object({
    name: z.optional(Name),
    reply: z.optional(z.nullable(MacroReply)),
    changes: z.optional(MacroChanges),
  })
  .check(
    z.refine((b) => Object.values(b).some((v) => v !== undefined), {
      message: 'name at least one of name, reply, changes',
    }),
  );
export const MacroResponse = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(['personal', 'everyone']),
  ownerId: z.nullable(z.string()),
  reply: z.nullable(z.object({ body: z.string(), internal: z.boolean() })),
  changes: MacroChanges,
  createdBy: z.string(),
  createdAt: Instant,
  version: z.number().check(z.int()),
});
export const MacroListResponse = z.object({
  items: z.array(MacroResponse),
  placeholders: z.record(z.string(), z.string()),
});
export const MacroTicketBody = z.object({
  ticketId: Id,
  ticketVersion: z
    .optional(z.number().check(z.int(), z.gte(1), z.lte(1_000_000_000)))
    .check(z.describe('Apply only at this version')),
});
export const MacroPreviewResponse = z.object({
  reply: z.nullable(z.object({ body: z.string(), internal: z.boolean() })),
  changes: MacroChanges,
  ticketVersion: z.number().check(z.int()),
});

export const BulkBody = z
  .object({
    ids: z.array(Id).check(z.minLength(1), z.maxLength(MAX_BULK)),
    changes: z._default(z.extend(MacroChanges, { teamId: z.optional(z.nullable(Id)) }), {}),
    macroId: z.optional(Id),
  })
  .check(
    z.refine((b) => b.macroId !== undefined || Object.values(b.changes).some((v) => v !== undefined), {
      message: 'name a change or a macroId',
      path: ['changes'],
    }),
  );
export const BulkResponse = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      version: z.optional(z.number().check(z.int())),
      error: z.optional(z.object({ code: z.string(), message: z.string() })),
    }),
  ),
  succeeded: z.number().check(z.int()),
  failed: z.number().check(z.int()),
});

export const TagsQuery = z.object({
  prefix: z._default(z.string().check(z.maxLength(40)), ''),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
});
export const TagsResponse = z.object({
  items: z.array(z.object({ tag: z.string(), count: z.number().check(z.int()) })),
});
