// The console's state in one place (Preact signals): the views and their counts, the list the
// agent is working (its view, words, filters, sort and page), the selection for bulk actions,
// and the people and teams of the directory. Components read and set these; none passes them
// down through its children.
import { signal } from '@preact/signals';
import type { Sort, ViewFilter } from '../../domain/views';
import { api } from '../api';

export type { Sort, ViewFilter };

export interface View {
  id: string;
  name: string;
  scope: 'built-in' | 'personal' | 'team' | 'everyone';
  filter: ViewFilter;
  sort: Sort;
  count: number;
}
export interface Listed {
  id: string;
  subject: string;
  status: string;
  priority: string;
  customerId: string;
  customerName: string;
  requesterName: string;
  requesterEmail: string;
  assigneeName: string | null;
  assigneeId?: string | null;
  planId: string;
  nextClock: 'response' | 'update' | 'resolution' | null;
  nextDueAt: string | null;
  nextWarningAt: string | null;
  breached: boolean;
  updatedAt: string;
  resolvedAt: string | null;
  tags?: string[];
  terms: string[];
  snippet: string | null;
}
export interface ListQuery {
  view: string;
  q: string;
  customerId: string;
  priority: string;
  status: string;
  tag: string;
  sort: Sort | null;
}

export const views = signal<View[] | null>(null);
export const query = signal<ListQuery>({
  view: 'all',
  q: '',
  customerId: '',
  priority: '',
  status: '',
  tag: '',
  sort: null,
});
/** The cursors of the pages before the one shown (Previous goes back one). */
export const pages = signal<(string | null)[]>([null]);
export const selection = signal<Set<string>>(new Set());
/** Bumped by every setQuery: choosing the view shown again reads it again. */
export const listRound = signal(0);
/** The row the keyboard is on (j / k). */
export const activeRow = signal(0);
export const shortcutsOpen = signal(false);
/** What the last bulk change did: how many changed, and each that did not with why. */
export const bulkOutcome = signal<{
  succeeded: number;
  failed: number;
  results: { id: string; ok: boolean; error?: { message: string } }[];
} | null>(null);

export async function loadViews(): Promise<void> {
  views.value = (await api<{ items: View[] }>('GET', '/views')).items;
}

/** Changes what the list shows: back to its first page, nothing selected. */
export function setQuery(change: Partial<ListQuery>): void {
  query.value = { ...query.value, ...change };
  listRound.value++;
  pages.value = [null];
  selection.value = new Set();
  activeRow.value = 0;
  bulkOutcome.value = null;
}

export function toggleSelected(id: string): void {
  const next = new Set(selection.value);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  selection.value = next;
}

/** The search's query string for the list as it stands, on the page of `cursor`. */
export function searchParams(q: ListQuery, cursor: string | null): URLSearchParams {
  const params = new URLSearchParams({ limit: '25' });
  if (q.view) params.set('view', q.view);
  for (const key of ['q', 'customerId', 'priority', 'status', 'tag'] as const)
    if (q[key]) params.set(key, q[key]);
  if (q.sort) {
    params.set('sort', q.sort.field);
    params.set('order', q.sort.direction);
  }
  if (cursor) params.set('cursor', cursor);
  return params;
}
