// Request and response bodies of the HTTP contract (PRODUCT.md). Handlers parse with these
// and GET /openapi.json is generated from them. Limits keep every item under DynamoDB's
// 400 KB and every request under 1 MB.
import * as z from 'zod';
import { LABEL_MAX } from '../../domain/insights';
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
  .array(
    z.object({
      uploadId: z.string().regex(/^UPL-[0-9A-Z]{10}$/, 'expected an upload id from POST /uploads'),
      name: z.string().trim().min(1).max(200).describe('The file name people see'),
    }),
  )
  .max(MAX_ATTACHMENTS)
  .optional()
  .describe(`Files uploaded with POST /uploads (at most ${MAX_ATTACHMENTS})`);

// Printable, no control characters: it becomes part of a key and of mail and page text.
const printable = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cs}]+$/u, 'expected printable text without control characters');
// Text people write over lines (a description, a message): line breaks and tabs, but no other
// control character (NUL breaks mail clients and the programs that read our JSON) and no lone
// surrogate (not a character: unencodable in UTF-8, so in mail).
const writtenText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(
      (text) => !/\p{Cs}|[^\P{Cc}\t\n\r]/u.test(text),
      'expected text without control characters (other than line breaks and tabs) or lone surrogates',
    );
const ExternalRef = printable(200);
const Component = printable(LABEL_MAX).describe(
  'The part of the solution affected (alerts set it from their component label)',
);
const Device = printable(LABEL_MAX).describe('The device affected: its name or serial');

export const CreateTicketBody = z.object({
  // One line: it becomes a mail subject.
  subject: printable(200),
  description: writtenText(TEXT_LIMIT),
  priority: Priority,
  category: Category.optional(),
  component: Component.optional(),
  device: Device.optional(),
  channel: Channel.optional().describe(
    'How the ticket came in. Default: form, or api where the plan does not accept form; a channel named here that the plan does not accept is a 422 channel-not-included',
  ),
  customerId: Id.optional().describe('Required for agent keys; a customer key opens for its own customer'),
  requesterEmail: Email.optional().describe('A contact of the customer holding a seat (default: the first)'),
  attachments: AttachmentRefs,
  externalRef: ExternalRef.optional().describe(
    'The ticket’s id in the client’s own service desk, unique per customer: creating again with it answers 200 with the first ticket',
  ),
});

export const ListTicketsQuery = z.object({
  status: Status.optional(),
  priority: Priority.optional(),
  customerId: Id.optional(),
  breached: z.enum(['true', 'false']).optional(),
  assignee: z
    .union([z.literal('me'), Email])
    .optional()
    .describe('Only tickets assigned to this agent, by address, or `me` (staff)'),
  teamId: Id.optional().describe('Only tickets with this team (staff)'),
  externalRef: ExternalRef.optional().describe(
    'The ticket with this id of the client’s desk (staff also name the customerId)',
  ),
  sort: z
    .enum(['created', 'deadline'])
    .default('created')
    .describe('created: newest first; deadline: tickets with a running clock, soonest due first (the queue)'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

export const MessageBody = z.object({
  body: writtenText(TEXT_LIMIT),
  internal: z.boolean().optional().describe('An internal note, hidden from the customer (agents only)'),
  attachments: AttachmentRefs,
});

export const StatusBody = z.object({ status: Status });

export const PatchTicketBody = z
  .object({
    priority: Priority.optional(),
    assigneeId: Id.nullable().optional().describe('A staff member of the directory; null unassigns'),
    assignee: Email.nullable()
      .optional()
      .describe('The same by the staff member’s e-mail address; null unassigns'),
    teamId: Id.nullable().optional().describe('The team it is with; null: none'),
    category: Category.nullable().optional(),
    component: Component.nullable().optional(),
    device: Device.nullable().optional(),
    tags: Tags.optional().describe('The ticket’s tags, whole (staff only)'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'name at least one of priority, assigneeId, assignee, teamId, category, component, device, tags',
  });

export const TimeEntryBody = z.object({
  minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  note: z.string().trim().max(2000).optional(),
});

// Responses ------------------------------------------------------------------------------

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), in: z.string(), message: z.string() })),
  }),
});

const Actor = z
  .object({
    role: z.enum([...Role.options, 'partner']),
    name: z.string(),
    keyId: z.string().optional().describe('The API key that acted (staff only)'),
    staffId: z.string().optional().describe('The staff account that acted'),
  })
  .nullable();
