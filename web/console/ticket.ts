// A ticket as agents work it, conversation first: the thread as a mail thread (who, when in
// the plan's zone, public and internal apart, files) with the reply box under it (public reply
// or internal note, macros, files); beside it the requester and customer (plan, whether its
// hours are open now, their local time), the clocks counting down, why they are due then, and
// the properties, saved only when asked (priority's due time shown before); partner routing,
// component and device, and time folded away until used.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { businessCalendar } from '../../domain/calendar';
import { describeTarget, inWords, type Target } from '../../domain/duration';
import { levelCalendar, type Plan, type Priority } from '../../domain/plans';
import { api, asApiError, type Session } from '../api';
import { type AttachmentLink, Attachments, FilePicker, refuseFiles, uploadFiles } from '../files';
import { inZone } from '../format';
import { Alert, Back, Lock, Mail } from '../icons';
import { useAction, useLoad, useServerNow } from '../load';
import { Clocks, planOf, type Ticket, zoneOf } from '../portal/tickets';
import { usePage } from '../ui/page';
import { useMacros } from './bulk';
import { EscalationCard } from './escalation';
import { usePresence } from './live';
import { WatchButton } from './notifications';
import { useDirectory } from './staff';
import { loadViews } from './store';
import { SHORTCUT_EVENT } from './workspace';

interface Explanation {
  clock: string;
  cycle: number;
  state: string;
  target: string;
  dueAt: string | null;
  summary: string;
  segments: { from: string; to: string; kind: 'open' | 'closed' | 'holiday' | 'paused'; reason?: string }[];
}
interface PartnerRef {
  id: string;
  name: string;
  email: string;
  regions?: string[];
}
export interface StaffEntry {
  seq: number;
  at: string;
  type: string;
  actor: { name: string; role?: string } | null;
  body?: string;
  internal?: boolean;
  author?: string;
  field?: string;
  from?: string | null | PartnerRef;
  to?: string | null | string[] | PartnerRef;
  minutes?: number;
  note?: string | null;
  toName?: string | null;
  added?: string[];
  removed?: string[];
  clock?: string;
  purpose?: string;
  subject?: string;
  sentAt?: string | null;
  /** Escalation steps (type page) and acknowledgements. */
  by?: string;
  recipient?: string;
  unreached?: string;
  service?: string | null;
  error?: string;
  via?: string;
  attachments?: AttachmentLink[];
  original?: AttachmentLink;
  mailProblem?: string;
}
interface StaffTicket extends Omit<Ticket, 'timeline'> {
  version: number;
  customerId: string;
  requesterEmail: string;
  category: string | null;
  component: string | null;
  device: string | null;
  partner: PartnerRef | null;
  tags: string[];
  timeline: StaffEntry[];
}
interface Customer {
  id: string;
  name: string;
  contacts: { email: string; name: string }[];
}

const CATEGORIES = ['bug', 'configuration-error', 'advice', 'configuration-request', 'feature-request'];
const STATUSES = ['new', 'open', 'pending-customer', 'resolved', 'closed'];

function stateInWords(c: Explanation, now: number): string {
  if (c.state === 'running')
    return c.dueAt && Date.parse(c.dueAt) <= now ? 'breached, still running' : 'running';
  if (c.state === 'not-applicable') return 'no clock';
  return c.state.replace('-', ' ');
}

