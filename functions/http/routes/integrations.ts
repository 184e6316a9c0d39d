// The desk and other systems. Monitoring: Prometheus Alertmanager's webhook (version 4) and
// CloudWatch alarms through SNS (signature verified, subscription confirmed), each
// authenticated by a customer's monitoring key (Bearer, or `?key=` where the sender cannot set
// headers, as SNS); each alert becomes an AlertEvent for functions/app/alerts.ts. Slack's
// Events API (signed, answered at once, filed by a job). And what admins set up: a customer's
// webhooks, its failed deliveries, its linked Slack channels.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { AlertEvent } from '../../../domain/alerts';
import { WEBHOOK_EVENTS } from '../../../domain/integrations';
import { receiveAlerts } from '../../app/alerts';
import { cut } from '../../app/common';
import { alertKeyCustomer, bearerKey } from '../../app/directory';
import { createWebhook, listFailed, redeliver, webhookJson } from '../../app/outbound';
import { fileable, linkChannel, SlackRefused, unlinkChannel, verifySlack } from '../../app/slack';
import { confirmSubscription, SnsRefused, verifySns } from '../../app/sns';
import { config } from '../../config';
import type { DeliveryRecord } from '../../ports';
import { ListPageQuery } from '../directory-schemas';
import { HttpError, Reply, type RouteSpec } from '../middleware';
import { Id, IdParams, Instant, recordable } from '../schemas';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;
const NONE = { opened: 0, updated: 0, resolved: 0, unchanged: 0 };

const Labels = z.record(z.string().max(1000), z.string().max(10_000));
// Alertmanager writes "0001-01-01T00:00:00Z" for "no end yet".
const Time = z.iso.datetime({ offset: true });

const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: Labels,
  annotations: Labels.default({}),
  startsAt: Time,
  endsAt: Time.optional(),
  generatorURL: z.string().max(10_000).optional(),
  fingerprint: z.string().max(200).optional(),
});

const AlertmanagerWebhook = z
  .object({
    version: z.literal('4'),
    status: z.enum(['firing', 'resolved']),
    receiver: z.string().max(1000).optional(),
    groupKey: z.string().max(10_000).optional(),
    externalURL: z.string().max(10_000).optional(),
    alerts: z.array(AlertmanagerAlert).min(1).max(1000),
  })
  .describe('A Prometheus Alertmanager webhook notification (version 4)');

// An SNS message over HTTPS (its body is JSON, sent as text/plain).
const SnsBody = z
  .object({
    Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
    MessageId: z.string().max(200),
    TopicArn: z.string().max(1000),
    Message: z.string().max(262_144),
    Timestamp: Time,
    SignatureVersion: z.enum(['1', '2']),
    Signature: z.string().max(2000),
    SigningCertURL: z.string().max(2000),
    Subject: z.string().max(200).optional(),
    Token: z.string().max(2000).optional(),
    SubscribeURL: z.string().max(2000).optional(),
  })
  .describe('An Amazon SNS message (a CloudWatch alarm, or a subscription confirmation)');

// What CloudWatch publishes to SNS when an alarm changes state.
const CloudWatchAlarm = z.object({
  AlarmName: z.string().min(1).max(255),
  AlarmDescription: z.string().max(1024).nullable().optional(),
  AlarmArn: z.string().min(1).max(1600),
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  NewStateReason: z.string().max(10_000).optional(),
  StateChangeTime: z.string().max(40),
  Trigger: z
    .object({ Dimensions: z.array(z.object({ name: z.string(), value: z.string() })).optional() })
    .optional(),
});

const AlertsQuery = z.object({
  key: z
    .string()
    .min(8)
    .max(200)
    .optional()
    .describe('The monitoring key, where the sender cannot send a header'),
});

/** The instant of an Alertmanager time, or null for its "no time" value and anything out of range. */
function instant(text: string | undefined): number | null {
  const t = text ? Date.parse(text) : Number.NaN;
  return recordable(t) ? t : null;
}

