// A ticket as agents work it: the clocks and why they are due when they are (explain's open,
// closed, holiday and paused stretches as a bar), the whole timeline, a public reply or an
// internal note, status, priority (its due time shown before it is saved), assignee, component
// and device, the onsite partner it is routed to, and time.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { describeTarget, inWords, type Target } from '../../domain/duration';
import type { Priority } from '../../domain/plans';
import { api, type Session } from '../api';
import { type AttachmentLink, Attachments, FilePicker, refuseFiles, uploadFiles } from '../files';
import { inZone } from '../format';
import { useAction, useLoad, useServerNow } from '../load';
import { Clocks, planOf, type Ticket, zoneOf } from '../portal/tickets';
import { useDirectory } from './staff';

interface Explanation {
  clock: string;
  cycle: number;
  state: string;
  target: string;
  dueAt: string | null;
  summary: string;
  segments: {
    from: string;
    to: string;
    kind: 'open' | 'closed' | 'holiday' | 'paused';
    reason?: string;
    counted: string;
  }[];
}
interface PartnerRef {
  id: string;
  name: string;
  email: string;
  regions?: string[];
}
interface StaffEntry {
  seq: number;
  at: string;
  type: string;
  actor: { name: string } | null;
  body?: string;
  internal?: boolean;
  author?: string;
  field?: string;
  from?: string | null | PartnerRef;
  to?: string | null | string[] | PartnerRef;
  minutes?: number;
  note?: string | null;
  /** Assignee and team entries: the names as they were. */
  toName?: string | null;
  clock?: string;
  purpose?: string;
  subject?: string;
  attachments?: AttachmentLink[];
  /** The mail the entry came from, as received (its text above has the quoted history cut off). */
  original?: AttachmentLink;
  mailProblem?: string;
}
interface StaffTicket extends Omit<Ticket, 'timeline'> {
  version: number;
  customerId: string;
  requesterEmail: string;
  component: string | null;
  device: string | null;
  partner: PartnerRef | null;
  timeline: StaffEntry[];
}

/** A clock's state in words: a running clock past its due time is breached, not "running". */
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

