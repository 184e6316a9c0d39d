// What the desk sends other systems after a ticket changes: webhook events to a customer's
// subscriptions, and agents' public replies into the Slack thread a chat ticket came from.
// Each new timeline entry is published once it is stored (a DynamoDB stream on AWS, the store
// itself locally): one delivery per target, stored with its payload under an id made of the
// event and the target, so publishing twice delivers once. A delivery is tried by a job
// (SQS on AWS), again with back-off for a day (domain/integrations.ts), then listed as failed
// until it is redelivered.
import { createHmac, randomBytes } from 'node:crypto';
import { foldClocks } from '../../domain/clocks';
import { NotFound, RuleViolation, VersionConflict } from '../../domain/errors';
import { eventOf, retryDelay, type WebhookEvent } from '../../domain/integrations';
import { customerEventJson } from '../http/views';
import { errorFields, logger } from '../observability';
import type {
  DeliveryRecord,
  DeliveryTarget,
  Deps,
  Page,
  TicketRecord,
  TimelineEntry,
  WebhookRecord,
} from '../ports';
import { sendQueuedMail } from './attend';
import { cut, iso, newId, shortLived } from './common';
import { liveEventsOf } from './live';
import { localTime } from './mail';
import { notify } from './notifications';
import { historyOf, planOf } from './ticket-writes';

export const MAX_WEBHOOKS = 10;
/** Code points of a ticket's description and a message's body in an event (the item's 400 KB). */
const EVENT_TEXT_MAX = 30_000;
export const SIGNATURE_HEADER = 'sla-desk-signature';
export const EVENT_ID_HEADER = 'sla-desk-event-id';
/** One per event and webhook: what a receiver with several webhooks for one customer dedups on. */
export const DELIVERY_ID_HEADER = 'sla-desk-delivery-id';

/** A webhook as the API shows it: never a secret, and whether a rotation is under way until when. */
export function webhookJson({
  secret: _secret,
  previousSecret: _previous,
  previousSecretUntil,
  ...shown
}: WebhookRecord) {
  return { ...shown, previousSecretUntil: previousSecretUntil ?? null };
}

/** Where a webhook may point: https (http too where the deployment allows it, as locally). */
export function checkWebhookUrl(url: string, allowHttp: boolean): void {
  const parsed = new URL(url);
  const http = parsed.protocol === 'http:';
  if (!(parsed.protocol === 'https:' || (http && allowHttp)) || parsed.username || parsed.password) {
    throw new RuleViolation(
      'bad-webhook-url',
      `a webhook URL is https://host/path without user or password${allowHttp ? ' (or http://)' : ''}`,
      'url',
    );
  }
}

export async function createWebhook(
  deps: Deps,
  customerId: string,
  input: { url: string; events: WebhookEvent[] },
  allowHttp: boolean,
): Promise<WebhookRecord> {
  if (!(await deps.directory.getCustomer(customerId))) throw new NotFound('customer', customerId);
  checkWebhookUrl(input.url, allowHttp);
  // This machine, a private network, link-local space, instance metadata: refused (and again
  // at every delivery, after resolving the name).
  const refused = await deps.web.refused(input.url);
  if (refused)
    throw new RuleViolation('webhook-url-refused', `webhooks go to public addresses only: ${refused}`, 'url');
  const existing = await deps.integrations.listWebhooks(customerId);
  if (existing.length >= MAX_WEBHOOKS) {
    throw new RuleViolation('too-many-webhooks', `a customer has at most ${MAX_WEBHOOKS} webhooks`, 'url');
  }
  const webhook: WebhookRecord = {
    id: newId('WHK'),
    customerId,
    url: input.url,
    events: [...new Set(input.events)],
    secret: newSecret(),
    createdAt: iso(deps.clock.now()),
  };
  await deps.integrations.putWebhook(webhook);
  forgetSubscriptions(customerId);
  return webhook;
}

/** Deletes a webhook; false when the customer has no such webhook. */
export async function deleteWebhook(deps: Deps, customerId: string, webhookId: string): Promise<boolean> {
  const deleted = await deps.integrations.deleteWebhook(customerId, webhookId);
  forgetSubscriptions(customerId);
  return deleted;
}

/**
 * How long the publisher keeps a customer's webhooks: publishing reads them once per customer
 * in that time, not once per write. A change made in another function (the API's, on AWS) is
 * seen by the publisher within it; the deliveries themselves read the webhook afresh.
 */
export const SUBSCRIPTIONS_CACHE_MS = 30_000;
const subscriptions = shortLived<WebhookRecord[]>(SUBSCRIPTIONS_CACHE_MS);