export function fromAlertmanager(body: z.infer<typeof AlertmanagerWebhook>): AlertEvent[] {
  return body.alerts.map((alert, i) => {
    const { labels, annotations } = alert;
    const startsAt = instant(alert.startsAt);
    if (startsAt === null) {
      throw new HttpError(400, 'invalid-input', `alert ${i} starts at no usable time`, [
        { field: `alerts.${i}.startsAt`, in: 'body', message: 'expected a time between 1970 and 2200' },
      ]);
    }
    // Without a fingerprint (older senders), the alert is who its labels say it is.
    const identity =
      alert.fingerprint ??
      createHash('sha256')
        .update(JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))))
        .digest('hex')
        .slice(0, 32);
    const name = labels.alertname ?? 'Alert';
    return {
      key: `am:${identity}`,
      status: alert.status,
      component: cut(labels.component ?? labels.service ?? labels.job ?? name, 100),
      title: cut(annotations.summary ?? name, 150),
      details: cut(
        [annotations.description, labels.instance && `Instance: ${labels.instance}`, alert.generatorURL]
          .filter(Boolean)
          .join('\n'),
        20_000,
      ),
      severity: labels.severity ?? null,
      startsAt,
      endsAt: alert.status === 'resolved' ? instant(alert.endsAt) : null,
    };
  });
}

/** A CloudWatch alarm's state change as an alert; INSUFFICIENT_DATA says nothing: none. */
export function fromCloudWatch(message: string): AlertEvent[] {
  let parsed: z.infer<typeof CloudWatchAlarm>;
  try {
    parsed = CloudWatchAlarm.parse(JSON.parse(message));
  } catch {
    throw new HttpError(
      422,
      'unsupported-message',
      'the SNS message is not a CloudWatch alarm state change',
      [{ field: 'Message', in: 'body', message: 'expected a CloudWatch alarm notification (JSON)' }],
    );
  }
  // CloudWatch writes "2026-11-23T08:10:00.000+0000".
  const at = instant(parsed.StateChangeTime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (at === null) {
    throw new HttpError(422, 'unsupported-message', 'the alarm changed state at no usable time', [
      { field: 'Message', in: 'body', message: 'expected StateChangeTime between 1970 and 2200' },
    ]);
  }
  if (parsed.NewStateValue === 'INSUFFICIENT_DATA') return [];
  const dimension = parsed.Trigger?.Dimensions?.[0];
  return [
    {
      key: `cw:${parsed.AlarmArn}`,
      status: parsed.NewStateValue === 'ALARM' ? 'firing' : 'resolved',
      component: cut(dimension ? `${dimension.name} ${dimension.value}` : parsed.AlarmName, 100),
      title: cut(parsed.AlarmName, 150),
      details: cut([parsed.AlarmDescription, parsed.NewStateReason].filter(Boolean).join('\n'), 20_000),
      severity: null,
      startsAt: at,
      endsAt: parsed.NewStateValue === 'OK' ? at : null,
    },
  ];
}

const alertRoutes = [
  route({
    method: 'POST',
    path: '/integrations/alerts',
    operationId: 'receiveAlerts',
    summary:
      'Monitoring alerts (Prometheus Alertmanager webhook v4) with a customer’s monitoring key: a firing alert opens a ticket (channel monitoring) and an incident; repeats change nothing; resolution ends the incident',
    roles: 'public',
    query: AlertsQuery,
    body: z.union([AlertmanagerWebhook, SnsBody]),
    headers: [{ name: 'Authorization', description: 'Bearer <the customer’s monitoring key>' }],
    status: 200,
    response: z.object({
      opened: z.number().int(),
      updated: z.number().int(),
      resolved: z.number().int(),
      unchanged: z.number().int(),
      subscription: z
        .literal('confirmed')
        .optional()
        .describe('An SNS subscription confirmation was confirmed'),
    }),
    async handle({ deps, body, headers, query }) {
      const key = bearerKey(headers.authorization) ?? query.key;
      const owner = key ? await alertKeyCustomer(deps, key) : null;
      if (!owner) {
        throw new HttpError(
          401,
          'unauthorized',
          'send a monitoring key as Authorization: Bearer <key> or ?key=',
          [],
          {
            'www-authenticate': 'Bearer',
          },
        );
      }
      if (!('Type' in body)) return receiveAlerts(deps, owner.customerId, fromAlertmanager(body));
      try {
        await verifySns(body, deps.web, deps.clock.now());
        if (body.Type === 'SubscriptionConfirmation') {
          await confirmSubscription(body, deps.web);
          return { ...NONE, subscription: 'confirmed' as const };
        }
      } catch (error) {
        if (!(error instanceof SnsRefused)) throw error;
        throw new HttpError(401, 'sns-refused', error.message, [], { 'www-authenticate': 'Bearer' });
      }
      if (body.Type === 'UnsubscribeConfirmation') return NONE;
      return receiveAlerts(deps, owner.customerId, fromCloudWatch(body.Message));
    },
  }),
];

// Slack's Events API: an envelope around one event (https://api.slack.com/apis/events-api).
const SlackText = z.string().max(50);
const SlackEnvelope = z
  .object({
    type: z.string().max(100),
    challenge: z.string().max(500).optional(),
    team_id: SlackText.optional(),
    event_id: z.string().max(100).optional(),
    event: z
      .object({
        type: z.string().max(100),
        subtype: z.string().max(100).optional(),
        bot_id: z.string().max(100).optional(),
        user: SlackText.optional(),
        channel: SlackText.optional(),
        text: z.string().max(50_000).optional(),
        ts: SlackText.optional(),
        thread_ts: SlackText.optional(),
      })
      .optional(),
  })
  .describe('A Slack Events API request: url_verification or event_callback');

const SlackId = z
  .string()
  .regex(/^[A-Z0-9]{2,30}$/, 'expected a Slack id such as T0123ABC or C0456DEF')
  .describe('A Slack id');
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
};
const WebhookResponse = z.object(WebhookFields);
const DeliveryResponse = z.object({
  id: z.string(),
  ticketId: z.string(),
  eventId: z.string(),
  eventType: z.enum(WEBHOOK_EVENTS),
  target: z.union([
    z.object({ type: z.literal('webhook'), webhookId: z.string(), url: z.string() }),
    z.object({ type: z.literal('chat'), teamId: z.string(), channelId: z.string(), threadTs: z.string() }),
  ]),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  createdAt: Instant,
  firstAttemptAt: Instant.nullable(),
  lastAttemptAt: Instant.nullable(),
  lastError: z.string().nullable(),
});
const deliveryJson = ({ payload: _p, customerId: _c, version: _v, ...shown }: DeliveryRecord) => shown;