function ExplainBar({ c, zone, now }: { c: Explanation; zone: string; now: number }) {
  const start = Date.parse(c.segments[0]?.from ?? '');
  const total = Date.parse(c.segments.at(-1)?.to ?? '') - start || 1;
  return html`<div class="explain">
    <div><strong>${c.clock}${c.cycle > 1 ? ` #${c.cycle}` : ''}</strong> · ${describeTarget(c.target as Target)} · ${stateInWords(c, now)}</div>
    <div class="explain-bar" role="img" aria-label=${c.summary}>
      ${c.segments.map(
        (
          s,
        ) => html`<span class=${`seg seg-${s.kind}`} style=${{ flexGrow: (Date.parse(s.to) - Date.parse(s.from)) / total }}
          title=${`${s.kind}${s.reason ? ` (${s.reason})` : ''}: ${inZone(s.from, zone)} – ${inZone(s.to, zone)}, counted ${inWords(s.kind === 'open' ? Date.parse(s.to) - Date.parse(s.from) : 0)}`}></span>`,
      )}
    </div>
    <p class="hint">${c.summary}</p>
  </div>`;
}

/** What an event of the timeline says, after who did it. */
function eventText(e: StaffEntry): string {
  switch (e.type) {
    case 'field':
      return `set the ${e.field} to ${e.to ?? 'none'}`;
    case 'routed': {
      const to = e.to as PartnerRef | null;
      const note = e.note ? `: ${e.note}` : '';
      return to
        ? `routed the ticket to onsite partner ${to.name} <${to.email}>${note}`
        : `took the ticket back from ${(e.from as PartnerRef | null)?.name}${note}`;
    }
    case 'status':
      return `set the status to ${e.to}`;
    case 'priority':
      return `changed the priority ${e.from} → ${e.to}`;
    case 'assignee':
      return `assigned ${e.toName ?? e.to ?? 'nobody'}`;
    case 'team':
      return `given to team ${e.toName ?? 'none'}`;
    case 'category':
      return `set the category to ${e.to ?? 'none'}`;
    case 'tags':
      return [
        e.added?.length ? `tagged ${e.added.join(', ')}` : '',
        e.removed?.length ? `removed tag ${e.removed.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
    case 'time-entry':
      return `logged ${e.minutes} min${e.note ? `: ${e.note}` : ''}`;
    case 'breach':
      return `${e.clock} clock breached`;
    case 'warning':
      return `${e.clock} clock at 80 %`;
    case 'escalated':
      return 'escalated';
    case 'page': {
      const to = e.to as { name: string } | null;
      const verb = e.by === 'page' ? 'paged' : 'notified';
      return to
        ? `${verb} ${to.name} (${e.recipient?.replace('-', ' ')}) by ${e.service}`
        : `reached no one (${e.recipient?.replace('-', ' ')}): ${e.unreached}`;
    }
    case 'page-failed':
      return `a page could not be sent: ${e.error}`;
    case 'acknowledged':
      return `acknowledged the pages (${e.via})`;
    case 'mail':
      return `mailed ${e.purpose?.replace('-', ' ')} to ${(e.to as string[]).join(', ')}${e.sentAt ? '' : ' (not sent yet)'}`;
    default:
      return e.type;
  }
}

const AUTHOR: Record<string, string> = { customer: 'Customer', agent: 'Agent', partner: 'Onsite partner' };

/** The thread, oldest first, scrolled to its latest message. */
function Thread({ ticket, zone, requester }: { ticket: StaffTicket; zone: string; requester: string }) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [ticket.timeline.length]);
  const created = ticket.timeline.find((e) => e.type === 'created');
  return html`<ol class="timeline thread" ref=${list} tabindex="0" aria-label="Conversation, oldest first">
    <li class="message from-customer">
      <div class="meta"><strong>${requester}</strong> <span class="role">Customer</span> · <time datetime=${ticket.createdAt}>${inZone(ticket.createdAt, zone)}</time> · opened the ticket</div>
      <div class="body">${ticket.description}</div>
      <${Attachments} files=${created?.attachments} />
      ${created?.mailProblem ? html`<div class="hint" role="note"><${Alert} /> ${created.mailProblem}</div>` : null}
      ${created?.original ? html`<div class="hint"><a href=${created.original.href} download=${created.original.name}>The mail as received</a></div>` : null}
    </li>
    ${ticket.timeline
      .filter((e) => e.type !== 'created')
      .map((e) =>
        e.type === 'message'
          ? html`<li class=${`message from-${e.author} ${e.internal ? 'internal' : ''}`}>
            <div class="meta">
              <strong>${e.actor?.name ?? 'sla-desk'}</strong> <span class="role">${AUTHOR[e.author ?? ''] ?? ''}</span> · <time datetime=${e.at}>${inZone(e.at, zone)}</time>
              ${e.internal ? html` · <span class="internal-label"><${Lock} /> Internal note</span>` : e.author === 'agent' ? ' · wrote' : ' · wrote'}
            </div>
            <div class="body">${e.body}</div>
            <${Attachments} files=${e.attachments} />
            ${e.mailProblem ? html`<div class="hint" role="note"><${Alert} /> ${e.mailProblem}</div>` : null}
            ${e.original ? html`<div class="hint"><a href=${e.original.href} download=${e.original.name}>The mail as received</a></div>` : null}
          </li>`
          : html`<li class=${`event ${e.type === 'mail' ? 'mail' : ''}`}>
            ${e.type === 'mail' ? html`<${Mail} /> ` : null}<span class="meta"><time datetime=${e.at}>${inZone(e.at, zone)}</time> · ${e.actor?.name ?? 'sla-desk'} ${eventText(e)}</span>
          </li>`,
      )}
  </ol>`;
}