const FileLink = z.object({
  name: z.string(),
  type: z.string(),
  size: z.number().int(),
  href: z.string().describe('GET it for a short-lived download link (302)'),
});
const TimelineEntry = z
  .object({
    seq: z.number().int(),
    at: Instant,
    type: z.string(),
    actor: Actor,
    attachments: z.array(FileLink).optional(),
    original: FileLink.optional().describe(
      'Staff only: the mail the entry came from, as received (its text here has the quoted history cut off)',
    ),
    mailProblem: z
      .string()
      .optional()
      .describe('Staff only: what was wrong with a mail filed with what could be read of it'),
  })
  .catchall(z.unknown())
  .describe(
    'created, message (author agent, customer or partner), status, priority, assignee, category, field (component or device), routed (to an onsite partner), time-entry, breach or escalated',
  );

export const Sla = z.object({
  responseDueAt: Instant.nullable(),
  respondedAt: Instant.nullable(),
  nextUpdateDueAt: Instant.nullable(),
  resolutionDueAt: Instant.nullable(),
  paused: z.boolean(),
  escalationLevel: z.number().int(),
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
  category: Category.nullable(),
  component: z.string().nullable(),
  device: z.string().nullable(),
  channel: Channel,
  requesterEmail: z.string(),
  externalRef: z.string().nullable().describe('The ticket’s id in the client’s service desk'),
  status: Status,
  assignee: z
    .string()
    .nullable()
    .describe('Staff: the assignee’s e-mail address. Customers: the assignee’s display name'),
  assigneeName: z.string().nullable().optional().describe('The display name customers see (staff only)'),
  assigneeId: z.string().nullable().optional().describe('The assignee’s staff account (staff only)'),
  teamId: z.string().nullable().optional().describe('The team it is with (staff only)'),
  tags: z.array(z.string()).optional().describe('Its tags (staff only)'),
  partner: z
    .object({ id: z.string().optional(), name: z.string(), email: z.string().optional() })
    .nullable()
    .describe('The onsite partner the ticket is routed to (customers see the name)'),
  createdAt: Instant,
  updatedAt: Instant,
  version: z.number().int(),
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
      nextBreachAt: Instant.nullable(),
      nextWarningAt: Instant.nullable().describe('When the next running clock reaches 80 % of its time'),
      breached: z.boolean(),
    }),
  ),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last'),
  now: Instant.describe('The server’s time: countdowns count from it, not from the reader’s clock'),
});

export const ChainResponse = z.object({
  key: z
    .string()
    .describe('`response#1#breach`: the clock, cycle and kind; `created#1`, `escalated#7`: paged at once'),
  on: z.enum(['warning', 'breach']),
  startedAt: Instant,
  steps: z.array(
    z.object({
      index: z.number().int(),
      recipient: z.string(),
      by: z.enum(['notify', 'page']),
      dueAt: Instant,
      state: z.enum(['sent', 'failed', 'unreached', 'due', 'stopped']),
      at: Instant.nullable(),
      to: z.object({ staffId: z.string(), name: z.string() }).nullable(),
      unreached: z.string().nullable(),
      service: z.enum(['sms', 'mail', 'slack', 'pagerduty', 'opsgenie']).nullable(),
      error: z.string().nullable(),
    }),
  ),
  acknowledged: z.object({ at: Instant, by: z.string(), via: z.string() }).nullable(),
});

export const ExplainResponse = z.array(
  z.object({
    escalation: z
      .array(ChainResponse)
      .optional()
      .describe('Staff: the steps this clock’s warnings and breaches began'),
    clock: z.enum(['response', 'update', 'resolution']),
    cycle: z.number().int(),
    state: z.string(),
    priority: Priority,
    override: Category.nullable().describe(
      'The ticket type whose own target applies (the plan’s byCategory), or null',
    ),
    target: z.string(),
    plan: z.object({ id: z.string(), version: z.number().int() }),
    calendar: z.object({ name: z.string(), timeZone: z.string(), hours: z.string() }),
    startedAt: Instant.nullable(),
    dueAt: Instant.nullable(),
    stoppedAt: Instant.nullable(),
    businessTarget: z.string().nullable(),
    businessUsed: z.string(),
    segments: z.array(
      z.object({
        from: Instant,
        to: Instant,
        kind: z.enum(['open', 'closed', 'holiday', 'paused']),
        reason: z.string().optional(),
        counted: z.string(),
      }),
    ),
    summary: z.string(),
  }),
);
