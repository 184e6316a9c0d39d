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
import { cut, iso, newId } from './common';
import { localTime } from './mail';
import { historyOf, planOf } from './ticket-writes';

export const MAX_WEBHOOKS = 10;
/** Code points of a ticket's description and a message's body in an event (the item's 400 KB). */
const EVENT_TEXT_MAX = 30_000;
export const SIGNATURE_HEADER = 'sla-desk-signature';
export const EVENT_ID_HEADER = 'sla-desk-event-id';
/** One per event and webhook: what a receiver with several webhooks for one customer dedups on. */
export const DELIVERY_ID_HEADER = 'sla-desk-delivery-id';

/** A webhook without its secret: how it is listed. */
export function webhookJson({ secret: _secret, ...shown }: WebhookRecord) {
  return shown;
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
    secret: `whsec_${randomBytes(32).toString('base64url')}`,
    createdAt: iso(deps.clock.now()),
  };
  await deps.integrations.putWebhook(webhook);
  return webhook;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the secret. */
export function signature(secret: string, body: string, at: number): string {
  const t = Math.floor(at / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
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
  // One that fails stays queued on the ticket for the sweeper: it never holds up the events.
  const mail = entries.flatMap((e) => (e.type === 'mail' ? [e.seq] : []));
  if (mail.length)
    await sendQueuedMail(deps, ticketId, mail).catch((error) =>
      logger.error('mail not sent; the sweeper will retry', { ticketId, ...errorFields(error) }),
    );
  const webhooks = await deps.integrations.listWebhooks(ticket.customerId);
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
      const delivery: DeliveryRecord = {
        id: deliveryId,
        customerId: ticket.customerId,
        ticketId,
        target,
        eventId: id,
        eventType: type,
        payload,
        createdAt: iso(deps.clock.now()),
        status: 'pending',
        attempts: 0,
        firstAttemptAt: null,
        lastAttemptAt: null,
        lastError: null,
        version: 1,
      };
      const added = await deps.integrations.addDelivery(delivery);
      const stored = added ? delivery : await deps.integrations.getDelivery(ticket.customerId, deliveryId);
      if (stored?.status !== 'pending') continue;
      await deps.jobs.send({ kind: 'deliver', customerId: ticket.customerId, deliveryId });
      queued++;
    }
  }
  return queued;
}

/** One attempt; throws what the other system answered or why it could not be reached. */
async function attempt(deps: Deps, delivery: DeliveryRecord): Promise<void> {
  const { target } = delivery;
  if (target.type === 'chat') {
    await deps.chat.post(target, delivery.payload);
    return;
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
    [SIGNATURE_HEADER]: signature(webhook.secret, delivery.payload, Date.now()),
  });
  if (status < 200 || status > 299) throw new Error(`HTTP ${status}`);
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
  try {
    await attempt(deps, delivery);
  } catch (failure) {
    error = cut(failure instanceof Error ? failure.message : String(failure), 500);
  }
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
