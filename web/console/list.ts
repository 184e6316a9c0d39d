// The list in the middle of the workspace: a view's tickets, or a search's, with the customer
// and requester by name, which clock is next and when in words (counting down by the server's
// clock), sortable by each column, a page at a time; tickets selected for a bulk change.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { SortField } from '../../domain/views';
import { api } from '../api';
import { inZone, span } from '../format';
import { Back, Forward, Search } from '../icons';
import { useLoad, useServerNow } from '../load';
import { planOf, zoneOf } from '../portal/tickets';
import { Highlighted } from '../ui/highlight';
import { usePage } from '../ui/page';
import { BulkBar, BulkOutcome } from './bulk';
import { SaveView } from './saved-views';
import {
  activeRow,
  type Listed,
  listRound,
  pages,
  query,
  type Sort,
  searchParams,
  selection,
  setQuery,
  toggleSelected,
  views,
} from './store';

/** Every customer by name, for the filter (a page of 100 at a time, 2 000 at most). */
export async function allCustomers(): Promise<{ id: string; name: string }[]> {
  const all: { id: string; name: string }[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const more: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const got: { items: { id: string; name: string }[]; nextCursor: string | null } = await api(
      'GET',
      `/customers?limit=100${more}`,
    );
    all.push(...got.items);
    cursor = got.nextCursor;
    if (!cursor) break;
  }
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

const COLUMNS: { field: SortField; label: string; wide?: boolean }[] = [
  { field: 'due', label: 'Next due' },
  { field: 'subject', label: 'Ticket' },
  { field: 'status', label: 'Status', wide: true },
  { field: 'priority', label: 'Priority' },
  { field: 'assignee', label: 'Assignee', wide: true },
  { field: 'updated', label: 'Updated', wide: true },
];
const STATUS_WORDS: Record<string, string> = {
  new: 'New',
  open: 'Open',
  'pending-customer': 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** Which clock is next and when, in words; its state colours the cell. */
function dueOf(t: Listed & { zone: string }, now: number) {
  if (!t.nextDueAt) {
    const text =
      t.status === 'pending-customer'
        ? 'paused: waiting on the customer'
        : t.resolvedAt
          ? `resolved ${span(now - Date.parse(t.resolvedAt))} ago`
          : 'no running clock';
    return { state: t.breached ? 'breached' : 'none', text, hint: null };
  }
  const due = Date.parse(t.nextDueAt);
  const state =
    t.breached || now >= due
      ? 'breached'
      : t.nextWarningAt && now >= Date.parse(t.nextWarningAt)
        ? 'warning'
        : 'ok';
  const clock = t.nextClock ?? 'clock';
  const text = now >= due ? `${clock} breached ${span(now - due)} ago` : `${clock} in ${span(due - now)}`;
  return { state, text, hint: `due ${inZone(t.nextDueAt, t.zone)}` };
}

function SortHeader({
  field,
  label,
  wide,
  sort,
}: {
  field: SortField;
  label: string;
  wide?: boolean;
  sort: Sort;
}) {
  const active = sort.field === field;
  const next: Sort = { field, direction: active && sort.direction === 'asc' ? 'desc' : 'asc' };
  return html`<th class=${wide ? 'wide' : ''} aria-sort=${active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
    <button type="button" class="sort" onClick=${() => setQuery({ sort: next })}>${label}${active ? (sort.direction === 'asc' ? ' ↑' : ' ↓') : ''}</button>
  </th>`;
}

export function TicketList() {
  const q = query.value;
  const view = views.value?.find((v) => v.id === q.view);
  const title = q.q ? `Search: ${q.q}` : (view?.name ?? 'Tickets');
  usePage(title);
  const cursor = pages.value.at(-1) ?? null;
  const customers = useLoad(allCustomers, []);
  const [readAt, setReadAt] = useState(Date.now());
  const [words, setWords] = useState(q.q);
  const list = useLoad(async () => {
    const page = await api<{ items: Listed[]; total: number; nextCursor: string | null; now: string }>(
      'GET',
      `/search/tickets?${searchParams(q, cursor)}`,
    );
    setReadAt(Date.now());
    const zones = await Promise.all(
      page.items.map(async (t) => zoneOf(await planOf(t.planId), t.priority as never)),
    );
    return { ...page, items: page.items.map((t, i) => ({ ...t, zone: zones[i]! })) };
  }, [JSON.stringify(q), cursor, listRound.value]);
  const now = useServerNow(list.data?.now ?? null, readAt);
  const sort: Sort = q.sort ?? view?.sort ?? { field: 'updated', direction: 'desc' };
  const items = list.data?.items ?? [];
  const first = (pages.value.length - 1) * 25 + 1;
  const field = (name: 'customerId' | 'priority' | 'status') => (e: Event) =>
    setQuery({ [name]: (e.target as HTMLSelectElement).value });
  const allSelected = items.length > 0 && items.every((t) => selection.value.has(t.id));

  return html`<section class="list" aria-labelledby="list-title">
    <div class="list-head">
      <h1 id="list-title">${title}</h1>
      ${list.data ? html`<span class="count">${list.data.total} ticket${list.data.total === 1 ? '' : 's'}</span>` : null}
    </div>
    <form class="toolbar" role="search" onSubmit=${(e: Event) => {
      e.preventDefault();
      setQuery({ q: words.trim() });
    }}>
      <label class="search"><span class="sr-only">Search tickets</span><${Search} />
        <input id="search" type="search" placeholder="Search words, names, ids (press /)" maxlength="200" value=${words}
          onInput=${(e: Event) => setWords((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" class="secondary inline">Search</button>
      <label for="f-customer" class="sr-only">Customer</label>
      <select id="f-customer" aria-label="Customer" value=${q.customerId} onChange=${field('customerId')}>
        <option value="">Any customer</option>
        ${(customers.data ?? []).map((c) => html`<option value=${c.id}>${c.name}</option>`)}
      </select>
      <select id="f-priority" aria-label="Priority" value=${q.priority} onChange=${field('priority')}>
        <option value="">Any priority</option>${['P1', 'P2', 'P3', 'P4'].map((p) => html`<option>${p}</option>`)}
      </select>
      <select id="f-status" aria-label="Status" value=${q.status} onChange=${field('status')}>
        <option value="">Any status</option>
        ${Object.entries(STATUS_WORDS).map(([s, w]) => html`<option value=${s}>${w}</option>`)}
      </select>
      <${SaveView} />
    </form>
    ${selection.value.size ? html`<${BulkBar} onDone=${list.reload} />` : null}
    <${BulkOutcome} />
    ${list.error ? html`<p class="error" role="alert">${list.error}</p>` : null}
    ${
      !list.data
        ? html`<p>Loading…</p>`
        : items.length === 0
          ? html`<p class="empty">No tickets here. ${q.q || q.customerId || q.priority || q.status ? 'Try fewer words or filters.' : 'Pick another view at the side.'}</p>`
          : html`<table class="tickets">
            <thead><tr>
              <th class="pick"><input type="checkbox" aria-label="Select all on this page" checked=${allSelected}
                onChange=${() => {
                  selection.value = allSelected ? new Set() : new Set(items.map((t) => t.id));
                }} /></th>
              ${COLUMNS.map((c) => html`<${SortHeader} ...${c} sort=${sort} />`)}
            </tr></thead>
            <tbody>${items.map((t, i) => {
              const due = dueOf(t, now);
              const picked = selection.value.has(t.id);
              return html`<tr data-ticket=${t.id} data-state=${due.state} class=${`${i === activeRow.value ? 'active' : ''} ${picked ? 'picked' : ''}`}>
                <td class="pick"><input type="checkbox" aria-label=${`Select ${t.subject}`} checked=${picked} onChange=${() => toggleSelected(t.id)} /></td>
                <td class=${`due-${due.state}`}><strong>${due.text}</strong>${due.hint ? html`<div class="hint">${due.hint}</div>` : null}</td>
                <td class="subject"><a href=${`#/tickets/${t.id}`}><${Highlighted} text=${t.subject} terms=${t.terms} /></a>
                  <div class="hint">${t.customerName} · ${t.requesterName || t.requesterEmail}</div>
                  ${t.snippet ? html`<div class="snippet"><${Highlighted} text=${t.snippet} terms=${t.terms} /></div>` : null}
                  ${t.tags?.length ? html`<div>${t.tags.map((tag) => html`<span class="badge tag">${tag}</span>`)}</div>` : null}
                </td>
                <td class="wide">${STATUS_WORDS[t.status] ?? t.status}</td>
                <td><span class=${`badge priority-${t.priority}`}>${t.priority}</span></td>
                <td class="wide">${t.assigneeName ?? 'Unassigned'}</td>
                <td class="wide"><time datetime=${t.updatedAt}>${span(now - Date.parse(t.updatedAt))} ago</time></td>
              </tr>`;
            })}</tbody>
          </table>
          <nav class="pager" aria-label="Pages">
            <button type="button" class="secondary inline" disabled=${pages.value.length < 2}
              onClick=${() => {
                pages.value = pages.value.slice(0, -1);
              }}><${Back} /> Previous</button>
            <span>${first}–${first + items.length - 1} of ${list.data.total}</span>
            <button type="button" class="secondary inline" disabled=${!list.data.nextCursor}
              onClick=${() => {
                pages.value = [...pages.value, list.data!.nextCursor];
                activeRow.value = 0;
              }}>Next <${Forward} /></button>
          </nav>`
    }
  </section>`;
}
