// Request and response bodies of the HTTP contract (PRODUCT.md). Handlers parse with these
// and GET /openapi.json is generated from them. Limits keep every item under DynamoDB's
// 400 KB and every request under 1 MB.

import { LABEL_MAX } from '../../domain/insights';
import * as z from '../../domain/zod';
import { MAX_ATTACHMENTS } from '../app/attachments';
import { Category, Channel, Email, Id, Instant, Priority, Role, Status, Tags } from './primitives';

const TEXT_LIMIT = 64_000; // characters; at most 256 KB of UTF-8

export {
  Category,
  Channel,
  Email,
  Id,
  IdParams,
  Instant,
  Priority,
  Role,
  recordable,
  Status,
} from './primitives';

const AttachmentRefs = z
  .optional(
    z
      .array(
        z.object({
          uploadId: z
            .string()
            .check(z.regex(/^UPL-[0-9A-Z]{10}$/, 'expected an upload id from POST /uploads')),
          name: z
            .string()
            .check(z.trim(), z.minLength(1), z.maxLength(200), z.describe('The file name people see')),
        }),
      )
      .check(z.maxLength(MAX_ATTACHMENTS)),
  )
  .check(z.describe(`Files uploaded with POST /uploads (at most ${MAX_ATTACHMENTS})`));

// Printable, no control characters: it becomes part of a key and of mail and page text.
const printable = (max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(max),
      z.regex(/^[^\p{Cc}\p{Cs}]+$/u, 'expected printable text without control characters'),
    );
// Text people write over lines (a description, a message): line breaks and tabs, but no other
// control character (NUL breaks mail clients and the programs that read our JSON) and no lone
// surrogate (not a character: unencodable in UTF-8, so in mail).
const writtenText = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(max),
    z.refine(
      (text) => !/\p{Cs}|[^\P{Cc}\t\n\r]/u.test(text),
      'expected text without control characters (other than line breaks and tabs) or lone surrogates',
    ),
  );
const ExternalRef = printable(200);
const Component = printable(LABEL_MAX).check(
  z.describe('The part of the solution affected (alerts set it from their component label)'),
);
const Device = printable(LABEL_MAX).check(z.describe('The device affected: its name or serial'));

export const CreateTicketBody = z.object({
  // One line: it becomes a mail subject.
  subject: printable(200),
  description: writtenText(TEXT_LIMIT),
  priority: Priority,
  category: z.optional(Category),
  component: z.optional(Component),
  device: z.optional(Device),
  channel: z
    .optional(Channel)
    .check(
      z.describe(
        'How the ticket came in. Default: form, or api where the plan does not accept form; a channel named here that the plan does not accept is a 422 channel-not-included',
      ),
    ),
  customerId: z
    .optional(Id)
    .check(z.describe('Required for agent keys; a customer key opens for its own customer')),
  requesterEmail: z
    .optional(Email)
    .check(z.describe('A contact of the customer holding a seat (default: the first)')),
  attachments: AttachmentRefs,
  externalRef: z
    .optional(ExternalRef)
    .check(
      z.describe(
        'The ticket’s id in the client’s own service desk, unique per customer: creating again with it answers 200 with the first ticket',
      ),
    ),
});

export const ListTicketsQuery = z.object({
  status: z.optional(Status),
  priority: z.optional(Priority),
  customerId: z.optional(Id),
  breached: z.optional(z.enum(['true', 'false'])),
  assignee: z
    .optional(z.union([z.literal('me'), Email]))
    .check(z.describe('Only tickets assigned to this agent, by address, or `me` (staff)')),
  teamId: z.optional(Id).check(z.describe('Only tickets with this team (staff)')),
  externalRef: z
    .optional(ExternalRef)
    .check(z.describe('The ticket with this id of the client’s desk (staff also name the customerId)')),
  sort: z
    ._default(z.enum(['created', 'deadline']), 'created')
    .check(
      z.describe(
        'created: newest first; deadline: tickets with a running clock, soonest due first (the queue)',
      ),
    ),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

export const MessageBody = z.object({
  body: writtenText(TEXT_LIMIT),
  internal: z
    .optional(z.boolean())
    .check(z.describe('An internal note, hidden from the customer (agents only)')),
  attachments: AttachmentRefs,
});

export const StatusBody = z.object({ status: Status });

export const PatchTicketBody = z
  .object({
    priority: z.optional(Priority),
    assigneeId: z
      .optional(z.nullable(Id))
      .check(z.describe('A staff member of the directory; null unassigns')),
    assignee: z
      .optional(z.nullable(Email))
      .check(z.describe('The same by the staff member’s e-mail address; null unassigns')),
    teamId: z.optional(z.nullable(Id)).check(z.describe('The team it is with; null: none')),
    category: z.optional(z.nullable(Category)),
    component: z.optional(z.nullable(Component)),
    device: z.optional(z.nullable(Device)),
    tags: z.optional(Tags).check(z.describe('The ticket’s tags, whole (staff only)')),
  })
  .check(
    z.refine((b) => Object.values(b).some((v) => v !== undefined), {
      message:
        'name at least one of priority, assigneeId, assignee, teamId, category, component, device, tags',
    }),
  );

export const TimeEntryBody = z.object({
  minutes: z.number().check(z.int(), z.gte(1), z.lte(24 * 60)),
  note: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
});

// Responses ------------------------------------------------------------------------------

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), in: z.string(), message: z.string() })),
  }),
});

