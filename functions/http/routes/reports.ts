// POST /reports/run: an admin runs a month's reports on demand (re-running replaces them and
// mails again only with resend).
import * as z from 'zod';
import { previousMonth } from '../../../domain/uptime';
import { runMonthlyReports } from '../../app/reports';
import { config } from '../../config';
import type { RouteSpec } from '../middleware';

const Body = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as yyyy-mm')
    .optional()
    .describe('Default: last month'),
  resend: z.boolean().optional().describe('Mail the report again even if it was mailed'),
});

export const reportRoutes = [
  {
    method: 'POST',
    path: '/reports/run',
    operationId: 'runReports',
    summary: 'Build, store and mail every customer’s report for a month',
    roles: ['admin'],
    body: Body,
    status: 200,
    response: z.object({
      month: z.string(),
      customers: z.number().int(),
      mailed: z.number().int(),
      failed: z
        .array(z.object({ customerId: z.string(), error: z.string() }))
        .describe('Customers whose report failed; the others were reported'),
    }),
    async handle({ deps, body }) {
      const month = body.month ?? previousMonth(deps.clock.now(), config().REPORT_TIME_ZONE);
      return runMonthlyReports(deps, month, { resend: body.resend ?? false });
    },
  } satisfies RouteSpec<unknown, unknown, z.infer<typeof Body>>,
];
