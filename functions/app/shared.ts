// Shared tickets (Cloudomation standard and premium: "ability to browse shared service desk
// tickets from other customers"): an agent shares a ticket as a public summary and resolution;
// customers whose plan allows it list and search them, and see nothing of who asked: no
// customer, requester, timeline, internal note or attachment.
import { createHash } from 'node:crypto';
import { Forbidden, NotFound, RuleViolation } from '../../domain/errors';
import type { Deps, Page, SharedTicket } from '../ports';
import { idOf, iso, type Principal, requireRole } from './common';

/** Words of a search, at most. */
export const MAX_SEARCH_WORDS = 8;

export async function shareTicket(
  deps: Deps,
  principal: Principal,
  ticketId: string,
  input: { summary: string; resolution: string },
): Promise<SharedTicket> {
  requireRole(principal, ['agent', 'admin'], 'share tickets');
  const found = await deps.tickets.get(ticketId);
  if (!found) throw new NotFound('ticket', ticketId);
  const shared: SharedTicket = {
    id: idOf('SHR', createHash('sha256').update(ticketId).digest()),
    ticketId,
    category: found.ticket.category,
    priority: found.ticket.priority,
    summary: input.summary,
    resolution: input.resolution,
    sharedAt: iso(deps.clock.now()),
  };
  await deps.shared.put(shared);
  return shared;
}

export async function unshareTicket(deps: Deps, principal: Principal, ticketId: string): Promise<void> {
  requireRole(principal, ['agent', 'admin'], 'unshare tickets');
  if (!(await deps.shared.remove(ticketId))) throw new NotFound('shared ticket', ticketId);
}

const wordsOf = (q: string | undefined) =>
  (q ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** How many words a search has (the query's schema refuses more than MAX_SEARCH_WORDS). */
export const searchWordCount = (q: string | undefined): number => wordsOf(q).length;

/** The words of a search: lower case, NFKC, split on anything but letters and digits. */
export function searchWords(q: string | undefined): string[] {
  const words = wordsOf(q);
  if (words.length > MAX_SEARCH_WORDS) {
    throw new RuleViolation('too-many-words', `search with at most ${MAX_SEARCH_WORDS} words`, 'q');
  }
  return [...new Set(words)];
}

/** Shared tickets matching every word of `q`; customers only on plans that browse them. */
export async function browseShared(
  deps: Deps,
  principal: Principal,
  q: string | undefined,
  limit: number,
  cursor?: string,
): Promise<Page<SharedTicket>> {
  if (principal.role === 'customer') {
    const customer = principal.customerId ? await deps.directory.getCustomer(principal.customerId) : null;
    const plan = customer ? await deps.directory.getPlan(customer.planId) : null;
    if (!plan?.browseSharedTickets) {
      throw new Forbidden(`plan ${plan?.id ?? '(none)'} does not include browsing shared tickets`);
    }
  }
  return deps.shared.search(searchWords(q), limit, cursor);
}
