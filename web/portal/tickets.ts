// A contact's tickets, the form to file one, and a ticket's page with its public timeline.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { navigate } from 'wouter-preact/use-hash-location';
import { escalationInWords } from '../../domain/escalation-policy';
import type { ClockName, Plan, Priority } from '../../domain/plans';
import { levelCalendar, promiseInWords } from '../../domain/plans';
import { type ApiError, api, asApiError, type Session } from '../api';
import { type AttachmentLink, Attachments, FilePicker, refuseFiles, uploadFiles } from '../files';
import { clockInWords, dueInWords, inZone, type SlaView } from '../format';
import { Phone, Search as SearchIcon } from '../icons';
import { useAction, useForm, useLoad, useServerNow } from '../load';
import { Highlighted } from '../ui/highlight';
import { usePage } from '../ui/page';

const PRIORITIES: Priority[] = ['P1', 'P2', 'P3', 'P4'];
const CATEGORIES = ['bug', 'configuration-error', 'advice', 'configuration-request', 'feature-request'];

export interface TicketSummary {
  id: string;
  subject: string;
  status: string;
  priority: Priority;
  planId: string;
  nextBreachAt: string | null;
  breached: boolean;
  createdAt: string;
}
export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  actor: { role: string; name: string } | null;
  body?: string;
  /** A status, or (routed) an onsite partner by name. */
  from?: string | null | { name: string };
  to?: string | null | { name: string };
  attachments?: AttachmentLink[];
}
export interface Ticket extends TicketSummary {
  description: string;
  assignee: string | null;
  /** Staff only: the assignee's account and the ticket's team. */
  assigneeId?: string | null;
  teamId?: string | null;
  device: string | null;
  partner: { name: string } | null;
  sla: SlaView;
  timeline: TimelineEntry[];
}

const plans = new Map<string, Promise<Plan>>();
export const planOf = (id: string) => {
  if (!plans.has(id)) plans.set(id, api<Plan>('GET', `/plans/${encodeURIComponent(id)}`));
  return plans.get(id)!;
};
export const zoneOf = (plan: Plan | null, priority: Priority) =>
  plan ? levelCalendar(plan, priority).timeZone : 'UTC';

const STATUS_GROUPS: Record<string, { label: string; statuses: string }> = {
  open: { label: 'Open', statuses: 'new,open,pending-customer' },
  closed: { label: 'Resolved and closed', statuses: 'resolved,closed' },
  all: { label: 'All', statuses: '' },
};

interface Found extends TicketSummary {
  requesterName: string;
  requesterEmail: string;
  nextDueAt: string | null;
  terms: string[];
  snippet: string | null;
}

