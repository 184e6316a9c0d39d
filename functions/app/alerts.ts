// Monitoring alerts filed as tickets and uptime incidents. Each firing of an alert is an
// incident for the customer and component (its id made of the alert and the firing's start);
// the alert's first firing opens a ticket (channel `monitoring`), later ones add to it, and a
// resolve ends the incident of the firing it belongs to and says so on the ticket. What a
// notification does is decided by domain/alerts.ts applyAlert from the notification's own
// times, so notifications arriving out of order (retries, HA pairs) or twice end the same.
import { createHash } from 'node:crypto';
import {
  type AlertEvent,
  type AlertState,
  alertPriority,
  applyAlert,
  type Firing,
} from '../../domain/alerts';
import { Duplicate, VersionConflict } from '../../domain/errors';
import { LABEL_MAX } from '../../domain/insights';
import type { Deps, IncidentRecord } from '../ports';
import { cut, idOf, iso, type Principal } from './common';
import { firstInWindow } from './mail';
import { getTicket, openTicket, postMessage } from './tickets';

export interface AlertsResult {
  opened: number;
  updated: number;
  resolved: number;
  unchanged: number;
}

/** The customer's monitoring, as whom tickets are filed and messages written. */
const monitoring = (customerId: string): Principal => ({
  keyId: `monitoring:${customerId}`,
  name: 'Monitoring',
  role: 'customer',
  customerId,
});

/** An incident id from the alert and its start: the same firing, the same incident. */
const incidentId = (customerId: string, key: string, startsAt: number) =>
  idOf('INC', createHash('sha256').update(`${customerId}\n${key}\n${startsAt}`).digest());

/** The firing's incident as the firing says: created, or its end set (never before its start). */
async function recordIncident(
  deps: Deps,
  customerId: string,
  event: AlertEvent,
  firing: Firing,
): Promise<void> {
  const id = incidentId(customerId, event.key, firing.startsAt);
  const now = deps.clock.now();
  const startedAt = iso(Math.min(firing.startsAt, now));
  const endedAt =
    firing.endsAt === null ? null : iso(Math.max(firing.startsAt, Math.min(firing.endsAt, now)));
  const existing = await deps.incidents.get(id);
  if (!existing) {
    const incident: IncidentRecord = {
      id,
      component: cut(event.component, 100),
      startedAt,
      endedAt,
      customerIds: [customerId],
      planned: false,
      createdAt: iso(now),
      updatedAt: iso(now),
      version: 1,
    };
    try {
      await deps.incidents.create(incident);
      return;
    } catch (error) {
      if (!(error instanceof Duplicate)) throw error; // created by a copy of this notification
      return recordIncident(deps, customerId, event, firing);
    }
  }
  if (existing.endedAt === endedAt) return;
  await deps.incidents.update(
    { ...existing, endedAt, updatedAt: iso(now), version: existing.version + 1 },
    existing.version,
  );
}

const when = (t: number) => new Date(t).toISOString();

/** Alerts filed before the answer; the rest of a larger group is filed by jobs right after. */
export const ALERTS_AT_ONCE = 50;
// A job's alerts stay well within SQS's 256 KB message.
const JOB_BYTES = 200_000;

/**
 * Takes one notification: up to ALERTS_AT_ONCE alerts filed now, the rest queued in jobs of at
 * most ALERTS_AT_ONCE alerts and JOB_BYTES each (`queued` counts them). A large group is never
 * refused: the sender would only send it again, or (Alertmanager on a 4xx) never.
 */
export async function takeAlerts(
  deps: Deps,
  customerId: string,
  events: AlertEvent[],
): Promise<AlertsResult & { queued: number }> {
  const [now = [], ...later] = chunks(events);
  for (const chunk of later) await deps.jobs.send({ kind: 'alerts', customerId, events: chunk });
  return { ...(await receiveAlerts(deps, customerId, now)), queued: events.length - now.length };
}

function chunks(events: AlertEvent[]): AlertEvent[][] {
  const out: AlertEvent[][] = [];
  let chunk: AlertEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event));
    if (chunk.length && (chunk.length >= ALERTS_AT_ONCE || bytes + size > JOB_BYTES)) {
      out.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(event);
    bytes += size;
  }
  if (chunk.length) out.push(chunk);
  return out;
}

/**
 * One mail per incident: the alerts of one group (or one alert) within GROUP_MAIL_MINUTES share
 * the acknowledgement, or for a P1 the major-incident notice (which is the only mail a P1 alert
 * sends: the notice says all an acknowledgement would).
 */
const GROUP_MAIL_MINUTES = 10;
const firstOfGroup = (deps: Deps, customerId: string, event: AlertEvent) =>
  firstInWindow(deps, `alerts#${customerId}`, [event.group ?? event.key], GROUP_MAIL_MINUTES * 60_000);

