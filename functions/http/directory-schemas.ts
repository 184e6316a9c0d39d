// Request and response bodies of the directory, plan and operations routes (customers,
// devices, API keys, plans, incidents, reports). Apart from schemas.ts so that the ticket
// routes' bundle (the SLA path) does not carry them.

import { Contract } from '../../domain/billing';
import { MAX_REGIONS, REGION } from '../../domain/partners';
import { MAX_CONTACTS, PlanSchema } from '../../domain/plans';
import * as z from '../../domain/zod';
import { MAX_SEARCH_WORDS, searchWordCount } from '../app/shared';
import { Email, Id, Instant } from './primitives';

export const CreatePlanBody = z.object({
  ...PlanSchema.shape,
  holidaysIcs: z
    .optional(z.string().check(z.maxLength(200_000)))
    .check(z.describe('An iCalendar file whose events close the plan calendar (merged with its holidays)')),
});
export const CreateCustomerBody = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  planId: Id,
  contacts: z
    .array(
      z.object({
        email: Email,
        name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
        mayOpenTickets: z
          .optional(z.boolean())
          .check(z.describe('Holds one of the plan seats (default true)')),
      }),
    )
    .check(z.minLength(1), z.maxLength(MAX_CONTACTS)),
  contract: z
    .optional(z.partial(Contract))
    .check(z.describe('Billing terms: update subscription, service contract, tariff')),
});
export const DeviceBody = z.object({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)) });
export const ListDevicesQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 100),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
const Device = z.object({
  id: z.string(),
  seq: z.number().check(z.int(), z.describe('1 for the first device registered, then 2, 3, …')),
  name: z.string(),
  registeredAt: Instant,
});
export const DeviceResponse = Device;
export const DeviceListResponse = z.object({
  items: z.array(Device),
  nextCursor: z.nullable(z.string()).check(z.describe('Pass as cursor for the next page; null on the last')),
});
const IncidentFields = {
  component: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  startedAt: Instant,
  endedAt: z.optional(z.nullable(Instant)).check(z.describe('Absent or null while the incident lasts')),
  customerIds: z
    .optional(z.nullable(z.array(Id).check(z.maxLength(1000))))
    .check(z.describe('Affected customers; absent or null: all')),
  planned: z.optional(z.boolean()).check(z.describe('Planned maintenance')),
};
export const CreateIncidentBody = z.object(IncidentFields);
export const PatchIncidentBody = z.partial(z.object(IncidentFields));
export const ReportParams = z.object({
  id: Id,
  month: z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as yyyy-mm')),
});
export const CustomerResponse = z.object({
  id: z.string(),
  name: z.string(),
  planId: z.string(),
  contacts: z.array(z.object({ email: z.string(), name: z.string(), mayOpenTickets: z.boolean() })),
  contract: Contract,
  deviceCount: z
    .number()
    .check(z.int(), z.describe('Devices registered (GET /customers/{id}/devices lists them)')),
  supportManager: z
    .nullable(
      z.object({
        staffId: z.optional(z.string()).check(z.describe('Staff only: the staff account')),
        email: z.optional(z.string()).check(z.describe('Staff only')),
        name: z.string(),
      }),
    )
    .check(
      z.describe('The agent who is the customer’s support manager (plans with supportManager), or null'),
    ),
  createdAt: Instant,
  version: z.number().check(z.int()),
});
export const SupportManagerBody = z.object({
  supportManager: z
    .nullable(z.object({ staffId: Id.check(z.describe('A staff member of the directory')) }))
    .check(
      z.describe('An agent: copied on the monthly report and P1 notices, the default assignee; null removes'),
    ),
});
export const ShareBody = z.object({
  summary: z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(2000),
      z.describe('What was asked, in words fit for every customer'),
    ),
  resolution: z
    .string()
    .check(z.trim(), z.minLength(1), z.maxLength(20_000), z.describe('How it was solved')),
});
export const SharedTicketResponse = z.object({
  id: z.string(),
  ticketId: z.optional(z.string()).check(z.describe('Staff only')),
  category: z.nullable(z.string()),
  priority: z.string(),
  summary: z.string(),
  resolution: z.string(),
  sharedAt: Instant,
});
export const ListPageQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
const NextCursor = z
  .nullable(z.string())
  .check(z.describe('Pass as cursor for the next page; null on the last'));
export const CustomerListResponse = z.object({ items: z.array(CustomerResponse), nextCursor: NextCursor });
export const ReportListResponse = z.object({
  items: z.array(
    z.object({
      month: z.string().check(z.describe('yyyy-mm')),
      mailedAt: z.nullable(Instant).check(z.describe('When it was mailed to the contacts; null before')),
    }),
  ),
  nextCursor: NextCursor,
});
export const IncidentResponse = z.object({
  id: z.string(),
  component: z.string(),
  startedAt: Instant,
  endedAt: z.nullable(Instant),
  customerIds: z.nullable(z.array(z.string())),
  planned: z.boolean(),
  createdAt: Instant,
  updatedAt: Instant,
  version: z.number().check(z.int()),
});
export const PlanResponse = PlanSchema;
export const PlanListResponse = z.object({ items: z.array(PlanSchema) });
export const ReportResponse = z
  .record(z.string(), z.unknown())
  .check(z.describe('The monthly report of one customer'));
export const SharedSearchQuery = z.extend(ListPageQuery, {
  q: z
    .optional(
      z.string().check(
        z.maxLength(200),
        z.refine(
          (q) => searchWordCount(q) <= MAX_SEARCH_WORDS,
          `search with at most ${MAX_SEARCH_WORDS} words`,
        ),
      ),
    )
    .check(
      z.describe(`Words that must all appear (summary, resolution, category), at most ${MAX_SEARCH_WORDS}`),
    ),
});
export const SharedListResponse = z.object({ items: z.array(SharedTicketResponse), nextCursor: NextCursor });
const Region = z
  .string()
  .check(
    z.regex(REGION, 'expected an ISO 3166 country or subdivision code such as SE or SE-AB (upper case)'),
  );
export const PartnerBody = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  email: Email.check(z.describe('Where routed tickets are mailed; their replies come from it')),
  regions: z
    .array(Region)
    .check(
      z.minLength(1),
      z.maxLength(MAX_REGIONS),
      z.describe(`The countries and subdivisions they work in (1 to ${MAX_REGIONS})`),
    ),
});
export const PartnerPatchBody = z.partial(PartnerBody).check(
  z.refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'name at least one of name, email, regions',
  }),
);
export const PartnerResponse = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  regions: z.array(z.string()),
  createdAt: Instant,
  updatedAt: Instant,
  version: z.number().check(z.int()),
});
export const PartnerListQuery = z.object({
  region: z
    .optional(Region)
    .check(z.describe('Only partners who serve it (a country covers its subdivisions)')),
});
export const RouteBody = z.object({
  partnerId: z.nullable(Id).check(z.describe('The partner to route to; null takes the ticket back')),
  note: z
    .optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)))
    .check(z.describe('For the partner (staff see it too)')),
});
