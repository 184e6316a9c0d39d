// Times and clocks as people read them, in the zone the plan counts in (Intl does the zone
// maths; the zone is named as domain/zone.ts names it everywhere: CET, not GMT+1).
import type { Target } from '../domain/duration';
import type { ClockName } from '../domain/plans';
import { zoneAbbreviation } from '../domain/zone';

export function inZone(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  const at = new Date(iso);
  const local = new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(at);
  return `${local} ${zoneAbbreviation(timeZone, at.getTime())}`;
}

/** `2 h 13 min`, `45 s`: a remaining or overdue span in words. */
export function span(ms: number): string {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}

export type ClockState = 'ok' | 'warning' | 'breached' | 'done' | 'none';

/** What the pages know of a ticket's clocks (the API's `sla` object). */
export interface SlaView {
  responseDueAt: string | null;
  respondedAt: string | null;
  nextUpdateDueAt: string | null;
  resolutionDueAt: string | null;
  paused: boolean;
  breaches?: { clock: ClockName; dueAt: string; breachedAt: string }[];
}

/** A due time against now: "due …, in 2 h 10 min" or "breached 44 min ago, due …". */
export function dueInWords(dueAt: string, now: number, zone: string): { text: string; state: ClockState } {
  const due = Date.parse(dueAt);
  if (now >= due)
    return { text: `breached ${span(now - due)} ago, due ${inZone(dueAt, zone)}`, state: 'breached' };
  return { text: `due ${inZone(dueAt, zone)}, in ${span(due - now)}`, state: 'ok' };
}

/**
 * One clock in words, the one place the pages say it: "breached 44 min ago, due Monday 23 Nov,
 * 14:16 CET", "due …, in 2 h 10 min", "answered …, 12 min late", "paused while we wait for
 * the customer", "no clock: when done". `target` is the level's (null where not known).
 */
export function clockInWords(
  clock: ClockName,
  sla: SlaView,
  target: Target | null,
  now: number,
  zone: string,
  status: string,
): { text: string; state: ClockState } {
  if (target === 'when-done' || target === 'best-effort') {
    return { text: `no clock: ${target === 'when-done' ? 'when done' : 'best effort'}`, state: 'none' };
  }
  const dueAt = { response: sla.responseDueAt, update: sla.nextUpdateDueAt, resolution: sla.resolutionDueAt }[
    clock
  ];
  const breach = (sla.breaches ?? []).filter((b) => b.clock === clock).at(-1);
  if (clock === 'response' && sla.respondedAt) {
    const late = breach ? Date.parse(sla.respondedAt) - Date.parse(breach.dueAt) : 0;
    return {
      text: `answered ${inZone(sla.respondedAt, zone)}${late > 0 ? `, ${span(late)} late` : ''}`,
      state: late > 0 ? 'breached' : 'done',
    };
  }
  const finished = status === 'resolved' || status === 'closed';
  if (sla.paused && !finished) return { text: 'paused while we wait for the customer', state: 'none' };
  if (dueAt) return dueInWords(dueAt, now, zone);
  if (breach && !finished) return dueInWords(breach.dueAt, now, zone);
  if (clock === 'update' && !sla.respondedAt) return { text: 'starts at the first response', state: 'none' };
  if (finished) return { text: `stopped: ${status}`, state: 'done' };
  return { text: 'not running', state: 'none' };
}