const subscriptionsOf = (deps: Deps, customerId: string) =>
  subscriptions.get(customerId, () => deps.integrations.listWebhooks(customerId));

const forgetSubscriptions = (customerId: string) => subscriptions.forget(customerId);

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, one `v1` per secret (two during a
 * rotation): Stripe's scheme exactly, so Stripe's libraries verify it; the receiver recomputes
 * it with its secret and accepts any `v1` that matches.
 */
export function signature(secrets: string | readonly string[], body: string, at: number): string {
  const t = Math.floor(at / 1000);
  const v1 = [secrets]
    .flat()
    .map((s) => `v1=${createHmac('sha256', s).update(`${t}.${body}`).digest('hex')}`);
  return [`t=${t}`, ...v1].join(',');
}

/** The secrets a delivery at `now` is signed with: the current one, and the one before while it lasts. */
export function signingSecrets(webhook: WebhookRecord, now: number): string[] {
  const keep =
    webhook.previousSecret && webhook.previousSecretUntil && Date.parse(webhook.previousSecretUntil) > now;
  return keep ? [webhook.secret, webhook.previousSecret!] : [webhook.secret];
}

/** How long a rolled secret still signs by default: a day to deploy the new one. */
export const ROTATION_HOURS = 24;

/** A new signing secret (shown once); the one before still signs for `keepHours`, 0 to retire it now. */
export async function rollSecret(
  deps: Deps,
  customerId: string,
  webhookId: string,
  keepHours = ROTATION_HOURS,
): Promise<WebhookRecord> {
  const webhook = await webhookOf(deps, customerId, webhookId);
  const rolled: WebhookRecord = {
    ...webhook,
    secret: newSecret(),
    previousSecret: keepHours > 0 ? webhook.secret : undefined,
    previousSecretUntil: keepHours > 0 ? iso(deps.clock.now() + keepHours * 3_600_000) : undefined,
  };
  await deps.integrations.replaceWebhook(withoutUndefined(rolled), webhook.secret);
  forgetSubscriptions(customerId);
  return rolled;
}

/** Ends a rotation: only the current secret signs from now on. */
export async function retirePreviousSecret(
  deps: Deps,
  customerId: string,
  webhookId: string,
): Promise<WebhookRecord> {
  const {
    previousSecret: _s,
    previousSecretUntil: _u,
    ...webhook
  } = await webhookOf(deps, customerId, webhookId);
  await deps.integrations.replaceWebhook(webhook, webhook.secret);
  forgetSubscriptions(customerId);
  return webhook;
}

async function webhookOf(deps: Deps, customerId: string, webhookId: string): Promise<WebhookRecord> {
  const webhook = (await deps.integrations.listWebhooks(customerId)).find((w) => w.id === webhookId);
  if (!webhook) throw new NotFound('webhook', webhookId);
  return webhook;
}

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;
const withoutUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * A test delivery to one webhook: a `ping` event (`{id, type: "ping", createdAt, customerId,
 * webhookId}`), signed and retried as every other, listed in its deliveries.
 */
export async function pingWebhook(
  deps: Deps,
  customerId: string,
  webhookId: string,
): Promise<DeliveryRecord> {
  const webhook = await webhookOf(deps, customerId, webhookId);
  const at = iso(deps.clock.now());
  const id = `evt_ping_${randomBytes(8).toString('hex')}`;
  const delivery = newDelivery({
    id: `${id}.${webhook.id}`,
    customerId,
    ticketId: '',
    target: { type: 'webhook', webhookId: webhook.id, url: webhook.url },
    eventId: id,
    eventType: 'ping',
    payload: JSON.stringify({ id, type: 'ping', createdAt: at, customerId, webhookId: webhook.id }),
    createdAt: at,
  });
  await deps.integrations.addDelivery(delivery);
  await deps.jobs.send({ kind: 'deliver', customerId, deliveryId: delivery.id });
  return delivery;
}

/** A delivery not yet tried. */
const newDelivery = (
  fields: Pick<
    DeliveryRecord,
    'id' | 'customerId' | 'ticketId' | 'target' | 'eventId' | 'eventType' | 'payload' | 'createdAt'
  >,
): DeliveryRecord => ({
  ...fields,
  status: 'pending',
  attempts: 0,
  firstAttemptAt: null,
  lastAttemptAt: null,
  lastError: null,
  version: 1,
});