const CHANGE_WORDS: Record<string, (v: unknown) => string> = {
  status: (v) => `set the status to ${v}`,
  priority: (v) => `set the priority to ${v}`,
  category: (v) => `set the category to ${v ?? 'none'}`,
  assignee: (v) => (v === 'me' ? 'assign it to you' : v === null ? 'unassign it' : 'assign it'),
  addTags: (v) => `tag it ${(v as string[]).join(', ')}`,
  removeTags: (v) => `remove tag ${(v as string[]).join(', ')}`,
};

function Composer({
  ticket,
  onSent,
  onWriting,
}: {
  ticket: StaffTicket;
  onSent: () => void;
  onWriting: (writing: boolean) => void;
}) {
  const [internal, setInternal] = useState(false);
  const [reply, setReply] = useState('');
  // Where the timeline stood when this reply was begun (null while the box is empty).
  const [writingSince, setWritingSince] = useState<number | null>(null);
  const write = (text: string) => {
    setReply(text);
    setWritingSince((since) => (text.trim() ? (since ?? ticket.timeline.length) : null));
  };
  const [files, setFiles] = useState<File[]>([]);
  const [macro, setMacro] = useState<{ id: string; changes: Record<string, unknown> } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const macros = useMacros();
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => onWriting(reply.trim() !== ''), [reply.trim() !== '']);
  useEffect(() => {
    const shortcut = (e: Event) => {
      const what = (e as CustomEvent<string>).detail;
      if (what !== 'reply' && what !== 'note') return;
      setInternal(what === 'note');
      setTimeout(() => box.current?.focus(), 0);
    };
    addEventListener(SHORTCUT_EVENT, shortcut);
    return () => removeEventListener(SHORTCUT_EVENT, shortcut);
  }, []);
  const useMacro = async (id: string) => {
    setProblem(null);
    if (!id) return setMacro(null);
    try {
      const preview = await api<{
        reply: { body: string; internal: boolean } | null;
        changes: Record<string, unknown>;
      }>('POST', `/macros/${id}/preview`, { ticketId: ticket.id });
      if (preview.reply) {
        write(preview.reply.body);
        setInternal(preview.reply.internal);
      }
      setMacro({ id, changes: preview.changes });
    } catch (error) {
      setProblem(asApiError(error).message);
    }
  };
  // Messages that arrived since the agent began this reply (the ticket as shown then: the live
  // console may show a newer one by the time it is sent): a reply written without them asks first.
  const [newer, setNewer] = useState<StaffEntry[] | null>(null);
  const send = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      if (reply.trim() && !internal && newer === null) {
        const now = await api<StaffTicket>('GET', `/tickets/${encodeURIComponent(ticket.id)}`);
        const since = writingSince ?? ticket.timeline.length;
        const arrived = now.timeline.filter(
          (x) => x.seq > since && x.type === 'message' && x.author !== 'agent',
        );
        if (arrived.length) {
          setNewer(arrived);
          return;
        }
      }
      setNewer(null);
      const attachments = await uploadFiles(files);
      // The macro's changes first, each ticket's own write; then the reply as the agent left it.
      if (macro && Object.keys(macro.changes).length) {
        const done = await api<{ results: { ok: boolean; error?: { message: string } }[] }>(
          'POST',
          '/tickets/bulk',
          {
            ids: [ticket.id],
            changes: macro.changes,
          },
        );
        if (!done.results[0]?.ok)
          throw new Error(done.results[0]?.error?.message ?? 'the macro’s changes failed');
      }
      if (reply.trim())
        await api('POST', `/tickets/${ticket.id}/messages`, {
          body: reply,
          internal,
          ...(attachments.length ? { attachments } : {}),
        });
      write('');
      setFiles([]);
      setMacro(null);
      onSent();
    } catch (error) {
      setProblem(error instanceof Error && !('status' in error) ? error.message : asApiError(error).message);
    } finally {
      setBusy(false);
    }
  };
  const pending = macro ? Object.entries(macro.changes).filter(([, v]) => v !== undefined) : [];
  const meanwhile = newer?.length
    ? html`<div class="meanwhile" role="alert">
        <p><strong>${newer.at(-1)!.actor?.name ?? 'The customer'}</strong> wrote while you were writing:</p>
        <blockquote>${(newer.at(-1)!.body ?? '').slice(0, 400)}</blockquote>
        <button type="submit">Send mine anyway</button>
        <button type="button" class="secondary" onClick=${() => {
          setNewer(null);
          onSent();
        }}>Read it first</button>
      </div>`
    : null;
  return html`<form class=${`composer ${internal ? 'internal' : ''}`} onSubmit=${send} aria-label="Reply">
    ${meanwhile}
    <div role="tablist" aria-label="Reply or note" class="tabs">
      <button type="button" role="tab" id="tab-reply" aria-selected=${!internal} aria-controls="composer-panel" onClick=${() => setInternal(false)}>Public reply</button>
      <button type="button" role="tab" id="tab-note" aria-selected=${internal} aria-controls="composer-panel" onClick=${() => setInternal(true)}><${Lock} /> Internal note</button>
    </div>
    <div id="composer-panel" role="tabpanel" aria-labelledby=${internal ? 'tab-note' : 'tab-reply'}>
      <label for="reply" class="sr-only">Message</label>
      <textarea id="reply" ref=${box} aria-label="Message" placeholder=${internal ? 'A note for the desk: the customer does not see it (n)' : 'Reply to the customer (r)'}
        value=${reply} onInput=${(e: Event) => write((e.target as HTMLTextAreaElement).value)}
        onKeyDown=${(e: KeyboardEvent) => {
          // Ctrl+Enter (⌘+Enter) sends, as in a mail client.
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey))
            (e.target as HTMLTextAreaElement).form?.requestSubmit();
        }}></textarea>
      ${pending.length ? html`<p class="hint" role="status">The macro will also ${pending.map(([k, v]) => CHANGE_WORDS[k]?.(v) ?? k).join(', ')}.</p>` : null}
      ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
      <div class="composer-actions">
        <select aria-label="Insert macro" value=${macro?.id ?? ''} onChange=${(e: Event) => useMacro((e.target as HTMLSelectElement).value)}>
          <option value="">Insert macro…</option>
          ${(macros.data?.items ?? []).map((m) => html`<option value=${m.id}>${m.name}</option>`)}
        </select>
        <${FilePicker} id="files" files=${files} onChange=${setFiles} />
        <button type="submit" class="inline" disabled=${busy || refuseFiles(files) !== null || (!reply.trim() && !pending.length)}>${internal ? 'Add note' : 'Send reply'}</button>
      </div>
    </div>
  </form>`;
}

