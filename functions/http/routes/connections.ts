// What admins set up between a customer and other systems: the customer's webhooks (the
// secret shown once), the deliveries that failed for a day and their redelivery, and the
// Slack channels whose messages are the customer's tickets.

import { WEBHOOK_EVENTS } from '../../../domain/integrations';
import { wholeNumber } from '../../../domain/numbers';
import * as z from '../../../domain/zod';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listFailed,
  pingWebhook,
  ROTATION_HOURS,
  redeliver,
  retirePreviousSecret,
  rollSecret,
  webhookJson,
} from '../../app/outbound';
import { linkChannel, unlinkChannel } from '../../app/slack';
import { config } from '../../config';
import type { DeliveryRecord } from '../../ports';
import { ListPageQuery } from '../directory-schemas';
import { HttpError, Reply, type RouteSpec } from '../middleware';
import { Id, IdParams, Instant } from '../primitives';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;

const SlackId = z
  .string()
  .check(
    z.regex(/^[A-Z0-9]{2,30}$/, 'expected a Slack id such as T0123ABC or C0456DEF'),
    z.describe('A Slack id'),
  );
const ChannelParams = z.object({ id: Id, teamId: SlackId, channelId: SlackId });
const ChannelResponse = z.object({
  teamId: z.string(),
  channelId: z.string(),
  customerId: z.string(),
  createdAt: Instant,
});

const WebhookFields = {
  id: z.string(),
  customerId: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  createdAt: Instant,
  previousSecretUntil: z
    .nullable(Instant)
    .check(z.describe('During a rotation: until when the secret before still signs')),
};
const WebhookResponse = z.object(WebhookFields);
const DeliveryResponse = z.object({
  id: z.string(),
  ticketId: z.string(),
  eventId: z.string(),
  eventType: z.enum([...WEBHOOK_EVENTS, 'ping']),
  target: z.union([
    z.object({ type: z.literal('webhook'), webhookId: z.string(), url: z.string() }),
    z.object({ type: z.literal('chat'), teamId: z.string(), channelId: z.string(), threadTs: z.string() }),
  ]),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().check(z.int()),
  createdAt: Instant,
  firstAttemptAt: z.nullable(Instant),
  lastAttemptAt: z.nullable(Instant),
  lastError: z.nullable(z.string()),
  lastStatus: z
    .nullable(z.number().check(z.int()))
    .check(z.describe('The receiver’s HTTP status at the last attempt')),
  lastDurationMs: z.nullable(z.number().check(z.int())).check(z.describe('How long the last attempt took')),
});
const deliveryJson = ({ payload: _p, customerId: _c, version: _v, ...shown }: DeliveryRecord) => ({
  ...shown,
  lastStatus: shown.lastStatus ?? null,
  lastDurationMs: shown.lastDurationMs ?? null,
});
const WebhookParams = z.object({ id: Id, webhookId: Id });