export const integrationRoutes = [
  ...alertRoutes,
  route({
    method: 'POST',
    path: '/integrations/slack/events',
    operationId: 'receiveSlackEvents',
    summary:
      'Slack Events API (signed with the app’s signing secret): answers url_verification; a message in a linked channel opens a ticket (channel chat) or, in its thread, adds the customer’s message, after the answer',
    roles: 'public',
    body: SlackEnvelope,
    headers: [
      { name: 'X-Slack-Signature', description: 'v0=<HMAC-SHA256 of v0:<timestamp>:<body>>' },
      { name: 'X-Slack-Request-Timestamp', description: 'Unix seconds; refused when over 5 minutes off' },
      {
        name: 'X-Slack-Retry-Num',
        description: 'Slack’s retries of an event: filed once whatever the count',
      },
    ],
    status: 200,
    response: z.object({ ok: z.literal(true).optional(), challenge: z.string().optional() }),
    async handle({ deps, body, rawBody, headers }) {
      const secret = await deps.secrets.get('slack-signing-secret');
      try {
        if (!secret) throw new SlackRefused('this desk has no Slack signing secret configured');
        verifySlack(
          rawBody,
          headers['x-slack-request-timestamp'],
          headers['x-slack-signature'],
          secret,
          deps.clock.now(),
        );
      } catch (error) {
        if (!(error instanceof SlackRefused)) throw error;
        throw new HttpError(401, 'slack-refused', error.message);
      }
      if (body.type === 'url_verification') return { challenge: body.challenge ?? '' };
      const message = body.type === 'event_callback' && body.event ? fileable(body.event) : null;
      if (message && body.team_id && body.event_id) {
        await deps.jobs.send({
          kind: 'slack-event',
          eventId: body.event_id,
          teamId: body.team_id,
          event: message,
        });
      }
      return { ok: true as const };
    },
  }),
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
      url: z.url().max(2000),
      events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
    }),
    status: 201,
    response: WebhookResponse.extend({
      secret: z.string().describe('Shown once: keep it to verify signatures'),
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
    method: 'DELETE',
    path: '/customers/{id}/webhooks/{webhookId}',
    operationId: 'deleteWebhook',
    summary: 'Deletes a webhook: no more events go to it (deliveries still pending fail)',
    roles: ['admin'],
    params: z.object({ id: Id, webhookId: Id }),
    status: 200,
    response: z.object({ deleted: z.literal(true) }),
    async handle({ deps, params }) {
      if (!(await deps.integrations.deleteWebhook(params.id, params.webhookId)))
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
    response: z.object({ items: z.array(DeliveryResponse), nextCursor: z.string().nullable() }),
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
      deliveryId: z
        .string()
        .min(1)
        .max(200)
        .regex(/^[A-Za-z0-9_.-]+$/),
    }),
    status: 202,
    response: DeliveryResponse,
    async handle({ deps, params }) {
      return new Reply(202, deliveryJson(await redeliver(deps, params.id, params.deliveryId)));
    },
  }),
];