const Actor = z.nullable(
  z.object({
    role: z.enum([...Role.options, 'partner']),
    name: z.string(),
    keyId: z.optional(z.string()).check(z.describe('The API key that acted (staff only)')),
    staffId: z.optional(z.string()).check(z.describe('The staff account that acted')),
  }),
);
const FileLink = z.object({
  name: z.string(),
  type: z.string(),
  size: z.number().check(z.int()),
  href: z.string().check(z.describe('GET it for a short-lived download link (302)')),
});
const TimelineEntry = z
  .catchall(
    z.object({
      seq: z.number().check(z.int()),
      at: Instant,
      type: z.string(),
      actor: Actor,
      attachments: z.optional(z.array(FileLink)),
      original: z
        .optional(FileLink)
        .check(
          z.describe(
            'Staff only: the mail the entry came from, as received (its text here has the quoted history cut off)',
          ),
        ),
      mailProblem: z
        .optional(z.string())
        .check(z.describe('Staff only: what was wrong with a mail filed with what could be read of it')),
    }),
    z.unknown(),
  )
  .check(
    z.describe(
      'created, message (author agent, customer or partner), status, priority, assignee, category, field (component or device), routed (to an onsite partner), time-entry, breach or escalated',
    ),
  );

export const Sla = z.object({
  responseDueAt: z.nullable(Instant),
  respondedAt: z.nullable(Instant),
  nextUpdateDueAt: z.nullable(Instant),
  resolutionDueAt: z.nullable(Instant),
  paused: z.boolean(),
  escalationLevel: z.number().check(z.int()),
  breaches: z.array(
    z.object({ clock: z.enum(['response', 'update', 'resolution']), dueAt: Instant, breachedAt: Instant }),
  ),
});

const TicketFields = {
  id: z.string(),
  customerId: z.string(),
  planId: z.string(),
  subject: z.string(),
  priority: Priority,
  category: z.nullable(Category),
  component: z.nullable(z.string()),
  device: z.nullable(z.string()),
  channel: Channel,
  requesterEmail: z.string(),
  externalRef: z.nullable(z.string()).check(z.describe('The ticket’s id in the client’s service desk')),
  status: Status,
  assignee: z
    .nullable(z.string())
    .check(z.describe('Staff: the assignee’s e-mail address. Customers: the assignee’s display name')),
  assigneeName: z
    .optional(z.nullable(z.string()))
    .check(z.describe('The display name customers see (staff only)')),
  assigneeId: z
    .optional(z.nullable(z.string()))
    .check(z.describe('The assignee’s staff account (staff only)')),
  teamId: z.optional(z.nullable(z.string())).check(z.describe('The team it is with (staff only)')),
  tags: z.optional(z.array(z.string())).check(z.describe('Its tags (staff only)')),
  partner: z
    .nullable(z.object({ id: z.optional(z.string()), name: z.string(), email: z.optional(z.string()) }))
    .check(z.describe('The onsite partner the ticket is routed to (customers see the name)')),
  createdAt: Instant,
  updatedAt: Instant,
  version: z.number().check(z.int()),
};

export const TicketResponse = z.object({
  ...TicketFields,
  description: z.string(),
  sla: Sla,
  timeline: z.array(TimelineEntry),
});
export const TicketListResponse = z.object({
  items: z.array(
    z.object({
      ...TicketFields,
      nextBreachAt: z.nullable(Instant),
      nextWarningAt: z
        .nullable(Instant)
        .check(z.describe('When the next running clock reaches 80 % of its time')),
      breached: z.boolean(),
    }),
  ),
  nextCursor: z.nullable(z.string()).check(z.describe('Pass as cursor for the next page; null on the last')),
  now: Instant.check(z.describe('The server’s time: countdowns count from it, not from the reader’s clock')),
});

export const ChainResponse = z.object({
  key: z
    .string()
    .check(
      z.describe('`response#1#breach`: the clock, cycle and kind; `created#1`, `escalated#7`: paged at once'),
    ),
  on: z.enum(['warning', 'breach']),
  startedAt: Instant,
  steps: z.array(
    z.object({
      index: z.number().check(z.int()),
      recipient: z.string(),
      by: z.enum(['notify', 'page']),
      dueAt: Instant,
      state: z.enum(['sent', 'failed', 'unreached', 'due', 'stopped']),
      at: z.nullable(Instant),
      to: z.nullable(z.object({ staffId: z.string(), name: z.string() })),
      unreached: z.nullable(z.string()),
      service: z.nullable(z.enum(['sms', 'mail', 'slack', 'pagerduty', 'opsgenie'])),
      error: z.nullable(z.string()),
    }),
  ),
  acknowledged: z.nullable(z.object({ at: Instant, by: z.string(), via: z.string() })),
});

export const ExplainResponse = z.array(
  z.object({
    escalation: z
      .optional(z.array(ChainResponse))
      .check(z.describe('Staff: the steps this clock’s warnings and breaches began')),
    clock: z.enum(['response', 'update', 'resolution']),
    cycle: z.number().check(z.int()),
    state: z.string(),
    priority: Priority,
    override: z
      .nullable(Category)
      .check(z.describe('The ticket type whose own target applies (the plan’s byCategory), or null')),
    target: z.string(),
    plan: z.object({ id: z.string(), version: z.number().check(z.int()) }),
    calendar: z.object({ name: z.string(), timeZone: z.string(), hours: z.string() }),
    startedAt: z.nullable(Instant),
    dueAt: z.nullable(Instant),
    stoppedAt: z.nullable(Instant),
    businessTarget: z.nullable(z.string()),
    businessUsed: z.string(),
    segments: z.array(
      z.object({
        from: Instant,
        to: Instant,
        kind: z.enum(['open', 'closed', 'holiday', 'paused']),
        reason: z.optional(z.string()),
        counted: z.string(),
      }),
    ),
    summary: z.string(),
  }),
);
