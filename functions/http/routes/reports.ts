// POST /reports/run: an admin starts a month's reports on demand (re-running replaces them and
// mails again only with resend); GET /reports/runs/{month}: how the month's run is going.

import { NotFound } from '../../../domain/errors';
import { previousMonth } from '../../../domain/uptime';
import * as z from '../../../domain/zod';
import { startMonthlyReports } from '../../app/reports';
import { config } from '../../config';
import type { RouteSpec } from '../middleware';
import { Instant } from '../primitives';

const Month = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as yyyy-mm'));
const Body = z.object({
  month: z.optional(Month).check(z.describe('Default: last month')),
  resend: z.optional(z.boolean()).check(z.describe('Mail the report again even if it was mailed')),
});
const RunResponse = z.object({
  month: z.string(),
  customers: z.number().check(z.int(), z.describe('Customers queued: one unit of work each')),
  done: z.number().check(z.int(), z.describe('Reported (stored, and mailed where due)')),
  mailed: z.number().check(z.int()),
  failed: z.number().check(z.int(), z.describe('Failed on every attempt (on AWS: in the dead-letter queue)')),
  failures: z
    .array(z.object({ customerId: z.string(), error: z.string() }))
    .check(z.describe('The first 50')),
  startedAt: Instant,
  updatedAt: Instant,
});

export const reportRoutes = [
  {
    method: 'POST',
    path: '/reports/run',
    operationId: 'runReports',
    summary:
      'Starts every customer’s report of a month, one unit each (queued on AWS, where it answers at once; run before the answer locally)',
    roles: ['admin'],
    body: Body,
    status: 200,
    response: RunResponse,
    async handle({ deps, body }) {
      const month = body.month ?? previousMonth(deps.clock.now(), config().REPORT_TIME_ZONE);
      return startMonthlyReports(deps, month, { resend: body.resend ?? false, strict: true });
    },
  } satisfies RouteSpec<unknown, unknown, z.infer<typeof Body>>,
  {
    method: 'GET',
    path: '/reports/runs/{month}',
    operationId: 'getReportRun',
    summary: 'A month’s run: customers queued, done, mailed, failed',
    roles: ['admin'],
    params: z.object({ month: Month }),
    status: 200,
    response: RunResponse,
    async handle({ deps, params }) {
      const run = await deps.reports.getRun(params.month);
      if (!run) throw new NotFound('report run', params.month);
      return run;
    },
  } satisfies RouteSpec<{ month: string }, unknown, unknown>,
];
