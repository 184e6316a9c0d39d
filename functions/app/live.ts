// The live console: a console opens its connection with a one-time token (60 s) it asks for as
// a signed-in person, and then hears every ticket change (it reads the ticket, the list and the
// counts again) and who is on which ticket; it says where it is itself (domain/presence.ts).
import { randomBytes } from 'node:crypto';
import { othersPresent, type PresenceState } from '../../domain/presence';
import { config } from '../config';
import type { Deps, LiveEvent, TicketRecord } from '../ports';
import { iso, type Principal, personOf } from './common';
import { digest } from './session-cookie';

export const LIVE_TOKEN_SECONDS = 60;

/** A token to open the live connection with, and where: a WebSocket on AWS, server-sent events locally. */
export async function openLive(deps: Deps, principal: Principal) {
  const staffId = personOf(principal, 'open the live console');
  const token = randomBytes(24).toString('base64url');
  const expiresAt = iso(deps.clock.now() + LIVE_TOKEN_SECONDS * 1000);
  await deps.liveStore.putToken(digest(token), staffId, expiresAt);
  const ws = config().LIVE_URL;
  return ws
    ? { transport: 'websocket' as const, url: `${ws}?token=${token}`, expiresAt }
    : { transport: 'sse' as const, url: `/live?token=${token}`, expiresAt };
}

/** The staff id a live token was given to (used once), or null. */
export function takeLiveToken(deps: Deps, token: string): Promise<string | null> {
  return deps.liveStore.takeToken(digest(token), iso(deps.clock.now()));
}

/** Says where the person is (viewing or writing on a ticket, or gone), and answers who else is there. */
export async function sayPresence(
  deps: Deps,
  principal: Principal,
  ticketId: string,
  state: PresenceState | 'left',
) {
  const staffId = personOf(principal, 'open the live console');
  const at = iso(deps.clock.now());
  if (state === 'left') await deps.liveStore.removePresence(ticketId, staffId);
  else await deps.liveStore.putPresence(ticketId, { staffId, name: principal.name, state, at });
  await deps.live.publish([{ type: 'presence', ticketId, staffId, name: principal.name, state, at }]);
  return presentOn(deps, principal, ticketId);
}

/** Who else is on a ticket now. */
export async function presentOn(deps: Deps, principal: Principal, ticketId: string) {
  const me = personOf(principal, 'open the live console');
  const all = (await deps.liveStore.presences(ticketId)).map((p) => ({ ...p, at: Date.parse(p.at) }));
  return othersPresent(all, me, deps.clock.now()).map((p) => ({ ...p, at: iso(p.at) }));
}

/** What a stored write tells live consoles: the ticket changed. */
export function liveEventsOf(ticket: TicketRecord): LiveEvent[] {
  return [
    {
      type: 'ticket',
      ticketId: ticket.id,
      revision: ticket.revision ?? ticket.version,
      customerId: ticket.customerId,
      at: ticket.updatedAt,
    },
  ];
}