function entryText(e: StaffEntry): string {
  switch (e.type) {
    case 'created':
      return 'opened the ticket';
    case 'message':
      if (e.author === 'partner') return 'wrote (onsite partner, by mail)';
      return e.internal ? 'wrote an internal note' : 'wrote';
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
    case 'time-entry':
      return `logged ${e.minutes} min${e.note ? `: ${e.note}` : ''}`;
    case 'breach':
      return `${e.clock} clock breached`;
    case 'warning':
      return `${e.clock} clock at 80 %`;
    case 'escalated':
      return 'escalated';
    case 'mail':
      return `mail (${e.purpose}) to ${(e.to as string[]).join(', ')}`;
    default:
      return e.type;
  }
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
    const plan = await planOf(ticket.planId);
    return { ticket, explained, now, plan, zone: zoneOf(plan, ticket.priority) };
  }, [id]);
  const now = useServerNow(data?.now ?? null, readAt);
  const [reply, setReply] = useState('');
  const [internal, setInternal] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [priority, setPriority] = useState<Priority | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [assignee, setAssignee] = useState<string | null>(null);
  const [labels, setLabels] = useState<{ component: string; device: string } | null>(null);
  const [partnerId, setPartnerId] = useState('');
  const [routeNote, setRouteNote] = useState('');
  const partners = useLoad(() => api<{ items: PartnerRef[] }>('GET', '/partners'), []);
  const directory = useDirectory();
  const [minutes, setMinutes] = useState('');
  const [note, setNote] = useState('');
  const { problem, act } = useAction(reload);

  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  const { ticket, explained, zone, plan } = data;
  const choosePriority = async (p: Priority) => {
    setPriority(p);
    const sla = await api<{ responseDueAt: string | null; nextUpdateDueAt: string | null }>(
      'GET',
      `/tickets/${ticket.id}/preview?priority=${p}`,
    );
    setPreview(
      sla.responseDueAt
        ? `First response would be due ${inZone(sla.responseDueAt, zone)}`
        : sla.nextUpdateDueAt
          ? `Next update would be due ${inZone(sla.nextUpdateDueAt, zone)}`
          : 'No running clock would be due',
    );
  };
  // Pinned to the version shown: a change made meanwhile is a 409, not overwritten.
  const patch = (body: Record<string, unknown>) =>
    api('PATCH', `/tickets/${ticket.id}`, body, { 'if-match': `"${ticket.version}"` });

  return html`
    <h1>${ticket.subject}</h1>
    <p><span class="badge">${ticket.id}</span> <span class="badge">${ticket.status}</span> <span class="badge">${ticket.priority}</span>
      · customer ${ticket.customerId} · requester ${ticket.requesterEmail}
      ${ticket.partner ? html` · onsite partner ${ticket.partner.name}` : ''}</p>
    <${Clocks} ticket=${ticket} plan=${plan} now=${now} zone=${zone}
      labels=${{ response: 'Response', update: 'Update', resolution: 'Resolution' }} />
    <h2>Why they are due then</h2>
    ${explained.map((c) => html`<${ExplainBar} c=${c} zone=${zone} now=${now} />`)}
    <ul class="legend">${(['open', 'closed', 'holiday', 'paused'] as const).map(
      (kind) => html`<li><span class=${`seg seg-${kind}`}></span>${kind}</li>`,
    )}</ul>
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
    <h2>Reply</h2>
    <form onSubmit=${(e: Event) => {
      e.preventDefault();
      act(async () => {
        const attachments = await uploadFiles(files);
        await api('POST', `/tickets/${ticket.id}/messages`, {
          body: reply,
          internal,
          ...(attachments.length ? { attachments } : {}),
        });
        setReply('');
        setFiles([]);
      });
    }}>
      <label for="reply">Message</label>
      <textarea id="reply" required value=${reply} onInput=${(e: Event) => setReply((e.target as HTMLTextAreaElement).value)}></textarea>
      <${FilePicker} id="files" files=${files} onChange=${setFiles} />
      <label class="check"><input type="checkbox" checked=${internal} onChange=${() => setInternal(!internal)} /> Internal note (the customer does not see it)</label>
      <button type="submit" disabled=${refuseFiles(files) !== null}>${internal ? 'Add note' : 'Send reply'}</button>
    </form>
    <h2>Change</h2>
    <label for="status">Status</label>
    <select id="status" value=${ticket.status} onChange=${(e: Event) => act(() => api('POST', `/tickets/${ticket.id}/status`, { status: (e.target as HTMLSelectElement).value }))}>
      ${['new', 'open', 'pending-customer', 'resolved', 'closed'].map((s) => html`<option>${s}</option>`)}
    </select>
    <label for="priority">Priority</label>
    <select id="priority" value=${priority ?? ticket.priority} onChange=${(e: Event) => choosePriority((e.target as HTMLSelectElement).value as Priority)}>
      ${['P1', 'P2', 'P3', 'P4'].map((p) => html`<option>${p}</option>`)}
    </select>
    ${preview ? html`<p class="hint" role="status">${preview}</p>` : null}
    ${
      priority && priority !== ticket.priority
        ? html`<button onClick=${() =>
            act(() =>
              patch({ priority }).then(() => {
                setPriority(null);
                setPreview(null);
              }),
            )}>Save priority</button>`
        : null
    }
    <form class="assign" onSubmit=${(e: Event) => {
      e.preventDefault();
      act(() => patch({ assigneeId: (assignee ?? ticket.assigneeId ?? '') || null }));
    }}>
      <label for="assignee">Assignee</label>
      <select id="assignee" value=${assignee ?? ticket.assigneeId ?? ''} onChange=${(e: Event) => setAssignee((e.target as HTMLSelectElement).value)}>
        <option value="">Nobody</option>
        ${(directory.data?.people ?? [])
          .filter((p) => p.status === 'active' || p.id === ticket.assigneeId)
          .map(
            (p) => html`<option value=${p.id}>${p.name}${p.id === session.staffId ? ' (me)' : ''}</option>`,
          )}
      </select>
      <button type="submit" class="secondary">Assign</button>
      ${
        session.staffId && ticket.assigneeId !== session.staffId
          ? html`<button type="button" class="secondary" onClick=${() => act(() => patch({ assigneeId: session.staffId }))}>Assign to me</button>`
          : null
      }
      <label for="team">Team</label>
      <select id="team" value=${ticket.teamId ?? ''} onChange=${(e: Event) => act(() => patch({ teamId: (e.target as HTMLSelectElement).value || null }))}>
        <option value="">None</option>
        ${(directory.data?.teams ?? []).map((t) => html`<option value=${t.id}>${t.name}</option>`)}
      </select>
    </form>
    <form onSubmit=${(e: Event) => {
      e.preventDefault();
      const shown = labels ?? { component: ticket.component ?? '', device: ticket.device ?? '' };
      act(() =>
        patch({ component: shown.component.trim() || null, device: shown.device.trim() || null }).then(() =>
          setLabels(null),
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
    <form onSubmit=${(e: Event) => {
      e.preventDefault();
      act(() =>
        api('POST', `/tickets/${ticket.id}/partner`, {
          partnerId: partnerId || null,
          ...(routeNote.trim() ? { note: routeNote.trim() } : {}),
        }).then(() => {
          // Routed (or taken back): the form offers what can be done next.
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
    <h2>Timeline</h2>
    <ol class="timeline">
      <li><div class="meta">${inZone(ticket.createdAt, zone)}</div><div class="body">${ticket.description}</div></li>
      ${ticket.timeline.map(
        (e) => html`<li class=${e.internal ? 'internal' : ''}>
          <div class="meta">${inZone(e.at, zone)} · ${e.actor?.name ?? 'sla-desk'} ${entryText(e)}</div>
          ${e.type === 'message' ? html`<div class="body">${e.body}</div>` : null}
          <${Attachments} files=${e.attachments} />
          ${e.mailProblem ? html`<div class="hint" role="note">⚠ ${e.mailProblem}</div>` : null}
          ${e.original ? html`<div class="hint"><a href=${e.original.href} download=${e.original.name}>The mail as received</a></div>` : null}
        </li>`,
      )}
    </ol>`;
}
