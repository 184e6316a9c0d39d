// Request and response bodies of the agents' workbench: search, views, macros, tags, bulk.
import * as z from 'zod';
import { MAX_MACRO_REPLY } from '../../domain/macros';
import {
  MAX_DUE_WITHIN_MINUTES,
  MAX_FILTER_TAGS,
  MAX_RESOLVED_WITHIN_DAYS,
  SORT_FIELDS,
} from '../../domain/views';
import { MAX_BULK } from '../app/workbench';
import { Category, Id, Instant, Priority, Status, Tag, Tags } from './primitives';

const Name = z.string().trim().min(1).max(80);
const Assignee = z
  .union([z.literal('me'), z.literal('none'), Id])
  .describe('A staff id, `me` (whoever looks) or `none` (unassigned)');

export const ViewFilter = z.object({
  statuses: z.array(Status).max(5).optional(),
  priorities: z.array(Priority).max(4).optional(),
  customerId: Id.optional(),
  assignee: Assignee.optional(),
  teamId: Id.optional(),
  tags: z.array(Tag).max(MAX_FILTER_TAGS).optional(),
  breached: z.boolean().optional(),
  dueWithinMinutes: z.number().int().min(1).max(MAX_DUE_WITHIN_MINUTES).optional(),
  resolvedWithinDays: z.number().int().min(1).max(MAX_RESOLVED_WITHIN_DAYS).optional(),
});
export const Sort = z.object({
  field: z.enum(SORT_FIELDS),
  direction: z.enum(['asc', 'desc']),
});

const commaList = <T extends z.ZodType<unknown, string>>(item: T, max: number) =>
  z
    .string()
    .max(400)
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(max));

export const SearchQuery = z.object({
  q: z
    .string()
    .max(200)
    .optional()
    .describe('Words: ranked, prefix and typo tolerant; none lists in `sort` order'),
  view: z
    .string()
    .max(40)
    .optional()
    .describe('A view’s id (built-in or saved): its filter and sort, narrowed by the rest'),
  status: commaList(Status, 5).optional().describe('Comma-separated statuses'),
  priority: commaList(Priority, 4).optional().describe('Comma-separated priorities'),
  customerId: Id.optional(),
  assignee: Assignee.optional(),
  teamId: Id.optional(),
  tag: commaList(Tag, MAX_FILTER_TAGS).optional().describe('Comma-separated tags, all required'),
  breached: z.enum(['true', 'false']).optional(),
  sort: z.enum(SORT_FIELDS).optional().describe('Without it: by relevance with words, else the view’s order'),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
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
  assigneeName: z.string().nullable(),
  planId: z.string(),
  nextClock: z.enum(['response', 'update', 'resolution']).nullable(),
  nextDueAt: Instant.nullable(),
  nextWarningAt: Instant.nullable(),
  breached: z.boolean(),
  createdAt: Instant,
  updatedAt: Instant,
  resolvedAt: Instant.nullable(),
  category: Category.nullable().optional().describe('Staff only'),
  tags: z.array(z.string()).optional().describe('Staff only'),
  assigneeId: z.string().nullable().optional().describe('Staff only'),
  teamId: z.string().nullable().optional().describe('Staff only'),
  terms: z.array(z.string()).describe('The words it matched (stems): what a page highlights'),
  snippet: z.string().nullable().describe('Its own words around the first match'),
});
export const SearchResponse = z.object({
  items: z.array(ListedTicketResponse),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
  now: Instant,
});

export const ViewBody = z.object({
  name: Name,
  scope: z.enum(['personal', 'team', 'everyone']).describe('team: its members see it; everyone: admins only'),
  teamId: Id.optional(),
  filter: ViewFilter,
  sort: Sort,
});
export const ViewPatchBody = z
  .object({ name: Name.optional(), filter: ViewFilter.optional(), sort: Sort.optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'name at least one of name, filter, sort',
  });
export const ViewResponse = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(['built-in', 'personal', 'team', 'everyone']),
  ownerId: z.string().nullable(),
  filter: ViewFilter,
  sort: Sort,
  createdBy: z.string().optional().describe('The person (or key) that saved it'),
  createdAt: Instant.optional(),
  version: z.number().int(),
});
export const ViewListResponse = z.object({
  items: z.array(ViewResponse.extend({ count: z.number().int() })),
  now: Instant,
});

const MacroChanges = z.object({
  status: Status.optional(),
  priority: Priority.optional(),
  category: Category.nullable().optional(),
  assignee: z
    .union([z.literal('me'), Id])
    .nullable()
    .optional()
    .describe('A staff id, `me` (whoever applies it), or null to unassign'),
  addTags: Tags.optional(),
  removeTags: Tags.optional(),
});
const MacroReply = z.object({
  body: z
    .string()
    .min(1)
    .max(MAX_MACRO_REPLY)
    .describe('Placeholders: {{requester.firstName}}, {{ticket.id}}, …'),
  internal: z.boolean().default(false),
});
export const MacroBody = z.object({
  name: Name,
  scope: z.enum(['personal', 'everyone']).describe('everyone: admins only'),
  reply: MacroReply.nullable().default(null),
  changes: MacroChanges.default({}),
});
export const MacroPatchBody = z
  .object({
    name: Name.optional(),
    reply: MacroReply.nullable().optional(),
    changes: MacroChanges.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'name at least one of name, reply, changes',
  });
export const MacroResponse = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(['personal', 'everyone']),
  ownerId: z.string().nullable(),
  reply: z.object({ body: z.string(), internal: z.boolean() }).nullable(),
  changes: MacroChanges,
  createdBy: z.string(),
  createdAt: Instant,
  version: z.number().int(),
});
export const MacroListResponse = z.object({
  items: z.array(MacroResponse),
  placeholders: z.record(z.string(), z.string()),
});
export const MacroTicketBody = z.object({
  ticketId: Id,
  ticketVersion: z.number().int().min(1).max(1_000_000_000).optional().describe('Apply only at this version'),
});
export const MacroPreviewResponse = z.object({
  reply: z.object({ body: z.string(), internal: z.boolean() }).nullable(),
  changes: MacroChanges,
  ticketVersion: z.number().int(),
});

export const BulkBody = z
  .object({
    ids: z.array(Id).min(1).max(MAX_BULK),
    changes: MacroChanges.extend({ teamId: Id.nullable().optional() }).default({}),
    macroId: Id.optional(),
  })
  .refine((b) => b.macroId !== undefined || Object.values(b.changes).some((v) => v !== undefined), {
    message: 'name a change or a macroId',
    path: ['changes'],
  });
export const BulkResponse = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      version: z.number().int().optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
  succeeded: z.number().int(),
  failed: z.number().int(),
});

export const TagsQuery = z.object({
  prefix: z.string().max(40).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const TagsResponse = z.object({
  items: z.array(z.object({ tag: z.string(), count: z.number().int() })),
});
