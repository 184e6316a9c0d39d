// Request and response bodies of the directory, plan and operations routes (customers,
// devices, API keys, plans, incidents, reports). Apart from schemas.ts so that the ticket
// routes' bundle (the SLA path) does not carry them.
import * as z from 'zod';
import { Contract } from '../../domain/billing';
import { MAX_REGIONS, REGION } from '../../domain/partners';
import { MAX_CONTACTS, PlanSchema } from '../../domain/plans';
import { MAX_SEARCH_WORDS, searchWordCount } from '../app/shared';
import { Email, Id, Instant } from './primitives';

export const CreatePlanBody = z.object({
  ...PlanSchema.shape,
  holidaysIcs: z
    .string()
    .max(200_000)
    .optional()
    .describe('An iCalendar file whose events close the plan calendar (merged with its holidays)'),
});
export const CreateCustomerBody = z.object({
  name: z.string().trim().min(1).max(200),
  planId: Id,
  contacts: z
    .array(
      z.object({
        email: Email,
        name: z.string().trim().min(1).max(200),
        mayOpenTickets: z.boolean().optional().describe('Holds one of the plan seats (default true)'),
      }),
    )
    .min(1)
    .max(MAX_CONTACTS),
  contract: Contract.partial()
    .optional()
    .describe('Billing terms: update subscription, service contract, tariff'),
});
export const DeviceBody = z.object({ name: z.string().trim().min(1).max(200) });
export const ListDevicesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(2048).optional(),
});
const Device = z.object({
  id: z.string(),
  seq: z.number().int().describe('1 for the first device registered, then 2, 3, …'),
  name: z.string(),
  registeredAt: Instant,
});
export const DeviceResponse = Device;
export const DeviceListResponse = z.object({
  items: z.array(Device),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last'),
});
const IncidentFields = {
  component: z.string().trim().min(1).max(200),
  startedAt: Instant,
  endedAt: Instant.nullable().optional().describe('Absent or null while the incident lasts'),
  customerIds: z
    .array(Id)
    .max(1000)
    .nullable()
    .optional()
    .describe('Affected customers; absent or null: all'),
  planned: z.boolean().optional().describe('Planned maintenance'),
};
export const CreateIncidentBody = z.object(IncidentFields);
export const PatchIncidentBody = z.object(IncidentFields).partial();
export const ReportParams = z.object({
  id: Id,
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as yyyy-mm'),
});
export const CustomerResponse = z.object({
  id: z.string(),
  name: z.string(),
  planId: z.string(),
  contacts: z.array(z.object({ email: z.string(), name: z.string(), mayOpenTickets: z.boolean() })),
  contract: Contract,
  deviceCount: z.number().int().describe('Devices registered (GET /customers/{id}/devices lists them)'),
  supportManager: z
    .object({
      staffId: z.string().optional().describe('Staff only: the staff account'),
      email: z.string().optional().describe('Staff only'),
      name: z.string(),
    })
    .nullable()
    .describe('The agent who is the customer’s support manager (plans with supportManager), or null'),
  createdAt: Instant,
  version: z.number().int(),
});
export const SupportManagerBody = z.object({
  supportManager: z
    .object({ staffId: Id.describe('A staff member of the directory') })
    .nullable()
    .describe('An agent: copied on the monthly report and P1 notices, the default assignee; null removes'),
});
export const ShareBody = z.object({
  summary: z.string().trim().min(1).max(2000).describe('What was asked, in words fit for every customer'),
  resolution: z.string().trim().min(1).max(20_000).describe('How it was solved'),
});
export const SharedTicketResponse = z.object({
  id: z.string(),
  ticketId: z.string().optional().describe('Staff only'),
  category: z.string().nullable(),
  priority: z.string(),
  summary: z.string(),
  resolution: z.string(),
  sharedAt: Instant,
});
export const ListPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});
const NextCursor = z.string().nullable().describe('Pass as cursor for the next page; null on the last');
export const CustomerListResponse = z.object({ items: z.array(CustomerResponse), nextCursor: NextCursor });
export const ReportListResponse = z.object({
  items: z.array(
    z.object({
      month: z.string().describe('yyyy-mm'),
      mailedAt: Instant.nullable().describe('When it was mailed to the contacts; null before'),
    }),
  ),
  nextCursor: NextCursor,
});
export const IncidentResponse = z.object({
  id: z.string(),
  component: z.string(),
  startedAt: Instant,
  endedAt: Instant.nullable(),
  customerIds: z.array(z.string()).nullable(),
  planned: z.boolean(),
  createdAt: Instant,
  updatedAt: Instant,
  version: z.number().int(),
});
export const PlanResponse = PlanSchema;
export const PlanListResponse = z.object({ items: z.array(PlanSchema) });
export const ReportResponse = z
  .record(z.string(), z.unknown())
  .describe('The monthly report of one customer');
export const SharedSearchQuery = ListPageQuery.extend({
  q: z
    .string()
    .max(200)
    .refine((q) => searchWordCount(q) <= MAX_SEARCH_WORDS, `search with at most ${MAX_SEARCH_WORDS} words`)
    .optional()
    .describe(`Words that must all appear (summary, resolution, category), at most ${MAX_SEARCH_WORDS}`),
});
export const SharedListResponse = z.object({ items: z.array(SharedTicketResponse), nextCursor: NextCursor });
const Region = z
  .string()
  .regex(REGION, 'expected an ISO 3166 country or subdivision code such as SE or SE-AB (upper case)');
export const PartnerBody = z.object({
  name: z.string().trim().min(1).max(200),
  email: Email.describe('Where routed tickets are mailed; their replies come from it'),
  regions: z
    .array(Region)
    .min(1)
    .max(MAX_REGIONS)
    .describe(`The countries and subdivisions they work in (1 to ${MAX_REGIONS})`),
});
export const PartnerPatchBody = PartnerBody.partial().refine(
  (b) => Object.values(b).some((v) => v !== undefined),
  { message: 'name at least one of name, email, regions' },
);
export const PartnerResponse = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  regions: z.array(z.string()),
  createdAt: Instant,
  updatedAt: Instant,
  version: z.number().int(),
});
export const PartnerListQuery = z.object({
  region: Region.optional().describe('Only partners who serve it (a country covers its subdivisions)'),
});
export const RouteBody = z.object({
  partnerId: Id.nullable().describe('The partner to route to; null takes the ticket back'),
  note: z.string().trim().min(1).max(4000).optional().describe('For the partner (staff see it too)'),
});
