// Who else is on a ticket: each console that has it open says so every PRESENCE_BEAT_SECONDS
// (viewing, or writing a reply while its box holds text); a presence not renewed within
// PRESENCE_SECONDS is gone (a closed laptop says nothing). Zendesk's and Freshdesk's collision
// detection, in short.
import type { Instant } from './calendar';

export const PRESENCE_BEAT_SECONDS = 20;
export const PRESENCE_SECONDS = 45;
/** People shown on one ticket, at most. */
export const MAX_PRESENT = 20;

export type PresenceState = 'viewing' | 'writing';

export interface Presence {
  staffId: string;
  name: string;
  state: PresenceState;
  /** When it was last said. */
  at: Instant;
}

/** The others on a ticket now, writers first, then by name; each person once (their latest). */
export function othersPresent(all: readonly Presence[], me: string | null, now: Instant): Presence[] {
  const latest = new Map<string, Presence>();
  for (const p of all) {
    if (p.staffId === me || now - p.at > PRESENCE_SECONDS * 1000 || p.at - now > 60_000) continue;
    const seen = latest.get(p.staffId);
    if (!seen || seen.at < p.at) latest.set(p.staffId, p);
  }
  return [...latest.values()]
    .sort((a, b) => (a.state === b.state ? a.name.localeCompare(b.name) : a.state === 'writing' ? -1 : 1))
    .slice(0, MAX_PRESENT);
}
