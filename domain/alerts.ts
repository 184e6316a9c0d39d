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
  /**
   * When this firing began; the same firing notified again has the same start. Null for a
   * resolve that does not say (CloudWatch's OK): it ends the firing under way at its time.
   */
  startsAt: number | null;
  /** When it resolved (resolved notifications). */
  endsAt: number | null;
  /** What tells it from the other alerts of its group: `instance kiosk-12`, or null. */
  distinct?: string | null;
  /** The group it was notified in (Alertmanager's groupKey), for one mail per group. */
  group?: string | null;
  /** How many alerts of the notification its sender left out (`max_alerts`). */
  truncated?: number;
}

// Labels that say which one of a group an alert is, most telling first.
const DISTINGUISHING = ['instance', 'device', 'component', 'pod', 'host', 'hostname', 'node', 'service'];

/**
 * What tells an alert from the others of its group: its labels not common to the group (the
 * instance, the device …), as `instance kiosk-12.stockholm:9100, device screen-3`; null when it
 * is the group's only alert or differs in nothing shown.
 */
export function distinguishingLabels(
  labels: Readonly<Record<string, string>>,
  common: Readonly<Record<string, string>>,
): string | null {
  const differing = Object.keys(labels).filter(
    (name) => common[name] !== labels[name] && name !== 'alertname' && name !== 'severity',
  );
  const rank = (name: string) => (DISTINGUISHING.includes(name) ? DISTINGUISHING.indexOf(name) : 99);
  const shown = differing.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).slice(0, 2);
  return shown.length ? shown.map((name) => `${name} ${labels[name]}`).join(', ') : null;
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

/**
 * One firing of an alert, as the desk knows it: its start (the firing's identity, with the
 * alert's key), its end, and what ended it: its own resolve, a resolve that named no start
 * (CloudWatch's OK) within its time, or the next firing's start (a firing again implies the one
 * before was over, whether or not its resolve was heard).
 */
export interface Firing {
  startsAt: number;
  endsAt: number | null;
  endedBy: 'resolve' | 'ok' | 'next' | null;
}

/** What the desk knows of an alert's life: its firings, oldest first, and startless resolves. */
export interface AlertHistory {
  firings: Firing[];
  /** The times of every resolve that named no start (CloudWatch's OK), oldest first. */
  startlessEnds?: number[];
}

/** What the desk knows of an alert: the ticket it is on and its history. */
export interface AlertState extends AlertHistory {
  ticketId: string | null;
}

/** Firings (and startless resolves) kept per alert; an older one notified again is as one never seen. */
export const MAX_FIRINGS = 50;

export interface AlertChange {
  /** The firings after the notification, oldest first. */
  firings: Firing[];
  startlessEnds: number[];
  /** The firing this notification told of, as it is now, or null when it changed nothing. */
  firing: Firing | null;
  /** It was not known before. */
  isNew: boolean;
  /** Every firing whose end this notification set or moved (its incident ends then). */
  ended: Firing[];
}

/**
 * An alert's firings after one notification: a function of the set of notifications heard, not
 * of their order. A firing is known by its start (Alertmanager's `startsAt`, the same in every
 * notification of one firing); a resolve with a start ends that firing (a firing never seen is
 * added, ended); a resolve without one (CloudWatch's OK) ends the firing whose time it falls in,
 * from its start to the next firing's; a firing not otherwise ended is over when the next one
 * starts. So any order of the same notifications, repeats included, ends with the same firings,
 * and the same incidents, as the order they were sent in.
 */
export function applyAlert(history: AlertHistory, event: AlertEvent): AlertChange {
  const before = [...history.firings].sort((a, b) => a.startsAt - b.startsAt);
  // What was heard: the starts, the resolves that named theirs, and the ones that did not.
  const heard = new Map(before.map((f) => [f.startsAt, f.endedBy === 'resolve' ? f.endsAt : null]));
  const startless = new Set(history.startlessEnds ?? []);
  const isNew = event.startsAt !== null && !heard.has(event.startsAt);
  if (event.startsAt === null) {
    if (event.endsAt !== null) startless.add(event.endsAt);
  } else if (event.status === 'resolved') {
    const explicit = heard.get(event.startsAt) ?? null;
    // The first resolve heard says when; a repeat says the same.
    heard.set(event.startsAt, explicit ?? Math.max(event.startsAt, event.endsAt ?? event.startsAt));
  } else if (isNew) {
    heard.set(event.startsAt, null);
  }
  const starts = [...heard.keys()].sort((a, b) => a - b).slice(-MAX_FIRINGS);
  const ends = [...startless].sort((a, b) => a - b).slice(-MAX_FIRINGS);
  const firings = starts.map((startsAt, i): Firing => {
    const resolved = heard.get(startsAt) ?? null;
    if (resolved !== null) return { startsAt, endsAt: resolved, endedBy: 'resolve' };
    const next = starts[i + 1] ?? Number.POSITIVE_INFINITY;
    const ok = ends.find((t) => t >= startsAt && t < next);
    if (ok !== undefined) return { startsAt, endsAt: ok, endedBy: 'ok' };
    return next === Number.POSITIVE_INFINITY
      ? { startsAt, endsAt: null, endedBy: null }
      : { startsAt, endsAt: next, endedBy: 'next' };
  });
  const was = new Map(before.map((f) => [f.startsAt, f]));
  const ended = firings.filter((f) => f.endsAt !== null && was.get(f.startsAt)?.endsAt !== f.endsAt);
  // The firing the notification is about: its own, or for a startless resolve the one it ends.
  const about =
    event.startsAt !== null
      ? firings.find((f) => f.startsAt === event.startsAt)
      : firings.findLast((f) => event.endsAt !== null && f.startsAt <= event.endsAt);
  const changed = about !== undefined && (isNew || ended.includes(about));
  return { firings, startlessEnds: ends, firing: changed ? about : null, isNew, ended };
}
