// The agents' queue: every ticket with a running clock, soonest due first, counting down by
// the server's clock, coloured by how much of the clock is used (80 %: warning; past: breached).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { inZone, span } from '../format';
import { useLoad, useServerNow } from '../load';
import { planOf, type TicketSummary, zoneOf } from '../portal/tickets';
import { useDirectory } from './staff';

interface QueueItem extends TicketSummary {
  customerId: string;
  requesterEmail: string;
  assignee: string | null;
  assigneeName?: string | null;
  nextWarningAt: string | null;
}

const FILTERS = ['customerId', 'priority', 'status', 'assignee'] as const;

/** Every customer by name, for the filter and the rows (a page of 100 at a time, 2 000 at most). */
async function allCustomers(): Promise<{ id: string; name: string }[]> {
  const all: { id: string; name: string }[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const got: { items: { id: string; name: string }[]; nextCursor: string | null } = await api(
      'GET',
      `/customers?limit=100${query}`,
    );
    all.push(...got.items);
    cursor = got.nextCursor;
    if (!cursor) break;
  }
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

export function Queue() {
  // A link may preselect filters: #/?customerId=CUS-….
  const [filters, setFilters] = useState<Record<string, string>>(() => {
    const given = new URLSearchParams(location.hash.split('?')[1] ?? '');
    return Object.fromEntries(FILTERS.flatMap((f) => (given.get(f) ? [[f, given.get(f)!]] : [])));
  });
  const [breached, setBreached] = useState(false);
  const directory = useDirectory();
  const customers = useLoad(allCustomers, []);
  const customerName = (id: string) => customers.data?.find((c) => c.id === id)?.name ?? id;
  const [readAt, setReadAt] = useState(Date.now());
  const { data, error } = useLoad(async () => {
    const query = new URLSearchParams({ sort: 'deadline', limit: '100' });
    for (const f of FILTERS) if (filters[f]) query.set(f, filters[f]!);
    if (breached) query.set('breached', 'true');
    const page = await api<{ items: QueueItem[]; now: string }>('GET', `/tickets?${query}`);
    setReadAt(Date.now());
    const zones = await Promise.all(page.items.map(async (t) => zoneOf(await planOf(t.planId), t.priority)));
    return { ...page, items: page.items.map((t, i) => ({ ...t, zone: zones[i]! })) };
  }, [JSON.stringify(filters), breached]);
  const now = useServerNow(data?.now ?? null, readAt);
  const field = (name: string) => (e: Event) =>
    setFilters({ ...filters, [name]: (e.target as HTMLInputElement).value });

  return html`
    <h1>Queue</h1>
    <form class="filters" onSubmit=${(e: Event) => e.preventDefault()}>
      <label for="f-customer">Customer</label>
      <select id="f-customer" value=${filters.customerId ?? ''} onChange=${field('customerId')}>
        <option value="">Any</option>
        ${(customers.data ?? []).map((c) => html`<option value=${c.id}>${c.name}</option>`)}
      </select>
      <label for="f-priority">Priority</label>
      <select id="f-priority" value=${filters.priority ?? ''} onChange=${field('priority')}>
        <option value="">Any</option>${['P1', 'P2', 'P3', 'P4'].map((p) => html`<option>${p}</option>`)}
      </select>
      <label for="f-status">Status</label>
      <select id="f-status" value=${filters.status ?? ''} onChange=${field('status')}>
        <option value="">Any</option>${['new', 'open'].map((s) => html`<option>${s}</option>`)}
      </select>
      <label for="f-assignee">Assignee</label>
      <select id="f-assignee" value=${filters.assignee ?? ''} onChange=${field('assignee')}>
        <option value="">Anyone</option><option value="me">Assigned to me</option>
        ${(directory.data?.people ?? []).filter((p) => p.status === 'active').map((p) => html`<option value=${p.email}>${p.name}</option>`)}
      </select>
      <label class="check"><input type="checkbox" checked=${breached} onChange=${() => setBreached(!breached)} /> Breached only</label>
    </form>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${
      !data
        ? html`<p>Loading…</p>`
        : data.items.length === 0
          ? html`<p>No ticket has a running clock.</p>`
          : html`<table>
            <thead><tr><th>Due</th><th>Ticket</th><th>Priority</th><th class="wide">Assignee</th></tr></thead>
            <tbody>${data.items.map((t) => {
              const due = Date.parse(t.nextBreachAt!);
              const state =
                t.breached || now >= due
                  ? 'breached'
                  : t.nextWarningAt && now >= Date.parse(t.nextWarningAt)
                    ? 'warning'
                    : 'ok';
              return html`<tr data-ticket=${t.id} data-state=${state}>
                <td class=${`due-${state}`}>
                  <strong>${state === 'breached' ? `breached ${span(now - due)} ago` : `in ${span(due - now)}`}</strong>
                  <div class="hint">due ${inZone(t.nextBreachAt, t.zone)}</div>
                </td>
                <td><a href=${`#/tickets/${t.id}`}>${t.subject}</a>
                  <div class="hint">${customerName(t.customerId)} · ${t.requesterEmail}</div>
                  <div class="hint">${t.id} · ${t.status}</div></td>
                <td>${t.priority}</td>
                <td class="wide">${t.assigneeName ?? t.assignee ?? '—'}</td>
              </tr>`;
            })}</tbody>
          </table>`
    }`;
}
