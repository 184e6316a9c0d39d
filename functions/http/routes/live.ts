// The live console: the one-time token a console opens its live connection with, and who is on
// a ticket (viewing it, writing a reply).
import * as z from '../../../domain/zod';
import * as live from '../../app/live';
import type { RouteSpec } from '../middleware';
import { IdParams, Instant } from '../primitives';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;

const Present = z.object({
  staffId: z.string(),
  name: z.string(),
  state: z.enum(['viewing', 'writing']),
  at: Instant,
});
const PresentList = z.object({
  items: z.array(Present).check(z.describe('The others on the ticket, writers first')),
});

export const liveRoutes = [
  route({
    method: 'POST',
    path: '/live/tickets',
    operationId: 'openLive',
    summary: `A one-time token (${live.LIVE_TOKEN_SECONDS} s) to open the live console’s connection with: a WebSocket URL on AWS, server-sent events locally`,
    roles: ['admin', 'agent'],
    status: 201,
    response: z.object({ transport: z.enum(['websocket', 'sse']), url: z.string(), expiresAt: Instant }),
    async handle({ deps, principal }) {
      return live.openLive(deps, principal);
    },
  }),
  route({
    method: 'GET',
    path: '/tickets/{id}/presence',
    operationId: 'getPresence',
    summary: 'Who else has the ticket open now, and who is writing a reply',
    roles: ['admin', 'agent'],
    params: IdParams,
    status: 200,
    response: PresentList,
    async handle({ deps, principal, params }) {
      return { items: await live.presentOn(deps, principal, params.id) };
    },
  }),
  route({
    method: 'POST',
    path: '/tickets/{id}/presence',
    operationId: 'sayPresence',
    summary:
      'Say the signed-in person has the ticket open (viewing), is writing a reply, or left; said again every 20 s, gone after 45 s unsaid. Answers who else is there',
    roles: ['admin', 'agent'],
    params: IdParams,
    body: z.object({ state: z.enum(['viewing', 'writing', 'left']) }),
    status: 200,
    response: PresentList,
    async handle({ deps, principal, params, body }) {
      return { items: await live.sayPresence(deps, principal, params.id, body.state) };
    },
  }),
];