/** Files each alert of one notification, in order. */
export async function receiveAlerts(
  deps: Deps,
  customerId: string,
  events: AlertEvent[],
): Promise<AlertsResult> {
  const result: AlertsResult = { opened: 0, updated: 0, resolved: 0, unchanged: 0 };
  for (const event of events) {
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await fileAlert(deps, customerId, event);
        result[outcome]++;
        break;
      } catch (error) {
        // Another notification of the same alert moved it meanwhile: look again.
        if (!(error instanceof VersionConflict) || attempt >= 3) throw error;
      }
    }
  }
  return result;
}

async function fileAlert(deps: Deps, customerId: string, event: AlertEvent): Promise<keyof AlertsResult> {
  const who = monitoring(customerId);
  const known = await deps.incidents.getAlert(customerId, event.key);
  const version = known?.version ?? 0;
  const change = applyAlert(known ?? { firings: [] }, event);
  if (!change.firing) {
    // A startless resolve before any firing it could end is kept, though it changes nothing yet.
    if (change.startlessEnds.length !== (known?.startlessEnds ?? []).length)
      await deps.incidents.putAlert(
        customerId,
        event.key,
        { ticketId: known?.ticketId ?? null, firings: change.firings, startlessEnds: change.startlessEnds },
        version,
      );
    return 'unchanged';
  }
  for (const firing of new Set([...change.ended, change.firing]))
    await recordIncident(deps, customerId, event, firing);

  const ticket = known?.ticketId ? await getTicket(deps, who, known.ticketId).catch(() => null) : null;
  const open = ticket !== null && ticket.ticket.status !== 'closed';
  const { firing } = change;
  const latest = change.firings.at(-1) === firing;
  const cutNote = event.truncated
    ? `The sender left out ${event.truncated} more alert${event.truncated === 1 ? '' : 's'} of this notification (Alertmanager's max_alerts): they are not filed here.`
    : '';
  const text = [event.title, event.distinct, event.details, cutNote].filter(Boolean).join('\n\n');
  let ticketId = open ? ticket.ticket.id : null;
  let outcome: keyof AlertsResult = event.status === 'resolved' ? 'resolved' : 'updated';
  const opens = !known?.ticketId || (event.status === 'firing' && change.isNew && latest);
  if (!ticketId && opens) {
    // The alert's first notification (a resolve too, for a firing never heard of), or a new
    // firing after its ticket was closed: a ticket.
    const customer = await deps.directory.getCustomer(customerId);
    const plan = customer ? await deps.directory.getPlan(customer.planId) : null;
    const ended = firing.endsAt === null ? '' : `, resolved at ${when(firing.endsAt)}`;
    const priority = alertPriority(event, plan?.defaultPriority ?? 'P3');
    const first = await firstOfGroup(deps, customerId, event);
    const { view } = await openTicket(
      deps,
      who,
      {
        // The labels that tell it from the rest of its group: three alerts, three subjects.
        subject: cut(`${event.title} (${[event.component, event.distinct].filter(Boolean).join(', ')})`, 200),
        description: cut(`Firing since ${when(firing.startsAt)}${ended}.\n\n${text}`, 60_000),
        priority,
        acknowledge: first && priority !== 'P1',
        announce: first,
        channel: 'monitoring',
        // As the API takes one: printable (a label may carry anything), at most LABEL_MAX.
        component: cut(event.component.replace(/[\p{Cc}\p{Cs}]+/gu, ' ').trim(), LABEL_MAX) || undefined,
      },
      `alert:${event.key}:${firing.startsAt}`,
    );
    ticketId = view.ticket.id;
    outcome = 'opened';
  } else if (ticketId && change.isNew && event.status === 'firing' && latest) {
    await postMessage(deps, who, ticketId, {
      body: cut(`Firing again since ${when(firing.startsAt)}: ${text}`, 60_000),
      sourceMessageId: `alert:${event.key}:${firing.startsAt}`,
    });
  } else if (ticketId && event.status === 'resolved' && firing.endsAt !== null) {
    await postMessage(deps, who, ticketId, {
      body: cut(
        `Resolved at ${when(firing.endsAt)} (firing since ${when(firing.startsAt)}): ${text}`,
        60_000,
      ),
      sourceMessageId: `alert:${event.key}:${firing.startsAt}:resolved`,
    });
  }
  const state: AlertState = {
    ticketId: ticketId ?? known?.ticketId ?? null,
    firings: change.firings,
    startlessEnds: change.startlessEnds,
  };
  await deps.incidents.putAlert(customerId, event.key, state, version);
  return outcome;
}
