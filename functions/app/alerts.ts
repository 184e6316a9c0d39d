// Monitoring alerts filed as tickets and uptime incidents. A firing alert opens a ticket
// (channel `monitoring`) and an incident for the customer and component; the same alert firing
// again adds to its ticket; its resolution ends the incident and says so on the ticket. Every
// step is keyed by the alert and its start, so a notification sent twice (Alertmanager's
// repeats, SNS retries) changes nothing the second time.
import { createHash } from 'node:crypto';
import { type AlertEvent, type AlertState, alertAction, alertPriority } from '../../domain/alerts';
import { Duplicate, VersionConflict } from '../../domain/errors';
import { LABEL_MAX } from '../../domain/insights';
import type { Deps, IncidentRecord } from '../ports';
import { cut, idOf, iso, type Principal } from './common';
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
const incidentId = (customerId: string, event: AlertEvent) =>
  idOf('INC', createHash('sha256').update(`${customerId}\n${event.key}\n${event.startsAt}`).digest());

async function startIncident(deps: Deps, customerId: string, event: AlertEvent): Promise<string> {
  const id = incidentId(customerId, event);
  const now = iso(deps.clock.now());
  const incident: IncidentRecord = {
    id,
    component: cut(event.component, 100),
    startedAt: iso(Math.min(event.startsAt, deps.clock.now())),
    endedAt: null,
    customerIds: [customerId],
    planned: false,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  try {
    await deps.incidents.create(incident);
  } catch (error) {
    if (!(error instanceof Duplicate)) throw error; // created by an earlier copy of this notification
  }
  return id;
}

async function endIncident(deps: Deps, id: string, at: number): Promise<void> {
  const incident = await deps.incidents.get(id);
  if (!incident || incident.endedAt !== null) return;
  const endedAt = iso(Math.max(Date.parse(incident.startedAt), Math.min(at, deps.clock.now())));
  await deps.incidents.update(
    { ...incident, endedAt, updatedAt: iso(deps.clock.now()), version: incident.version + 1 },
    incident.version,
  );
}

const when = (t: number) => new Date(t).toISOString();

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
  const ticket = known ? await getTicket(deps, who, known.ticketId).catch(() => null) : null;
  const action = alertAction(known, event, ticket !== null && ticket.ticket.status !== 'closed');
  const version = known?.version ?? 0;
  const text = [event.title, event.details].filter(Boolean).join('\n\n');
  if (action.kind === 'nothing') return 'unchanged';
  if (action.kind === 'resolve') {
    await endIncident(deps, known!.incidentId!, event.endsAt ?? deps.clock.now());
    await postMessage(deps, who, known!.ticketId, {
      body: cut(`Resolved at ${when(event.endsAt ?? deps.clock.now())}: ${text}`, 60_000),
      sourceMessageId: `alert:${event.key}:${known!.startsAt}:resolved`,
    });
    const { version: _version, ...firing } = known!;
    const state: AlertState = { ...firing, incidentId: null, status: 'resolved' };
    await deps.incidents.putAlert(customerId, event.key, state, version);
    return 'resolved';
  }
  if (known?.incidentId && known.status === 'firing')
    await endIncident(deps, known.incidentId, event.startsAt);
  const incident = await startIncident(deps, customerId, event);
  let ticketId: string;
  if (action.kind === 'open') {
    const customer = await deps.directory.getCustomer(customerId);
    const plan = customer ? await deps.directory.getPlan(customer.planId) : null;
    const { view } = await openTicket(
      deps,
      who,
      {
        subject: cut(`${event.title} (${event.component})`, 200),
        description: cut(`Firing since ${when(event.startsAt)}.\n\n${text}`, 60_000),
        priority: alertPriority(event, plan?.defaultPriority ?? 'P3'),
        channel: 'monitoring',
        // As the API takes one: printable (a label may carry anything), at most LABEL_MAX.
        component: cut(event.component.replace(/[\p{Cc}\p{Cs}]+/gu, ' ').trim(), LABEL_MAX) || undefined,
      },
      `alert:${event.key}:${event.startsAt}`,
    );
    ticketId = view.ticket.id;
  } else {
    ticketId = known!.ticketId;
    await postMessage(deps, who, ticketId, {
      body: cut(`Firing again since ${when(event.startsAt)}: ${text}`, 60_000),
      sourceMessageId: `alert:${event.key}:${event.startsAt}`,
    });
  }
  const state: AlertState = { ticketId, incidentId: incident, startsAt: event.startsAt, status: 'firing' };
  await deps.incidents.putAlert(customerId, event.key, state, version);
  return action.kind === 'open' ? 'opened' : 'updated';
}
