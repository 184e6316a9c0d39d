// What other systems send the desk. Monitoring: Prometheus Alertmanager's webhook (version 4)
// and CloudWatch alarms through SNS (signature verified, subscription confirmed), each
// authenticated by a customer's monitoring key (Bearer, or `?key=` where the sender cannot set
// headers, as SNS); each alert becomes an AlertEvent for functions/app/alerts.ts. Slack's
// Events API: signed with the app's signing secret, answered at once, filed by a job.
import { createHash } from 'node:crypto';
import { type AlertEvent, distinguishingLabels } from '../../../domain/alerts';
import { wholeNumber } from '../../../domain/numbers';
import * as z from '../../../domain/zod';
import { ALERTS_AT_ONCE, receiveAlerts, takeAlerts } from '../../app/alerts';
import { cut } from '../../app/common';
import { alertKeyCustomer, bearerKey } from '../../app/directory';
import { ACK_LINK_HOURS, acknowledgeByLink, acknowledgeFromService } from '../../app/paging';
import {
  CallbackRefused,
  checkFresh,
  ticketOfIncidentKey,
  verifyBearer,
  verifyPagerDuty,
} from '../../app/service-callbacks';
import { fileable, SlackRefused, verifySlack } from '../../app/slack';
import { confirmSubscription, SnsRefused, verifySns } from '../../app/sns';
import { HttpError, type RouteSpec } from '../middleware';
import { recordable } from '../primitives';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;
const NONE = { opened: 0, updated: 0, resolved: 0, unchanged: 0 };

const Labels = z.record(z.string().check(z.maxLength(1000)), z.string().check(z.maxLength(10_000)));
// Alertmanager writes "0001-01-01T00:00:00Z" for "no end yet".
const Time = z.iso.datetime({ offset: true });

const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: Labels,
  annotations: z._default(Labels, {}),
  startsAt: Time,
  endsAt: z.optional(Time),
  generatorURL: z.optional(z.string().check(z.maxLength(10_000))),
  fingerprint: z.optional(z.string().check(z.maxLength(200))),
});

// Alertmanager (version 4) and Grafana's webhook contact point (version 1, the same alerts with
// fields of its own: orgId, title, state, message, values) send one shape. A group of any size
// a 6 MB body holds is taken (filed in chunks): Alertmanager retries only 5xx, so a 4xx for a
// valid group would lose it for good.
export const MAX_ALERTS = 20_000;
const AlertmanagerWebhook = z
  .object({
    version: z.enum(['4', '1']).check(z.describe('4: Prometheus Alertmanager; 1: Grafana')),
    status: z.enum(['firing', 'resolved']),
    receiver: z.optional(z.string().check(z.maxLength(1000))),
    groupKey: z.optional(z.string().check(z.maxLength(10_000))),
    commonLabels: z.optional(Labels),
    externalURL: z.optional(z.string().check(z.maxLength(10_000))),
    truncatedAlerts: z.optional(wholeNumber(0, 1_000_000_000)),
    alerts: z.array(AlertmanagerAlert).check(z.minLength(1), z.maxLength(MAX_ALERTS)),
  })
  .check(z.describe('A Prometheus Alertmanager (version 4) or Grafana (version 1) webhook notification'));

// An SNS message over HTTPS (its body is JSON, sent as text/plain).
const SnsBody = z
  .object({
    Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
    MessageId: z.string().check(z.maxLength(200)),
    TopicArn: z.string().check(z.maxLength(1000)),
    Message: z.string().check(z.maxLength(262_144)),
    Timestamp: Time,
    SignatureVersion: z.enum(['1', '2']),
    Signature: z.string().check(z.maxLength(2000)),
    SigningCertURL: z.string().check(z.maxLength(2000)),
    Subject: z.optional(z.string().check(z.maxLength(200))),
    Token: z.optional(z.string().check(z.maxLength(2000))),
    SubscribeURL: z.optional(z.string().check(z.maxLength(2000))),
  })
  .check(z.describe('An Amazon SNS message (a CloudWatch alarm, or a subscription confirmation)'));

