// Monitoring alerts as the desk sees them: one alert, whichever system sent it (Prometheus
// Alertmanager, CloudWatch through SNS), its priority from a documented table, and what a
// notification does given what the desk already knows of that alert.
import type { Priority } from './plans';

/** One alert's state in one notification. */
export interface AlertEvent {
  /** Stable across notifications of the same alert: Alertmanager's fingerprint, the alarm's ARN. */
  key: string;
  status: 'firing' | 'resolved';
  /** What is affected: a `component`/`service`/`job` label, else the alert's name. */
  component: string;
  title: string;
  details: string;
  /** The severity word the sender gave (a `severity` label, CloudWatch's state), if any. */
  severity: string | null;
  /** When this firing began; the same firing notified again has the same start. */
  startsAt: number;
  /** When it resolved (resolved notifications). */
  endsAt: number | null;
}

/**
 * Severity → priority. The words of Alertmanager's common `severity` label and of PagerDuty's
 * and Opsgenie's scales; anything else gets the plan's default priority.
 */
export const SEVERITY_PRIORITY: Readonly<Record<string, Priority>> = {
  critical: 'P1',
  fatal: 'P1',
  emergency: 'P1',
  page: 'P1',
  p1: 'P1',
  major: 'P2',
  high: 'P2',
  error: 'P2',
  p2: 'P2',
  warning: 'P3',
  warn: 'P3',
  minor: 'P3',
  medium: 'P3',
  p3: 'P3',
  info: 'P4',
  low: 'P4',
  none: 'P4',
  p4: 'P4',
};

/** The priority of an alert: by its severity word, else by a P1..P4 or severity word in its title. */
export function alertPriority(event: Pick<AlertEvent, 'severity' | 'title'>, fallback: Priority): Priority {
  const bySeverity = event.severity ? SEVERITY_PRIORITY[event.severity.trim().toLowerCase()] : undefined;
  if (bySeverity) return bySeverity;
  // Words of the title, camel case split too: "CPUHigh" → cpu, high.
  const words = event.title
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  for (const word of words) {
    const found = SEVERITY_PRIORITY[word];
    if (found) return found;
  }
  return fallback;
}

/** What the desk knows of an alert: the ticket it is on, and the firing under way (if any). */
export interface AlertState {
  ticketId: string;
  /** The incident of the firing under way; null once it resolved. */
  incidentId: string | null;
  startsAt: number;
  status: 'firing' | 'resolved';
}

export type AlertAction =
  /** A new alert, or one whose ticket is closed: a ticket and an incident. */
  | { kind: 'open' }
  /** Firing again (a later start), ticket still open: a message and a new incident. */
  | { kind: 'refire' }
  /** It resolved: the incident ends, the ticket gets a message. */
  | { kind: 'resolve' }
  /** A repeat of what is known already (Alertmanager re-sends; SNS retries): nothing. */
  | { kind: 'nothing' };

export function alertAction(state: AlertState | null, event: AlertEvent, ticketOpen: boolean): AlertAction {
  if (event.status === 'firing') {
    if (!state || !ticketOpen) return { kind: 'open' };
    // The same firing notified again (or a late copy of an earlier one) changes nothing; a
    // later start is a new firing, even where its resolution was never heard of.
    return event.startsAt > state.startsAt ? { kind: 'refire' } : { kind: 'nothing' };
  }
  if (state && state.status === 'firing' && state.incidentId) return { kind: 'resolve' };
  return { kind: 'nothing' };
}
