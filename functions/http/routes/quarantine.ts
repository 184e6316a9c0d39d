// GET /quarantine: every received mail that became no ticket and no message, with its reason.
import * as z from 'zod';
import type { RouteSpec } from '../middleware';

const Query = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

const Item = z.object({
  messageId: z.string(),
  receivedAt: z.string(),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  reason: z.string().nullable(),
  rawKey: z.string().describe('Where the raw message is kept (blob store)'),
});

export const quarantineRoutes = [
  {
    method: 'GET',
    path: '/quarantine',
    operationId: 'listQuarantine',
    summary: 'Received mail that opened no ticket and added no message, newest first, with the reason',
    roles: ['admin', 'agent'],
    query: Query,
    status: 200,
    response: z.object({ items: z.array(Item), nextCursor: z.string().nullable() }),
    async handle({ deps, query }) {
      const page = await deps.inbound.listQuarantine(query.limit, query.cursor);
      return {
        items: page.items.map(({ messageId, receivedAt, from, subject, reason, rawKey }) => ({
          messageId,
          receivedAt,
          from,
          subject,
          reason,
          rawKey,
        })),
        nextCursor: page.nextCursor,
      };
    },
  } satisfies RouteSpec<unknown, z.infer<typeof Query>, unknown>,
];