const Dimension = z.object({
  name: z.string().check(z.maxLength(255)),
  value: z.string().check(z.maxLength(1024)),
});
// What CloudWatch publishes to SNS when an alarm changes state.
const CloudWatchAlarm = z.object({
  AlarmName: z.string().check(z.minLength(1), z.maxLength(255)),
  AlarmDescription: z.optional(z.nullable(z.string().check(z.maxLength(1024)))),
  AlarmArn: z.string().check(z.minLength(1), z.maxLength(1600)),
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  NewStateReason: z.optional(z.string().check(z.maxLength(10_000))),
  StateChangeTime: z.string().check(z.maxLength(40)),
  Trigger: z.optional(
    z.object({
      Dimensions: z.optional(z.array(Dimension).check(z.maxLength(30))),
      // Metric math and anomaly detection: the metrics in the expression, each with its dimensions.
      Metrics: z.optional(
        z
          .array(
            z.object({
              MetricStat: z.optional(
                z.object({
                  Metric: z.optional(
                    z.object({ Dimensions: z.optional(z.array(Dimension).check(z.maxLength(30))) }),
                  ),
                }),
              ),
            }),
          )
          .check(z.maxLength(100)),
      ),
    }),
  ),
});

const AlertsQuery = z.object({
  key: z
    .optional(z.string().check(z.minLength(8), z.maxLength(200)))
    .check(z.describe('The monitoring key, where the sender cannot send a header')),
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
    // A resolve without a usable start ends the firing under way, or records nothing.
    if (startsAt === null && alert.status !== 'resolved') {
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
      distinct: body.alerts.length > 1 ? distinguishingLabels(labels, body.commonLabels ?? {}) : null,
      group: body.groupKey ?? null,
      truncated: body.truncatedAlerts ?? 0,
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
      endsAt: alert.status === 'resolved' ? (instant(alert.endsAt) ?? null) : null,
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
  // A metric alarm names its dimensions; metric math and anomaly detection name them per metric.
  const dimension =
    parsed.Trigger?.Dimensions?.[0] ??
    parsed.Trigger?.Metrics?.flatMap((m) => m.MetricStat?.Metric?.Dimensions ?? [])[0];
  return [
    {
      key: `cw:${parsed.AlarmArn}`,
      status: parsed.NewStateValue === 'ALARM' ? 'firing' : 'resolved',
      component: cut(dimension ? `${dimension.name} ${dimension.value}` : parsed.AlarmName, 100),
      title: cut(parsed.AlarmName, 150),
      details: cut([parsed.AlarmDescription, parsed.NewStateReason].filter(Boolean).join('\n'), 20_000),
      severity: null,
      // OK names no start: it ends the firing under way (domain/alerts.ts applyAlert).
      startsAt: parsed.NewStateValue === 'OK' ? null : at,
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
      opened: z.number().check(z.int()),
      updated: z.number().check(z.int()),
      resolved: z.number().check(z.int()),
      unchanged: z.number().check(z.int()),
      queued: z
        .optional(z.number().check(z.int()))
        .check(z.describe(`Alerts of a group over ${ALERTS_AT_ONCE}, filed right after the answer`)),
      subscription: z
        .optional(z.literal('confirmed'))
        .check(z.describe('An SNS subscription confirmation was confirmed')),
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
      if (!('Type' in body)) return takeAlerts(deps, owner.customerId, fromAlertmanager(body));
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
const SlackText = z.string().check(z.maxLength(50));
// The envelope is checked; its event is whatever Slack sends (other event types carry other
// shapes, and a 400 would make Slack retry and then disable the app): only a message event of
// the expected shape is filed, anything else is acknowledged and left.
const SlackEnvelope = z
  .object({
    type: z.string().check(z.maxLength(100)),
    challenge: z.optional(z.string().check(z.maxLength(500))),
    team_id: z.optional(SlackText),
    event_id: z.optional(z.string().check(z.maxLength(100))),
    event: z.optional(z.record(z.string(), z.unknown())),
  })
  .check(z.describe('A Slack Events API request: url_verification or event_callback'));
const SlackMessageEvent = z.object({
  type: z.string().check(z.maxLength(100)),
  subtype: z.optional(z.string().check(z.maxLength(100))),
  bot_id: z.optional(z.string().check(z.maxLength(100))),
  user: z.optional(SlackText),
  channel: z.optional(SlackText),
  text: z.optional(z.string().check(z.maxLength(50_000))),
  ts: z.optional(SlackText),
  thread_ts: z.optional(SlackText),
  // Files shared with the message (file_share): what Slack describes of each; fetched later.
  files: z.optional(
    z
      .array(
        z.object({
          id: SlackText,
          name: z.optional(z.string().check(z.maxLength(1000))),
          title: z.optional(z.string().check(z.maxLength(1000))),
          mimetype: z.optional(z.string().check(z.maxLength(200))),
          size: z.optional(z.number().check(z.int(), z.gte(0), z.lte(Number.MAX_SAFE_INTEGER))),
          mode: z.optional(z.string().check(z.maxLength(50))),
          url_private: z.optional(z.string().check(z.maxLength(2000))),
          url_private_download: z.optional(z.string().check(z.maxLength(2000))),
        }),
      )
      .check(z.maxLength(100)),
  ),
});

const PagerDutyWebhook = z.object({
  event: z.object({
    id: z.string().check(z.minLength(1), z.maxLength(100)),
    event_type: z.string().check(z.minLength(1), z.maxLength(100)),
    resource_type: z.string().check(z.maxLength(100)),
    occurred_at: z.string().check(z.maxLength(40)),
    agent: z.optional(z.nullable(z.object({ summary: z.optional(z.string().check(z.maxLength(500))) }))),
    data: z.catchall(
      z.object({
        incident_key: z.optional(z.nullable(z.string().check(z.maxLength(300)))),
        title: z.optional(z.string().check(z.maxLength(2000))),
      }),
      z.unknown(),
    ),
  }),
});

// Opsgenie's Webhook integration (its payload as Zulip's fixtures record it).
const OpsgenieWebhook = z.object({
  action: z.string().check(z.minLength(1), z.maxLength(100)),
  alert: z.object({
    alertId: z.string().check(z.minLength(1), z.maxLength(100)),
    alias: z.optional(z.string().check(z.maxLength(512))),
    username: z.optional(z.string().check(z.maxLength(500))),
    /** Nanoseconds since 1970, as Opsgenie stamps them (past 2^53: only to the microsecond). */
    updatedAt: z.number().check(z.gte(1e17), z.lte(1e20)),
  }),
});

const pagingRoutes = [
  route({
    method: 'POST',
    path: '/pages/acknowledge',
    operationId: 'acknowledgePageByLink',
    summary: `Acknowledge a page by its one-time link (the token in the text message or mail; ${ACK_LINK_HOURS} hours): the escalation stops`,
    roles: 'public',
    body: z.object({
      link: z
        .string()
        .check(
          z.maxLength(200),
          z.regex(
            /^[A-Z0-9-]+\.[A-Z0-9-]+\.[A-Za-z0-9_-]{20,64}$/,
            'expected the link’s token as the page gave it',
          ),
          z.describe('`<ticket>.<page>.<token>`: what follows #/ack/ in the link'),
        ),
    }),
    status: 200,
    response: z.object({
      ticketId: z.string(),
      acknowledged: z.enum(['now', 'already']).check(z.describe('already: it was acknowledged before')),
      by: z.string().check(z.describe('The person paged')),
    }),
    async handle({ deps, body }) {
      return acknowledgeByLink(deps, body.link);
    },
  }),
  route({
    method: 'POST',
    path: '/integrations/pagerduty',
    operationId: 'receivePagerDutyWebhook',
    summary:
      'PagerDuty V3 webhooks (signed with the subscription’s secret): incident.acknowledged and incident.resolved of the desk’s incidents acknowledge the ticket’s pages; events over an hour old are refused, each is taken once',
    roles: 'public',
    body: PagerDutyWebhook,
    headers: [
      { name: 'X-PagerDuty-Signature', description: 'v1=<hex HMAC-SHA256 of the body>, one per secret' },
    ],
    status: 200,
    response: z.object({ outcome: z.enum(['now', 'already', 'unknown', 'ignored']) }),
    async handle({ deps, body, rawBody, headers }) {
      const secret = await deps.secrets.get('pagerduty-webhook-secret');
      try {
        if (!secret) throw new CallbackRefused('this desk has no PagerDuty webhook secret configured');
        verifyPagerDuty(rawBody, headers['x-pagerduty-signature'], secret);
        // Transport security, not business time: PagerDuty stamps by the real clock.
        checkFresh(body.event.occurred_at, Date.now());
      } catch (error) {
        if (!(error instanceof CallbackRefused)) throw error;
        throw new HttpError(401, 'pagerduty-refused', error.message);
      }
      const { event } = body;
      const incident = ticketOfIncidentKey(event.data.incident_key);
      if (!['incident.acknowledged', 'incident.resolved'].includes(event.event_type) || !incident)
        return { outcome: 'ignored' as const };
      const outcome = await acknowledgeFromService(deps, {
        ticketId: incident.ticketId,
        via: 'pagerduty',
        by: event.agent?.summary ?? 'PagerDuty',
        ref: `pagerduty:${event.id}`,
      });
      return { outcome };
    },
  }),
  route({
    method: 'POST',
    path: '/integrations/opsgenie',
    operationId: 'receiveOpsgenieWebhook',
    summary:
      'Opsgenie’s Webhook integration (its custom header Authorization: Bearer <the desk’s token>): Acknowledge and Close of the desk’s alerts acknowledge the ticket’s pages; actions over an hour old are refused, each is taken once',
    roles: 'public',
    body: OpsgenieWebhook,
    headers: [
      { name: 'Authorization', description: 'Bearer <the token in Secrets Manager, opsgenie-webhook-token>' },
    ],
    status: 200,
    response: z.object({ outcome: z.enum(['now', 'already', 'unknown', 'ignored']) }),
    async handle({ deps, body, headers }) {
      const token = await deps.secrets.get('opsgenie-webhook-token');
      // Opsgenie stamps updatedAt in nanoseconds.
      const at = new Date(Math.floor(body.alert.updatedAt / 1e6)).toISOString();
      try {
        if (!token) throw new CallbackRefused('this desk has no Opsgenie webhook token configured');
        verifyBearer(headers.authorization, token);
        checkFresh(at, Date.now());
      } catch (error) {
        if (!(error instanceof CallbackRefused)) throw error;
        throw new HttpError(401, 'opsgenie-refused', error.message);
      }
      const incident = ticketOfIncidentKey(body.alert.alias);
      if (!['Acknowledge', 'Close'].includes(body.action) || !incident)
        return { outcome: 'ignored' as const };
      const outcome = await acknowledgeFromService(deps, {
        ticketId: incident.ticketId,
        via: 'opsgenie',
        by: body.alert.username ?? 'Opsgenie',
        ref: `opsgenie:${body.alert.alertId}:${body.action}:${body.alert.updatedAt}`,
      });
      return { outcome };
    },
  }),
];

export const integrationRoutes = [
  ...alertRoutes,
  ...pagingRoutes,
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
    response: z.object({ ok: z.optional(z.literal(true)), challenge: z.optional(z.string()) }),
    async handle({ deps, body, rawBody, headers }) {
      const secret = await deps.secrets.get('slack-signing-secret');
      try {
        if (!secret) throw new SlackRefused('this desk has no Slack signing secret configured');
        verifySlack(
          rawBody,
          headers['x-slack-request-timestamp'],
          headers['x-slack-signature'],
          secret,
          // Transport security, not business time: Slack signs by the real clock, whatever the desk's says.
          Date.now(),
        );
      } catch (error) {
        if (!(error instanceof SlackRefused)) throw error;
        throw new HttpError(401, 'slack-refused', error.message);
      }
      if (body.type === 'url_verification') return { challenge: body.challenge ?? '' };
      const event = body.type === 'event_callback' ? SlackMessageEvent.safeParse(body.event) : null;
      const message = event?.success ? fileable(event.data) : null;
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
];