/** The requester and customer: plan, whether its hours are open now, and the time there. */
function WhoCard({
  ticket,
  customer,
  plan,
  now,
}: {
  ticket: StaffTicket;
  customer: Customer | null;
  plan: Plan;
  now: number;
}) {
  const contact = customer?.contacts.find(
    (c) => c.email.toLowerCase() === ticket.requesterEmail.toLowerCase(),
  );
  const definition = levelCalendar(plan, ticket.priority as Priority);
  let hours = '';
  try {
    const calendar = businessCalendar(definition);
    const open = calendar.isOpen(now);
    hours = open
      ? 'open now'
      : `closed now, opens ${inZone(new Date(calendar.nextOpen(now)).toISOString(), definition.timeZone)}`;
  } catch {
    hours = '';
  }
  const local = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: definition.timeZone,
  }).format(now);
  return html`<section class="card who" aria-label="Requester and customer">
    <p><strong>${contact?.name ?? ticket.requesterEmail}</strong><br /><span class="hint">${ticket.requesterEmail}</span></p>
    <p><a href=${`#/customers/${ticket.customerId}`}>${customer?.name ?? ticket.customerId}</a> · ${plan.name}</p>
    <p class=${hours.startsWith('open') ? 'open-now' : 'closed-now'}>${hours ? `Plan hours ${hours}` : ''} · ${local} local (${definition.timeZone})</p>
  </section>`;
}

export function ConsoleTicket({ id, session }: { id: string; session: Session }) {
  const [readAt, setReadAt] = useState(Date.now());
  const { data, error, reload } = useLoad(async () => {
    const [ticket, explained, { now }] = await Promise.all([
      api<StaffTicket>('GET', `/tickets/${encodeURIComponent(id)}`),
      api<Explanation[]>('GET', `/tickets/${encodeURIComponent(id)}/explain`),
      api<Session>('GET', '/auth/session'),
    ]);
    setReadAt(Date.now());
    const [plan, customer] = await Promise.all([
      planOf(ticket.planId),
      api<Customer>('GET', `/customers/${encodeURIComponent(ticket.customerId)}`).catch(() => null),
    ]);
    return { ticket, explained, now, plan, customer, zone: zoneOf(plan, ticket.priority) };
  }, [id]);
  usePage(data ? data.ticket.subject : null);
  const now = useServerNow(data?.now ?? null, readAt);
  const directory = useDirectory();
  const partners = useLoad(() => api<{ items: PartnerRef[] }>('GET', '/partners'), []);
  const [writing, setWriting] = useState(false);
  const others = usePresence(id, writing, () => {
    reload();
    loadViews().catch(() => {});
  });
  const tags = useLoad(() => api<{ items: { tag: string }[] }>('GET', '/tags?limit=100'), []);
  const [edit, setEdit] = useState<Record<string, string> | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [labels, setLabels] = useState<{ component: string; device: string } | null>(null);
  const [partnerId, setPartnerId] = useState('');
  const [routeNote, setRouteNote] = useState('');
  const [minutes, setMinutes] = useState('');
  const [note, setNote] = useState('');
  const { problem, act } = useAction(() => {
    reload();
    loadViews().catch(() => {});
  });
  const ticket = data?.ticket;
  const patch = (body: Record<string, unknown>) =>
    api('PATCH', `/tickets/${ticket!.id}`, body, { 'if-match': `"${ticket!.version}"` });
  useEffect(() => {
    const shortcut = (e: Event) => {
      if ((e as CustomEvent<string>).detail === 'assign' && ticket && session.staffId)
        act(() => patch({ assigneeId: session.staffId }));
    };
    addEventListener(SHORTCUT_EVENT, shortcut);
    return () => removeEventListener(SHORTCUT_EVENT, shortcut);
  }, [ticket?.version]);

  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!data || !ticket) return html`<p>Loading…</p>`;
  const { explained, zone, plan, customer } = data;
  const original: Record<string, string> = {
    status: ticket.status,
    priority: ticket.priority,
    assigneeId: ticket.assigneeId ?? '',
    teamId: ticket.teamId ?? '',
    category: ticket.category ?? '',
    tags: ticket.tags.join(', '),
  };
  const shown = { ...original, ...edit } as Record<string, string>;
  const changed = (field: string) => shown[field] !== original[field];
  const setField = (field: string) => async (e: Event) => {
    const value = (e.target as HTMLInputElement).value;
    setEdit({ ...edit, [field]: value });
    if (field !== 'priority') return;
    if (value === ticket.priority) return setPreview(null);
    const sla = await api<{ responseDueAt: string | null; nextUpdateDueAt: string | null }>(
      'GET',
      `/tickets/${ticket.id}/preview?priority=${value}`,
    );
    setPreview(
      sla.responseDueAt
        ? `First response would be due ${inZone(sla.responseDueAt, zone)}`
        : sla.nextUpdateDueAt
          ? `Next update would be due ${inZone(sla.nextUpdateDueAt, zone)}`
          : 'No running clock would be due',
    );
  };
  const dirty = Object.keys(original).some(changed);
  const save = (e: Event) => {
    e.preventDefault();
    act(async () => {
      const body: Record<string, unknown> = {};
      if (changed('priority')) body.priority = shown.priority;
      if (changed('assigneeId')) body.assigneeId = shown.assigneeId || null;
      if (changed('teamId')) body.teamId = shown.teamId || null;
      if (changed('category')) body.category = shown.category || null;
      if (changed('tags'))
        body.tags = shown
          .tags!.split(',')
          .map((t) => t.trim())
          .filter(Boolean);
      if (Object.keys(body).length) await patch(body);
      if (changed('status')) await api('POST', `/tickets/${ticket.id}/status`, { status: shown.status });
      setEdit(null);
      setPreview(null);
    });
  };
  const requester =
    customer?.contacts.find((c) => c.email.toLowerCase() === ticket.requesterEmail.toLowerCase())?.name ??
    ticket.requesterEmail;

  return html`<article class="ticket-work">
    <header class="ticket-head">
      <a href="#/" class="back"><${Back} /> Back to the list</a>
      <h1>${ticket.subject}</h1>
      <p><span class="badge">${ticket.id}</span> <span class="badge">${ticket.status}</span> <span class=${`badge priority-${ticket.priority}`}>${ticket.priority} ${plan.levels[ticket.priority as Priority]?.name ?? ''}</span>
        ${ticket.partner ? html` · onsite partner ${ticket.partner.name}` : ''}</p>
    </header>
    ${
      others.length
        ? html`<p class="present" role="status">${others.map(
            (o, i) =>
              html`${i ? ' · ' : ''}<strong>${o.name}</strong> ${o.state === 'writing' ? 'is writing a reply' : 'is viewing'}`,
          )}</p>`
        : null
    }
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
    <div class="ticket-grid">
      <section class="conversation" aria-label="Conversation">
        <${Thread} ticket=${ticket} zone=${zone} requester=${requester} />
        ${
          ticket.status === 'closed'
            ? html`<p class="notice">This ticket is closed; the customer opens a new one that mentions ${ticket.id}.</p>`
            : html`<${Composer} ticket=${ticket} onWriting=${setWriting} onSent=${() => {
                reload();
                loadViews().catch(() => {});
              }} />`
        }
      </section>
      <aside class="panel" aria-label="Ticket details">
        <${WhoCard} ticket=${ticket} customer=${customer} plan=${plan} now=${now} />
        <${Clocks} ticket=${ticket} plan=${plan} now=${now} zone=${zone}
          labels=${{ response: 'Response', update: 'Update', resolution: 'Resolution' }} />
        <${EscalationCard} ticketId=${ticket.id} version=${ticket.version} zone=${zone} onChanged=${reload} />
        ${session.staffId ? html`<${WatchButton} ticketId=${ticket.id} />` : null}
        <details class="why" open>
          <summary><h2>Why they are due then</h2></summary>
          ${explained.map((c) => html`<${ExplainBar} c=${c} zone=${zone} now=${now} />`)}
          <ul class="legend">${(['open', 'closed', 'holiday', 'paused'] as const).map(
            (kind) => html`<li><span class=${`seg seg-${kind}`}></span>${kind}</li>`,
          )}</ul>
        </details>
        <form class="properties" onSubmit=${save} aria-labelledby="properties-title">
          <h2 id="properties-title">Properties</h2>
          <label for="status">Status</label>
          <select id="status" value=${shown.status} onChange=${setField('status')}>
            ${STATUSES.map((s) => html`<option>${s}</option>`)}
          </select>
          <label for="priority">Priority</label>
          <select id="priority" value=${shown.priority} onChange=${setField('priority')}>
            ${['P1', 'P2', 'P3', 'P4'].map((p) => html`<option value=${p}>${p} ${plan.levels[p as Priority]?.name ?? ''}</option>`)}
          </select>
          ${preview ? html`<p class="hint" role="status">${preview}</p>` : null}
          <label for="assignee">Assignee</label>
          <div class="inline-field">
            <select id="assignee" value=${shown.assigneeId} onChange=${setField('assigneeId')}>
              <option value="">Nobody</option>
              ${(directory.data?.people ?? [])
                .filter((p) => p.status === 'active' || p.id === ticket.assigneeId)
                .map(
                  (p) =>
                    html`<option value=${p.id}>${p.name}${p.id === session.staffId ? ' (me)' : ''}</option>`,
                )}
            </select>
            ${
              session.staffId && ticket.assigneeId !== session.staffId
                ? html`<button type="button" class="secondary inline" onClick=${() => act(() => patch({ assigneeId: session.staffId }))}>Assign to me</button>`
                : null
            }
          </div>
          <label for="team">Team</label>
          <select id="team" value=${shown.teamId} onChange=${setField('teamId')}>
            <option value="">None</option>
            ${(directory.data?.teams ?? []).map((t) => html`<option value=${t.id}>${t.name}</option>`)}
          </select>
          <label for="category">Category</label>
          <select id="category" value=${shown.category} onChange=${setField('category')}>
            <option value="">None</option>
            ${CATEGORIES.map((c) => html`<option value=${c}>${c.replace(/-/g, ' ')}</option>`)}
          </select>
          <label for="tags">Tags (comma-separated)</label>
          <input id="tags" list="tag-list" maxlength="900" value=${shown.tags} onInput=${setField('tags')} />
          <datalist id="tag-list">${(tags.data?.items ?? []).map((t) => html`<option value=${t.tag} />`)}</datalist>
          <div class="save-bar">
            <button type="submit" class="inline" disabled=${!dirty}>Save changes</button>
            ${
              dirty
                ? html`<button type="button" class="secondary inline" onClick=${() => {
                    setEdit(null);
                    setPreview(null);
                  }}>Discard</button>`
                : null
            }
          </div>
        </form>
        <details class="fold">
          <summary>Onsite partner${ticket.partner ? `: ${ticket.partner.name}` : ''}</summary>
          <form onSubmit=${(e: Event) => {
            e.preventDefault();
            act(() =>
              api('POST', `/tickets/${ticket.id}/partner`, {
                partnerId: partnerId || null,
                ...(routeNote.trim() ? { note: routeNote.trim() } : {}),
              }).then(() => {
                setRouteNote('');
                setPartnerId('');
              }),
            );
          }}>
            <label for="partner">Onsite partner</label>
            <select id="partner" value=${partnerId} onChange=${(e: Event) => setPartnerId((e.target as HTMLSelectElement).value)}>
              <option value="">${ticket.partner ? `Take back from ${ticket.partner.name}` : 'Choose a partner'}</option>
              ${(partners.data?.items ?? []).map((p) => html`<option value=${p.id}>${p.name} (${(p.regions ?? []).join(', ')})</option>`)}
            </select>
            <label for="route-note">Note for the partner</label>
            <input id="route-note" maxlength="4000" value=${routeNote} onInput=${(e: Event) => setRouteNote((e.target as HTMLInputElement).value)} />
            <button type="submit" class="secondary" disabled=${!partnerId && !ticket.partner}>${ticket.partner && !partnerId ? 'Take back' : 'Route to partner'}</button>
          </form>
        </details>
        <details class="fold">
          <summary>Component and device</summary>
          <form onSubmit=${(e: Event) => {
            e.preventDefault();
            const given = labels ?? { component: ticket.component ?? '', device: ticket.device ?? '' };
            act(() =>
              patch({ component: given.component.trim() || null, device: given.device.trim() || null }).then(
                () => setLabels(null),
              ),
            );
          }}>
            <label for="component">Component</label>
            <input id="component" maxlength="100" value=${labels?.component ?? ticket.component ?? ''}
              onInput=${(e: Event) => setLabels({ component: (e.target as HTMLInputElement).value, device: labels?.device ?? ticket.device ?? '' })} />
            <label for="device">Device</label>
            <input id="device" maxlength="100" value=${labels?.device ?? ticket.device ?? ''}
              onInput=${(e: Event) => setLabels({ component: labels?.component ?? ticket.component ?? '', device: (e.target as HTMLInputElement).value })} />
            <button type="submit" class="secondary">Save component and device</button>
          </form>
        </details>
        <details class="fold">
          <summary>Time log</summary>
          <form onSubmit=${(e: Event) => {
            e.preventDefault();
            act(() =>
              api('POST', `/tickets/${ticket.id}/time-entries`, {
                minutes: Number(minutes),
                ...(note ? { note } : {}),
              }).then(() => {
                setMinutes('');
                setNote('');
              }),
            );
          }}>
            <label for="minutes">Time spent (minutes)</label>
            <input id="minutes" type="number" min="1" max="1440" required value=${minutes} onInput=${(e: Event) => setMinutes((e.target as HTMLInputElement).value)} />
            <label for="note">Note (staff only)</label>
            <input id="note" value=${note} onInput=${(e: Event) => setNote((e.target as HTMLInputElement).value)} />
            <button type="submit" class="secondary">Log time</button>
          </form>
        </details>
      </aside>
    </div>
  </article>`;
}