/** A webhook's recent deliveries, successes too, newest first. */
export async function listDeliveries(deps: Deps, customerId: string, webhookId: string, limit: number) {
  await webhookOf(deps, customerId, webhookId);
  return deps.integrations.listDeliveries(customerId, webhookId, limit);
}

const eventId = (ticketId: string, seq: number) => `evt_${ticketId}_${seq}`;

/** The chat post an entry makes in its ticket's thread, if any. */
export async function chatText(deps: Deps, ticketId: string, entry: TimelineEntry): Promise<string | null> {
  if (entry.type === 'message' && entry.author === 'agent' && !entry.internal) {
    return `*${entry.actor?.name ?? 'Support'}*: ${cut(entry.body, 3500)}`;
  }
  if (entry.type === 'status' && (entry.to === 'resolved' || entry.to === 'closed'))
    return `Ticket ${ticketId} is ${entry.to}.`;
  if (entry.type !== 'created') return null;
  const found = await deps.tickets.get(ticketId);
  if (!found) return null;
  const plan = await planOf(deps, found.ticket.planId);
  // The clocks as the ticket was opened: published later (a stream), it may have moved on since.
  const opened = found.timeline.filter((e) => e.seq <= entry.seq);
  const sla = foldClocks(plan, historyOf(opened), Date.parse(entry.at));
  const level = `${entry.priority} (${plan.levels[entry.priority].name})`;
  const due = sla.response.dueAt;
  return due === null
    ? `Opened ticket ${ticketId}, ${level}: answered on a best-effort basis.`
    : `Opened ticket ${ticketId}, ${level}: we respond by ${localTime(plan, found.ticket, due)}.`;
}

/**
 * Stores a delivery for each target of each entry and queues it. Entries already published
 * (the same event to the same target) are queued again only while still pending.
 */
export async function publish(
  deps: Deps,
  ticket: TicketRecord,
  entries: readonly TimelineEntry[],
): Promise<number> {
  const ticketId = ticket.id;
  // Mail the write queued (acknowledgements, replies, notices, warnings): sent and marked sent.
  // One that fails stays in the outbox for the sweeper: it never holds up the events.
  await sendQueuedMail(deps, ticket, entries).catch((error) =>
    logger.error('mail not sent; the sweeper will retry', { ticketId, ...errorFields(error) }),
  );
  // Open consoles read the ticket again.
  await deps.live
    .publish(liveEventsOf(ticket))
    .catch((error) => logger.error('live consoles not told', { ticketId, ...errorFields(error) }));
  // The people working the ticket hear of it (their notifications): never holds up the events.
  await notify(deps, ticket, entries).catch((error) =>
    logger.error('notifications not made', { ticketId, ...errorFields(error) }),
  );
  const webhooks = await subscriptionsOf(deps, ticket.customerId);
  let queued = 0;
  // Logged time may bring the customer's support-hours bank to a warning: checked by a job.
  const logged = entries.filter((e) => e.type === 'time-entry').at(-1);
  if (logged) {
    const customer = await deps.directory.getCustomer(ticket.customerId);
    if (customer?.contract.supportHours) {
      await deps.jobs.send({ kind: 'bank-check', customerId: ticket.customerId, at: logged.at });
      queued++;
    }
  }
  for (const entry of entries) {
    const type = eventOf(entry);
    if (!type) continue;
    const id = eventId(ticketId, entry.seq);
    const targets: { target: DeliveryTarget; payload: string }[] = [];
    const subscribed = webhooks.filter((w) => w.events.includes(type));
    if (subscribed.length) {
      const shown = customerEventJson(
        { ...ticket, description: cut(ticket.description, EVENT_TEXT_MAX) },
        entry.type === 'message' ? { ...entry, body: cut(entry.body, EVENT_TEXT_MAX) } : entry,
      );
      const body = JSON.stringify({
        id,
        type,
        createdAt: entry.at,
        // Events can arrive out of order (a retried ticket.created after a message.created):
        // the entry's place in the ticket's timeline orders them.
        sequence: entry.seq,
        customerId: ticket.customerId,
        ...shown,
        ...(entry.type === 'warning' || entry.type === 'breach'
          ? { sla: { clock: entry.clock, dueAt: entry.dueAt } }
          : {}),
      });
      for (const w of subscribed)
        targets.push({ target: { type: 'webhook', webhookId: w.id, url: w.url }, payload: body });
    }
    const text = ticket.chat ? await chatText(deps, ticketId, entry) : null;
    if (ticket.chat && text) targets.push({ target: { type: 'chat', ...ticket.chat }, payload: text });
    for (const { target, payload } of targets) {
      const deliveryId = `${id}.${target.type === 'webhook' ? target.webhookId : 'chat'}`;
      const delivery = newDelivery({
        id: deliveryId,
        customerId: ticket.customerId,
        ticketId,
        target,
        eventId: id,
        eventType: type,
        payload,
        createdAt: iso(deps.clock.now()),
      });
      const added = await deps.integrations.addDelivery(delivery);
      const stored = added ? delivery : await deps.integrations.getDelivery(ticket.customerId, deliveryId);
      if (stored?.status !== 'pending') continue;
      await deps.jobs.send({ kind: 'deliver', customerId: ticket.customerId, deliveryId });
      queued++;
    }
  }
  return queued;
}