export const connectionRoutes = [
  route({
    method: 'POST',
    path: '/customers/{id}/slack-channels',
    operationId: 'linkSlackChannel',
    summary:
      'Links a Slack channel to the customer: its members’ messages there become the customer’s tickets',
    roles: ['admin'],
    params: IdParams,
    body: z.object({ teamId: SlackId, channelId: SlackId }),
    status: 201,
    response: ChannelResponse,
    handle: ({ deps, principal, params, body }) =>
      linkChannel(deps, principal, params.id, body.teamId, body.channelId),
  }),
  route({
    method: 'GET',
    path: '/customers/{id}/slack-channels',
    operationId: 'listSlackChannels',
    summary: 'The Slack channels linked to the customer',
    roles: ['admin'],
    params: IdParams,
    status: 200,
    response: z.object({ items: z.array(ChannelResponse) }),
    handle: async ({ deps, params }) => ({ items: await deps.integrations.listChannels(params.id) }),
  }),
  route({
    method: 'DELETE',
    path: '/customers/{id}/slack-channels/{teamId}/{channelId}',
    operationId: 'unlinkSlackChannel',
    summary:
      'Unlinks a Slack channel: its messages open no more tickets (threads already open keep their tickets)',
    roles: ['admin'],
    params: ChannelParams,
    status: 200,
    response: z.object({ unlinked: z.literal(true) }),
    async handle({ deps, params }) {
      await unlinkChannel(deps, params.id, params.teamId, params.channelId);
      return { unlinked: true as const };
    },
  }),
  route({
    method: 'POST',
    path: '/customers/{id}/webhooks',
    operationId: 'createWebhook',
    summary:
      'Subscribes a URL to the customer’s ticket events; the signing secret is shown once. Each event is POSTed as JSON with Sla-Desk-Event-Id and Sla-Desk-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">',
    roles: ['admin'],
    params: IdParams,
    body: z.object({
      url: z.url().check(z.maxLength(2000)),
      events: z.array(z.enum(WEBHOOK_EVENTS)).check(z.minLength(1), z.maxLength(WEBHOOK_EVENTS.length)),
    }),
    status: 201,
    response: z.extend(WebhookResponse, {
      secret: z.string().check(z.describe('Shown once: keep it to verify signatures')),
    }),
    async handle({ deps, params, body }) {
      const webhook = await createWebhook(deps, params.id, body, config().WEBHOOKS_ALLOW_HTTP);
      return { ...webhookJson(webhook), secret: webhook.secret };
    },
  }),
  route({
    method: 'GET',
    path: '/customers/{id}/webhooks',
    operationId: 'listWebhooks',
    summary: 'The customer’s webhooks (without their secrets)',
    roles: ['admin'],
    params: IdParams,
    status: 200,
    response: z.object({ items: z.array(WebhookResponse) }),
    handle: async ({ deps, params }) => ({
      items: (await deps.integrations.listWebhooks(params.id)).map(webhookJson),
    }),
  }),
  route({
    method: 'POST',
    path: '/customers/{id}/webhooks/{webhookId}/secret',
    operationId: 'rollWebhookSecret',
    summary: `A new signing secret, shown once; the one before still signs (a second v1=) for keepPreviousHours (default ${ROTATION_HOURS}), so the receiver can change without losing an event`,
    roles: ['admin'],
    params: WebhookParams,
    body: z.object({ keepPreviousHours: z.optional(wholeNumber(0, 168)) }),
    status: 201,
    response: z.extend(WebhookResponse, {
      secret: z.string().check(z.describe('Shown once: keep it to verify signatures')),
    }),
    async handle({ deps, params, body }) {
      const webhook = await rollSecret(deps, params.id, params.webhookId, body.keepPreviousHours);
      return { ...webhookJson(webhook), secret: webhook.secret };
    },
  }),
  route({
    method: 'DELETE',
    path: '/customers/{id}/webhooks/{webhookId}/secret/previous',
    operationId: 'retireWebhookSecret',
    summary: 'Ends a rotation: from now on only the current secret signs',
    roles: ['admin'],
    params: WebhookParams,
    status: 200,
    response: WebhookResponse,
    handle: async ({ deps, params }) =>
      webhookJson(await retirePreviousSecret(deps, params.id, params.webhookId)),
  }),
  route({
    method: 'POST',
    path: '/customers/{id}/webhooks/{webhookId}/ping',
    operationId: 'pingWebhook',
    summary:
      'Sends a test event ({id, type: "ping", createdAt, customerId, webhookId}), signed and retried as any other',
    roles: ['admin'],
    params: WebhookParams,
    status: 202,
    response: DeliveryResponse,
    async handle({ deps, params }) {
      return new Reply(202, deliveryJson(await pingWebhook(deps, params.id, params.webhookId)));
    },
  }),
  route({
    method: 'GET',
    path: '/customers/{id}/webhooks/{webhookId}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary:
      'The webhook’s recent deliveries, successes too, newest first: status, attempts, the receiver’s last answer and how long it took',
    roles: ['admin'],
    params: WebhookParams,
    query: z.object({ limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50) }),
    status: 200,
    response: z.object({ items: z.array(DeliveryResponse) }),
    handle: async ({ deps, params, query }) => ({
      items: (await listDeliveries(deps, params.id, params.webhookId, query.limit)).map(deliveryJson),
    }),
  }),
  route({
    method: 'DELETE',
    path: '/customers/{id}/webhooks/{webhookId}',
    operationId: 'deleteWebhook',
    summary: 'Deletes a webhook: no more events go to it (deliveries still pending fail)',
    roles: ['admin'],
    params: z.object({ id: Id, webhookId: Id }),
    status: 200,
    response: z.object({ deleted: z.literal(true) }),
    async handle({ deps, params }) {
      if (!(await deleteWebhook(deps, params.id, params.webhookId)))
        throw new HttpError(404, 'not-found', `customer ${params.id} has no webhook ${params.webhookId}`);
      return { deleted: true as const };
    },
  }),
  route({
    method: 'GET',
    path: '/customers/{id}/failed-deliveries',
    operationId: 'listFailedDeliveries',
    summary:
      'Deliveries to the customer’s webhooks and Slack threads that failed for a day of retries, newest first',
    roles: ['admin'],
    params: IdParams,
    query: ListPageQuery,
    status: 200,
    response: z.object({ items: z.array(DeliveryResponse), nextCursor: z.nullable(z.string()) }),
    async handle({ deps, params, query }) {
      const page = await listFailed(deps, params.id, query.limit, query.cursor);
      return { items: page.items.map(deliveryJson), nextCursor: page.nextCursor };
    },
  }),
  route({
    method: 'POST',
    path: '/customers/{id}/failed-deliveries/{deliveryId}/redeliver',
    operationId: 'redeliver',
    summary: 'Tries a failed delivery again, with a new day of retries',
    roles: ['admin'],
    params: z.object({
      id: Id,
      deliveryId: z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[A-Za-z0-9_.-]+$/)),
    }),
    status: 202,
    response: DeliveryResponse,
    async handle({ deps, params }) {
      return new Reply(202, deliveryJson(await redeliver(deps, params.id, params.deliveryId)));
    },
  }),
];
