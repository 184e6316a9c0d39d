// Finding tickets: each change is indexed from the stored ticket (the tickets' stream on AWS,
// the store's publishing locally), and a search or a view is answered from the index with
// what the caller may see: a customer their own tickets by public words only.
import { foldClocks, nextDue } from '../../domain/clocks';
import { Forbidden, NotFound } from '../../domain/errors';
import { escapeRegExp } from '../../domain/text';
import {
  BUILT_IN_VIEWS,
  type ListedTicket,
  type Sort,
  type Viewer,
  type ViewFilter,
} from '../../domain/views';
import type { CustomerRecord, Deps, SearchDocument, TicketRecord, TimelineEntry } from '../ports';
import { assigneeName, contactOf, type Principal } from './common';
import { customerOf, historyOf, planOf } from './ticket-writes';
import { viewsOf } from './workbench';

/** Characters of public and of internal text indexed per ticket; words beyond are not found. */
export const INDEXED_TEXT_MAX = 60_000;
/** Characters of context a hit's snippet shows around the first matching word. */
const SNIPPET_CHARS = 180;

const capped = (texts: string[]): string[] => {
  let left = INDEXED_TEXT_MAX;
  const kept: string[] = [];
  for (const text of texts) {
    if (left <= 0) break;
    kept.push(text.slice(0, left));
    left -= text.length;
  }
  return kept;
};

/** Who asked for the ticket: the contact's name, else the name their first mail gave. */
function requesterNameOf(ticket: TicketRecord, timeline: TimelineEntry[], customer: CustomerRecord | null) {
  const contact = contactOf(customer, ticket.requesterEmail);
  if (contact) return contact.name;
  const opener = timeline.find((e) => e.type === 'created')?.actor;
  return opener && opener.role === 'customer' && !opener.name.includes('@') ? opener.name : '';
}

export function searchDocument(
  ticket: TicketRecord,
  timeline: TimelineEntry[],
  customer: CustomerRecord | null,
  next: { clock: ListedTicket['nextClock']; dueAt: number | null; warningAt: number | null },
): SearchDocument {
  const messages = timeline.flatMap((e) => (e.type === 'message' ? [e] : []));
  const resolved = ticket.status === 'resolved' || ticket.status === 'closed';
  const lastResolution = timeline.findLast(
    (e) => e.type === 'status' && (e.to === 'resolved' || e.to === 'closed'),
  );
  return {
    id: ticket.id,
    customerId: ticket.customerId,
    customerName: customer?.name ?? ticket.customerId,
    requesterEmail: ticket.requesterEmail,
    requesterName: requesterNameOf(ticket, timeline, customer),
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    tags: ticket.tags ?? [],
    assigneeId: ticket.assigneeId ?? null,
    assigneeName: assigneeName(ticket),
    teamId: ticket.teamId ?? null,
    planId: ticket.planId,
    createdAt: Date.parse(ticket.createdAt),
    updatedAt: Date.parse(ticket.updatedAt),
    nextClock: next.clock,
    nextDueAt: next.dueAt,
    nextWarningAt: next.warningAt,
    breached: ticket.breached,
    resolvedAt: resolved && lastResolution ? Date.parse(lastResolution.at) : null,
    version: ticket.version,
    description: ticket.description.slice(0, INDEXED_TEXT_MAX),
    publicText: capped(messages.filter((m) => !m.internal).map((m) => m.body)),
    internalText: capped(messages.filter((m) => m.internal).map((m) => m.body)),
  };
}

/** Indexes the tickets as stored now (a ticket since deleted is left as it was). */
export async function indexTickets(deps: Deps, ids: Iterable<string>): Promise<number> {
  const customers = new Map<string, Promise<CustomerRecord | null>>();
  const now = deps.clock.now();
  const documents: SearchDocument[] = [];
  for (const id of new Set(ids)) {
    const found = await deps.tickets.get(id);
    if (!found) continue;
    const { ticket, timeline } = found;
    if (!customers.has(ticket.customerId))
      customers.set(ticket.customerId, customerOf(deps, ticket.customerId));
    const next = nextDue(foldClocks(await planOf(deps, ticket.planId), historyOf(timeline), now));
    documents.push(
      searchDocument(ticket, timeline, await customers.get(ticket.customerId)!, {
        clock: next?.clock ?? null,
        dueAt: next?.dueAt ?? null,
        warningAt: next?.warningAt ?? null,
      }),
    );
  }
  await deps.search.put(documents);
  return documents.length;
}