/** Every ticket of the contact's organisation they may see, open and closed, found by its words. */
export function MyTickets() {
  usePage('Our tickets');
  const [readAt, setReadAt] = useState(Date.now());
  const [words, setWords] = useState('');
  const [q, setQ] = useState('');
  const [group, setGroup] = useState('open');
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const cursor = pages.at(-1) ?? null;
  const { data, error } = useLoad(async () => {
    const params = new URLSearchParams({ limit: '25' });
    if (q) params.set('q', q);
    if (STATUS_GROUPS[group]!.statuses) params.set('status', STATUS_GROUPS[group]!.statuses);
    if (!q) {
      params.set('sort', 'updated');
      params.set('order', 'desc');
    }
    if (cursor) params.set('cursor', cursor);
    const page = await api<{ items: Found[]; total: number; nextCursor: string | null; now: string }>(
      'GET',
      `/search/tickets?${params}`,
    );
    setReadAt(Date.now());
    const zones = await Promise.all(page.items.map(async (t) => zoneOf(await planOf(t.planId), t.priority)));
    return { ...page, items: page.items.map((t, i) => ({ ...t, zone: zones[i]! })) };
  }, [q, group, cursor]);
  const now = useServerNow(data?.now ?? null, readAt);
  const first = (pages.length - 1) * 25 + 1;
  return html`
    <h1>Our tickets</h1>
    <a class="button" href="#/new">New ticket</a>
    <form class="toolbar" role="search" onSubmit=${(e: Event) => {
      e.preventDefault();
      setQ(words.trim());
      setPages([null]);
    }}>
      <label class="search"><span class="sr-only">Search our tickets</span><${SearchIcon} />
        <input id="search" type="search" placeholder="Search words, ids, names" maxlength="200" value=${words}
          onInput=${(e: Event) => setWords((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" class="secondary inline">Search</button>
      <select aria-label="Which tickets" value=${group} onChange=${(e: Event) => {
        setGroup((e.target as HTMLSelectElement).value);
        setPages([null]);
      }}>${Object.entries(STATUS_GROUPS).map(([k, g]) => html`<option value=${k}>${g.label}</option>`)}</select>
    </form>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${
      data === null
        ? html`<p>Loading…</p>`
        : data.items.length === 0
          ? html`<p class="empty">${q ? 'No ticket has these words. Try fewer or other words.' : group === 'open' ? 'No open tickets. Choose "All" to see resolved ones.' : 'No tickets yet.'}</p>`
          : html`<table class="tickets portal">
            <thead><tr><th>Ticket</th><th class="wide">Status</th><th>Priority</th><th>Next due</th></tr></thead>
            <tbody>${data.items.map((t) => {
              const due = t.nextDueAt ? dueInWords(t.nextDueAt, now, t.zone) : null;
              return html`<tr data-ticket=${t.id}>
                <td class="subject"><a href=${`#/tickets/${t.id}`}><${Highlighted} text=${t.subject} terms=${t.terms} /></a>
                  <div class="hint">${t.id} · ${t.requesterName || t.requesterEmail}</div>
                  ${t.snippet ? html`<div class="snippet"><${Highlighted} text=${t.snippet} terms=${t.terms} /></div>` : null}</td>
                <td class="wide">${t.status}</td>
                <td>${t.priority}</td>
                <td class=${due ? `due-${due.state}` : ''}>${due ? due.text : t.status === 'pending-customer' ? 'waiting for your answer' : 'no running clock'}</td>
              </tr>`;
            })}</tbody>
          </table>
          <nav class="pager" aria-label="Pages">
            <button type="button" class="secondary inline" disabled=${pages.length < 2} onClick=${() => setPages(pages.slice(0, -1))}>Previous</button>
            <span>${first}–${first + data.items.length - 1} of ${data.total}</span>
            <button type="button" class="secondary inline" disabled=${!data.nextCursor} onClick=${() => setPages([...pages, data.nextCursor])}>Next</button>
          </nav>`
    }`;
}

export interface Draft {
  subject: string;
  description: string;
  priority: Priority;
  category?: string;
}

// A confirmed request from the embedded form that could not be filed: the form shows it again.
let unfiled: { draft: Draft; error: ApiError } | null = null;

/** Files the request a link confirmed, as the signed-in contact; where to go next. */
export async function fileDraft(draft: Draft): Promise<string> {
  try {
    const ticket = await api<Ticket>('POST', '/tickets', draft);
    return `/tickets/${ticket.id}`;
  } catch (e) {
    unfiled = { draft, error: asApiError(e) };
    return '/new';
  }
}

/** What one timeline line says, after who did it. */
/** The plan's escalation phone and key-word, where it has them. */
export function EscalationHelp({ plan }: { plan: Plan | null }) {
  const words = plan && escalationInWords(plan.escalation);
  return words ? html`<p class="escalation-help"><${Phone} /> ${words}</p>` : null;
}

function happened(e: TimelineEntry): string {
  if (e.type === 'message') return ' wrote';
  if (e.type === 'paged') return 'the engineer on call was paged';
  if (e.type === 'acknowledged') return 'the engineer on call took the page';
  if (e.type === 'status') return ` set the status to ${e.to}`;
  const to = e.to as { name: string } | null;
  const from = e.from as { name: string } | null;
  return to ? ` routed the ticket to onsite partner ${to.name}` : ` took the ticket back from ${from?.name}`;
}

export function NewTicket({ session }: { session: Session }) {
  const customer = useLoad(() => api<{ planId: string }>('GET', `/customers/${session.customerId}`), []);
  // The customer's registered devices, offered for the device field.
  const devices = useLoad(
    () => api<{ items: { name: string }[] }>('GET', `/customers/${session.customerId}/devices?limit=200`),
    [],
  );
  const [plan, setPlan] = useState<Plan | null>(null);
  useEffect(() => {
    if (customer.data) planOf(customer.data.planId).then(setPlan);
  }, [customer.data]);
  // A request from the embedded form that could not be filed comes back here once.
  const [kept] = useState(() => {
    const taken = unfiled;
    unfiled = null;
    return taken;
  });
  const { form, set, error, busy, submit } = useForm(
    {
      subject: kept?.draft.subject ?? '',
      description: kept?.draft.description ?? '',
      priority: kept?.draft.priority ?? 'P3',
      category: kept?.draft.category ?? '',
      device: '',
    },
    kept?.error ?? null,
  );
  const [files, setFiles] = useState<File[]>([]);
  const send = async () => {
    const { category, device, ...rest } = form;
    const attachments = await uploadFiles(files);
    const ticket = await api<Ticket>('POST', '/tickets', {
      ...rest,
      ...(category ? { category } : {}),
      ...(device.trim() ? { device: device.trim() } : {}),
      ...(attachments.length ? { attachments } : {}),
    });
    navigate(`/tickets/${ticket.id}`);
  };
  const fieldError = (field: string) => error?.details.find((d) => d.field === field)?.message;

  return html`
    <h1>New ticket</h1>
    ${error ? html`<p class="error" role="alert">${error.message}</p>` : null}
    <form onSubmit=${submit(send)}>
      <label for="subject">Subject</label>
      <input id="subject" required maxlength="200" value=${form.subject} onInput=${set('subject')}
        aria-invalid=${fieldError('subject') ? 'true' : 'false'} />
      <label for="description">What happened?</label>
      <textarea id="description" required maxlength="64000" value=${form.description} onInput=${set('description')}></textarea>
      <label for="priority">Priority</label>
      <select id="priority" value=${form.priority} onChange=${set('priority')} aria-describedby="promise">
        ${PRIORITIES.map((p) => html`<option value=${p}>${plan ? `${p} ${plan.levels[p].name}` : p}</option>`)}
      </select>
      <p class="hint" id="promise">${plan ? promiseInWords(plan, form.priority) : ''}</p>
      <${EscalationHelp} plan=${plan} />
      <label for="category">Category (optional)</label>
      <select id="category" value=${form.category} onChange=${set('category')}>
        <option value="">Not sure</option>
        ${CATEGORIES.map((c) => html`<option value=${c}>${c.replace(/-/g, ' ')}</option>`)}
      </select>
      <label for="device">Device (optional)</label>
      <input id="device" maxlength="100" list="device-list" value=${form.device} onInput=${set('device')}
        aria-invalid=${fieldError('device') ? 'true' : 'false'} />
      <datalist id="device-list">${(devices.data?.items ?? []).map((d) => html`<option value=${d.name} />`)}</datalist>
      <${FilePicker} id="files" files=${files} onChange=${setFiles} />
      <button type="submit" disabled=${busy || refuseFiles(files) !== null}>Send</button>
    </form>`;
}

export function TicketPage({ id, session }: { id: string; session: Session }) {
  const [readAt, setReadAt] = useState(Date.now());
  const { data, error, reload } = useLoad(async () => {
    const [ticket, { now }] = await Promise.all([
      api<Ticket>('GET', `/tickets/${encodeURIComponent(id)}`),
      api<Session>('GET', '/auth/session'),
    ]);
    setReadAt(Date.now());
    const plan = await planOf(ticket.planId);
    return { ticket, now, plan, zone: zoneOf(plan, ticket.priority) };
  }, [id]);
  const now = useServerNow(data?.now ?? null, readAt);
  const [reply, setReply] = useState('');
  const [replyFiles, setReplyFiles] = useState<File[]>([]);
  const { problem: actionError, act } = useAction(reload);

  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  const { ticket, zone, plan } = data;
  const { sla } = ticket;

  return html`
    <h1>${ticket.subject}</h1>
    <p><span class="badge">${ticket.id}</span> <span class="badge">${ticket.status}</span>
      <span class="badge">${ticket.priority}</span>
      ${ticket.assignee ? html` handled by ${ticket.assignee}` : ''}
      ${ticket.device ? html` · device ${ticket.device}` : ''}
      ${ticket.partner ? html` · onsite partner ${ticket.partner.name}` : ''}</p>
    <${EscalationHelp} plan=${plan} />
    <div class="ticket-grid portal">
    <section class="conversation" aria-labelledby="conversation-title">
    <h2 id="conversation-title">Conversation</h2>
    <ol class="timeline thread">
      <li class="message from-customer"><div class="meta"><strong>${ticket.timeline.find((e) => e.type === 'created')?.actor?.name ?? 'You'}</strong> · ${inZone(ticket.createdAt, zone)} · opened the ticket</div><div class="body">${ticket.description}</div>
        <${Attachments} files=${ticket.timeline.find((e) => e.type === 'created')?.attachments} /></li>
      ${ticket.timeline
        .filter((e) => ['message', 'status', 'routed', 'paged', 'acknowledged'].includes(e.type))
        .map((e) =>
          e.type === 'message'
            ? html`<li class=${`message from-${e.actor?.role === 'customer' ? 'customer' : 'agent'}`}>
          <div class="meta"><strong>${e.actor?.name ?? 'support'}</strong> · ${inZone(e.at, zone)}${happened(e)}</div>
          <div class="body">${e.body}</div><${Attachments} files=${e.attachments} />
        </li>`
            : e.type === 'paged' || e.type === 'acknowledged'
              ? html`<li class="event"><span class="meta">${inZone(e.at, zone)} · ${happened(e)}</span></li>`
              : html`<li class="event"><span class="meta">${inZone(e.at, zone)} · ${e.actor?.name ?? 'support'}${happened(e)}</span></li>`,
        )}
    </ol>
    ${actionError ? html`<p class="error" role="alert">${actionError}</p>` : null}
    ${
      ticket.status === 'closed'
        ? html`<p>This ticket is closed. <a href="#/new">Open a new one</a> and mention ${ticket.id}.</p>`
        : html`<form class="composer" onSubmit=${(e: Event) => {
            e.preventDefault();
            act(async () => {
              const attachments = await uploadFiles(replyFiles);
              await api('POST', `/tickets/${ticket.id}/messages`, {
                body: reply,
                ...(attachments.length ? { attachments } : {}),
              });
              setReply('');
              setReplyFiles([]);
            });
          }}>
          <label for="reply">Reply</label>
          <textarea id="reply" required maxlength="64000" value=${reply}
            onInput=${(e: Event) => setReply((e.target as HTMLTextAreaElement).value)}></textarea>
          <${FilePicker} id="reply-files" files=${replyFiles} onChange=${setReplyFiles} />
          <button type="submit" disabled=${refuseFiles(replyFiles) !== null}>Send reply</button>
        </form>`
    }
    ${
      ticket.status === 'resolved'
        ? html`<button class="secondary" onClick=${() => act(() => api('POST', `/tickets/${ticket.id}/status`, { status: 'open' }))}>Reopen</button>`
        : ['open', 'new', 'pending-customer'].includes(ticket.status) && session.role === 'customer'
          ? html`<button class="secondary" onClick=${() => act(() => api('POST', `/tickets/${ticket.id}/status`, { status: 'resolved' }))}>Mark as resolved</button>`
          : null
    }
    </section>
    <aside class="panel" aria-label="Service levels">
    <${Clocks} ticket=${ticket} plan=${plan} now=${now} zone=${zone}
      labels=${{ response: 'First response', update: 'Next update', resolution: 'Resolution' }} />
    ${sla.paused ? html`<p class="notice">The clocks are paused while we wait for your answer.</p>` : null}
    </aside>
    </div>`;
}

/** The three clocks in words (format.ts's clockInWords), coloured by their state. */
export function Clocks({
  ticket,
  plan,
  now,
  zone,
  labels,
}: {
  ticket: { sla: SlaView; priority: Priority; status: string };
  plan: Plan | null;
  now: number;
  zone: string;
  labels: Record<ClockName, string>;
}) {
  const level = plan?.levels[ticket.priority];
  return html`<div class="clocks" role="group" aria-label="Service-level clocks">
    ${(['response', 'update', 'resolution'] as const).map((clock) => {
      const target = level
        ? clock === 'resolution'
          ? (level.resolution ?? 'when-done')
          : level[clock]
        : null;
      const said = clockInWords(clock, ticket.sla, target, now, zone, ticket.status);
      return html`<div class=${`clock clock-${said.state}`} data-clock=${clock} data-state=${said.state}>
        <strong>${labels[clock]}</strong><div>${said.text}</div></div>`;
    })}
  </div>`;
}