/** One attempt: the receiver's HTTP status (null for a chat post); throws where it could not be reached. */
async function attempt(deps: Deps, delivery: DeliveryRecord): Promise<number | null> {
  const { target } = delivery;
  if (target.type === 'chat') {
    await deps.chat.post(target, delivery.payload);
    return null;
  }
  const webhook = (await deps.integrations.listWebhooks(delivery.customerId)).find(
    (w) => w.id === target.webhookId,
  );
  if (!webhook) throw new Error('the webhook was deleted');
  const { status } = await deps.web.post(webhook.url, delivery.payload, {
    'content-type': 'application/json',
    'user-agent': 'sla-desk-webhooks/1',
    [EVENT_ID_HEADER]: delivery.eventId,
    [DELIVERY_ID_HEADER]: delivery.id,
    // Signed by the real clock: `t` is transport security a receiver checks against its own clock.
    [SIGNATURE_HEADER]: signature(signingSecrets(webhook, deps.clock.now()), delivery.payload, Date.now()),
  });
  return status;
}

/**
 * Tries a pending delivery once and records the outcome. Returns how long to wait before the
 * next attempt, or null when there is none to make (delivered, failed for good, or not pending).
 */
export async function deliver(deps: Deps, customerId: string, deliveryId: string): Promise<number | null> {
  const delivery = await deps.integrations.getDelivery(customerId, deliveryId);
  if (delivery?.status !== 'pending') return null;
  const now = deps.clock.now();
  let error: string | null = null;
  let status: number | null = null;
  const started = performance.now();
  try {
    status = await attempt(deps, delivery);
    if (status !== null && (status < 200 || status > 299)) error = `HTTP ${status}`;
  } catch (failure) {
    error = cut(failure instanceof Error ? failure.message : String(failure), 500);
  }
  const durationMs = Math.round(performance.now() - started);
  const attempts = delivery.attempts + 1;
  const first = delivery.firstAttemptAt ? Date.parse(delivery.firstAttemptAt) : now;
  const delay = error === null ? null : retryDelay(attempts, first, now);
  const next: DeliveryRecord = {
    ...delivery,
    status: error === null ? 'delivered' : delay === null ? 'failed' : 'pending',
    attempts,
    firstAttemptAt: iso(first),
    lastAttemptAt: iso(now),
    lastError: error,
    lastStatus: status,
    lastDurationMs: durationMs,
    version: delivery.version + 1,
  };
  try {
    await deps.integrations.updateDelivery(next, delivery.version);
  } catch (conflict) {
    if (conflict instanceof VersionConflict) return null; // another copy of the job recorded its attempt
    throw conflict;
  }
  if (error !== null) logger.warn('delivery failed', { deliveryId, error, delay });
  return delay;
}

export function listFailed(
  deps: Deps,
  customerId: string,
  limit: number,
  cursor?: string,
): Promise<Page<DeliveryRecord>> {
  return deps.integrations.listFailed(customerId, limit, cursor);
}

/** A failed delivery tried again from the start (a new day of attempts). */
export async function redeliver(deps: Deps, customerId: string, deliveryId: string): Promise<DeliveryRecord> {
  const delivery = await deps.integrations.getDelivery(customerId, deliveryId);
  if (!delivery) throw new NotFound('delivery', deliveryId);
  if (delivery.status !== 'failed') {
    throw new RuleViolation(
      'not-failed',
      `delivery ${deliveryId} is ${delivery.status}; only failed deliveries are redelivered`,
      'deliveryId',
    );
  }
  const again: DeliveryRecord = {
    ...delivery,
    status: 'pending',
    attempts: 0,
    firstAttemptAt: null,
    lastError: null,
    version: delivery.version + 1,
  };
  await deps.integrations.updateDelivery(again, delivery.version);
  await deps.jobs.send({ kind: 'deliver', customerId, deliveryId });
  return again;
}