/** Builds the index from every stored ticket when it holds none (a new deployment, an upgrade). */
export async function rebuildSearch(deps: Deps): Promise<number> {
  if ((await deps.search.size()) > 0) return 0;
  let indexed = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.tickets.list({}, 100, cursor);
    indexed += await indexTickets(
      deps,
      page.items.map((t) => t.id),
    );
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return indexed;
}

export interface SearchInput {
  q?: string | undefined;
  view?: string | undefined;
  filter: ViewFilter;
  sort?: Sort | undefined;
  limit: number;
  cursor?: string | undefined;
}

const viewerOf = (deps: Deps, principal: Principal): Viewer => ({
  now: deps.clock.now(),
  staffId: principal.staffId ?? null,
});

/** A customer filters by status and priority only; the rest of a view is the desk's. */
function customerFilter(filter: ViewFilter): ViewFilter {
  const staffOnly = (['assignee', 'teamId', 'tags'] as const).find((f) => filter[f] !== undefined);
  if (staffOnly) throw new Forbidden(`filtering by ${staffOnly} is for staff`);
  return filter;
}

/** The matching words of `text` around the first one found, for a hit's line under its subject. */
export function snippetOf(texts: string[], terms: string[]): string | null {
  if (!terms.length) return null;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${terms.map(escapeRegExp).join('|')})`, 'iu');
  for (const text of texts) {
    const at = text.search(pattern);
    if (at < 0) continue;
    const start = Math.max(0, at - SNIPPET_CHARS / 3);
    const cut = text
      .slice(start, start + SNIPPET_CHARS)
      .replace(/\s+/gu, ' ')
      .trim();
    return `${start > 0 ? '…' : ''}${cut}${start + SNIPPET_CHARS < text.length ? '…' : ''}`;
  }
  return null;
}

export async function searchTickets(deps: Deps, principal: Principal, input: SearchInput) {
  const customer = principal.role === 'customer';
  let filter: ViewFilter = input.filter;
  let sort = input.sort;
  if (input.view) {
    if (customer) throw new Forbidden('views are for staff');
    const view =
      BUILT_IN_VIEWS.find((v) => v.id === input.view) ??
      (await viewsOf(deps, principal)).find((v) => v.id === input.view);
    if (!view) throw new NotFound('view', input.view);
    filter = { ...view.filter, ...filter };
    sort ??= input.q ? undefined : view.sort;
  }
  if (customer) filter = customerFilter(filter);
  if (filter.customerId && customer && filter.customerId !== principal.customerId)
    throw new Forbidden('a customer searches its own tickets only');
  const found = await deps.search.search({
    text: input.q ?? '',
    ...(customer ? { customerId: principal.customerId! } : {}),
    filter,
    viewer: viewerOf(deps, principal),
    ...(sort ? { sort } : {}),
    limit: input.limit,
    ...(input.cursor ? { after: input.cursor } : {}),
  });
  // A line of each hit's own words, from what the caller may read of it.
  const snippets = await Promise.all(
    found.items.map(async ({ ticket, terms }) => {
      if (!terms.length) return null;
      const stored = await deps.tickets.get(ticket.id);
      if (!stored) return null;
      const texts = [
        stored.ticket.description,
        ...stored.timeline.flatMap((e) =>
          e.type === 'message' && (!e.internal || !customer) ? [e.body] : [],
        ),
      ];
      return snippetOf(texts.reverse(), terms);
    }),
  );
  return {
    items: found.items.map((hit, i) => ({ ...hit, snippet: snippets[i] ?? null })),
    total: found.total,
    nextCursor: found.after,
  };
}

/** The side bar: every view the caller has, with how many tickets each holds now. */
export async function viewCounts(deps: Deps, principal: Principal) {
  if (principal.role === 'customer') throw new Forbidden('views are for staff');
  const saved = await viewsOf(deps, principal);
  const all = [
    ...BUILT_IN_VIEWS.map((v) => ({ ...v, scope: 'built-in' as const, ownerId: null, version: 0 })),
    ...saved,
  ];
  const counts = await deps.search.count(
    all.map((v) => v.filter),
    viewerOf(deps, principal),
  );
  return all.map((v, i) => ({ ...v, count: counts[i]! }));
}

export async function tagsInUse(deps: Deps, principal: Principal, prefix: string, limit: number) {
  if (principal.role === 'customer') throw new Forbidden('tags are for staff');
  return deps.search.tags(prefix, limit);
}
