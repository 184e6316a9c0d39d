// A person's notifications: the console's unread list, marked read one by one or all at once.

import { MAX_NOTIFICATIONS, NOTIFICATION_KINDS } from '../../../domain/notifications';
import * as z from '../../../domain/zod';
import * as notifications from '../../app/notifications';
import type { RouteSpec } from '../middleware';
import { Instant } from '../primitives';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;

const Notification = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  ticketId: z.string(),
  text: z.string(),
  at: Instant,
  readAt: z.nullable(Instant),
});

export const notificationRoutes = [
  route({
    method: 'GET',
    path: '/notifications',
    operationId: 'listNotifications',
    summary: `The signed-in person’s notifications, newest first (at most ${MAX_NOTIFICATIONS}, kept 30 days), and how many are unread`,
    roles: ['admin', 'agent'],
    status: 200,
    response: z.object({ items: z.array(Notification), unread: z.number().check(z.int()) }),
    async handle({ deps, principal }) {
      const { items, unread } = await notifications.myNotifications(deps, principal);
      return { items: items.map(({ staffId: _s, ...n }) => n), unread };
    },
  }),
  route({
    method: 'POST',
    path: '/notifications/read',
    operationId: 'markNotificationsRead',
    summary: 'Mark the signed-in person’s notifications read: the ones named, or every one',
    roles: ['admin', 'agent'],
    body: z.union([
      z.object({
        ids: z
          .array(z.string().check(z.minLength(1), z.maxLength(100)))
          .check(z.minLength(1), z.maxLength(MAX_NOTIFICATIONS)),
      }),
      z.object({ all: z.literal(true) }),
    ]),
    status: 200,
    response: z.object({ marked: z.number().check(z.int()) }),
    async handle({ deps, principal, body }) {
      return { marked: await notifications.markRead(deps, principal, 'ids' in body ? body.ids : null) };
    },
  }),
];
