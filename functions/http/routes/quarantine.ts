// GET /quarantine: every received mail that became no ticket and no message, with its reason.
import * as z from '../../../domain/zod';
import type { RouteSpec } from '../middleware';

const Query = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

const Item = z.object({
  messageId: z.string(),
  receivedAt: z.string(),
  from: z.nullable(z.string()),
  subject: z.nullable(z.string()),
  reason: z.nullable(z.string()),
  rawKey: z.string().check(z.describe('Where the raw message is kept (blob store)')),
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
    response: z.object({ items: z.array(Item), nextCursor: z.nullable(z.string()) }),
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
