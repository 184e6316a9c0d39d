// Escalation in the console: a ticket's page history (each chain's steps, whom they reached or
// why no one, what is still due, who acknowledged) with the button that takes the pages; and
// the on-call page: who is on call now and next for each team, the coming weeks, overrides.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, type Session } from '../api';
import { inZone } from '../format';
import { useAction, useLoad } from '../load';
import { usePage } from '../ui/page';
import type { Person, Team } from './staff';

interface Step {
  index: number;
  recipient: string;
  by: 'notify' | 'page';
  dueAt: string;
  state: 'sent' | 'failed' | 'unreached' | 'due' | 'stopped';
  at: string | null;
  to: { staffId: string; name: string } | null;
  unreached: string | null;
  service: string | null;
  error: string | null;
}
interface Chain {
  key: string;
  on: 'warning' | 'breach';
  startedAt: string;
  steps: Step[];
  acknowledged: { at: string; by: string; via: string } | null;
}

const CHAIN_NAMES: Record<string, string> = {
  created: 'P1 on 24/7 support',
  escalated: 'Escalated by the customer',
};

/** `response#1#breach` → "Response breached"; `escalated#7` → "Escalated by the customer". */
function chainName(key: string): string {
  const [first, , kind] = key.split('#');
  if (first && CHAIN_NAMES[first]) return CHAIN_NAMES[first]!;
  return `${first?.replace(/^./, (c) => c.toUpperCase())} ${kind === 'breach' ? 'breached' : 'at 80 %'}`;
}

function stepText(s: Step, zone: string): string {
  const who = s.recipient.replace('-', ' ');
  const how = s.by === 'page' ? 'page' : 'notify';
  if (s.state === 'sent')
    return `${how === 'page' ? 'Paged' : 'Notified'} ${s.to?.name} (${who}) by ${s.service}, ${inZone(s.at, zone)}`;
  if (s.state === 'failed') return `${s.to?.name} (${who}): not sent, ${s.error}`;
  if (s.state === 'unreached') return `${who}: ${s.unreached}`;
  if (s.state === 'due')
    return `${how === 'page' ? 'Pages' : 'Notifies'} the ${who} at ${inZone(s.dueAt, zone)} unless acknowledged`;
  return `${who} at ${inZone(s.dueAt, zone)}: stopped`;
}

/** The side panel's card: the page history, and Acknowledge while a page waits. */
export function EscalationCard({
  ticketId,
  version,
  zone,
  onChanged,
}: {
  ticketId: string;
  version: number;
  zone: string;
  onChanged(): void;
}) {
  const { data, reload } = useLoad(
    () => api<{ items: Chain[] }>('GET', `/tickets/${encodeURIComponent(ticketId)}/escalation`),
    [ticketId, version],
  );
  const { problem, act } = useAction(() => {
    reload();
    onChanged();
  });
  const chains = (data?.items ?? []).filter((c) => c.steps.some((s) => s.state !== 'stopped' || s.at));
  if (!chains.length) return null;
  const waiting = chains.some(
    (c) => !c.acknowledged && c.steps.some((s) => s.by === 'page' && s.state === 'sent'),
  );
  return html`<section class="card escalation" aria-labelledby="escalation-title">
    <h2 id="escalation-title">Escalation</h2>
    ${chains.map(
      (c) => html`<div class="chain">
        <h3>${chainName(c.key)} <span class="hint">${inZone(c.startedAt, zone)}</span></h3>
        <ol>${c.steps.map((s) => html`<li class=${`step step-${s.state}`}>${stepText(s, zone)}</li>`)}</ol>
        ${c.acknowledged ? html`<p class="acknowledged">Acknowledged by ${c.acknowledged.by} (${c.acknowledged.via}), ${inZone(c.acknowledged.at, zone)}</p>` : null}
      </div>`,
    )}
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
    ${waiting ? html`<button type="button" onClick=${() => act(() => api('POST', `/tickets/${encodeURIComponent(ticketId)}/acknowledge`))}>Acknowledge the pages</button>` : null}
  </section>`;
}

interface Stretch {
  staffId: string | null;
  name: string | null;
  from: string;
  to: string;
  by: string | null;
}
interface Rota {
  now: Stretch;
  next: Stretch | null;
  calendar: Stretch[];
}
interface Override {
  staffId: string;
  from: string;
  to: string;
  note?: string;
}
interface Schedule {
  timeZone: string;
  layers: unknown[];
  overrides: Override[];
}
interface OnCall {
  teamId: string;
  onCall: {
    primary: Schedule;
    secondary: Schedule | null;
    director: string | null;
    service: { kind: string; routingKeyEnd?: string; team?: string };
    version: number;
  } | null;
  primary: Rota | null;
  secondary: Rota | null;
}

const who = (s: Stretch) => s.name ?? 'No one on call';

function RotaView({ title, rota, zone }: { title: string; rota: Rota; zone: string }) {
  return html`<div class="rota">
    <h3>${title}</h3>
    <p class=${rota.now.staffId ? 'on-call-now' : 'error'}><strong>${who(rota.now)}</strong> now, ${
      rota.now.to === rota.calendar.at(-1)?.to
        ? 'through the weeks shown'
        : `until ${inZone(rota.now.to, zone)}`
    }</p>
    ${rota.next ? html`<p class="hint">Next: ${who(rota.next)} from ${inZone(rota.next.from, zone)}</p>` : null}
    <ol class="calendar" aria-label=${`${title}: the coming weeks`}>
      ${rota.calendar.map(
        (s) =>
          html`<li class=${s.staffId ? '' : 'gap'}><span>${inZone(s.from, zone)} – ${inZone(s.to, zone)}</span> <strong>${who(s)}</strong>${s.by === 'override' ? html` <span class="badge">override</span>` : null}</li>`,
      )}
    </ol>
  </div>`;
}

/** A team's on-call: now, next, the coming four weeks; admins add and remove overrides. */
function TeamOnCall({ team, people, admin }: { team: Team; people: Person[]; admin: boolean }) {
  const { data, error, reload } = useLoad(
    () => api<OnCall>('GET', `/teams/${encodeURIComponent(team.id)}/on-call?weeks=4`),
    [team.id],
  );
  const { problem, act } = useAction(reload);
  const [override, setOverride] = useState({ staffId: '', from: '', to: '', note: '' });
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  const record = data.onCall;
  const zone = record?.primary.timeZone ?? 'UTC';
  const save = (overrides: Override[]) =>
    act(() =>
      api(
        'PUT',
        `/teams/${encodeURIComponent(team.id)}/on-call`,
        { ...record, primary: { ...record!.primary, overrides } },
        { 'if-match': `"${record!.version}"` },
      ),
    );
  const add = (e: Event) => {
    e.preventDefault();
    const at = (local: string) => new Date(local).toISOString();
    save([
      ...record!.primary.overrides,
      {
        staffId: override.staffId,
        from: at(override.from),
        to: at(override.to),
        ...(override.note ? { note: override.note } : {}),
      },
    ]);
  };
  const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? id;
  return html`<section class="card team-on-call" aria-labelledby=${`team-${team.id}`}>
    <h2 id=${`team-${team.id}`}>${team.name}</h2>
    ${
      !record || !data.primary
        ? html`<p class="hint">No on-call schedule yet: an admin sets one with PUT /teams/${team.id}/on-call (README, “On-call”).</p>`
        : html`<p class="hint">Paged by ${record.service.kind === 'desk' ? 'sla-desk (text message, Slack or mail)' : record.service.kind === 'pagerduty' ? `PagerDuty (key …${record.service.routingKeyEnd})` : `Opsgenie team ${record.service.team}`}; times in ${zone}</p>
      <div class="rotas">
        <${RotaView} title="Primary" rota=${data.primary} zone=${zone} />
        ${data.secondary ? html`<${RotaView} title="Secondary" rota=${data.secondary} zone=${zone} />` : null}
      </div>
      <h3>Overrides</h3>
      ${
        record.primary.overrides.length
          ? html`<ul class="overrides">${record.primary.overrides.map(
              (
                o,
                i,
              ) => html`<li>${nameOf(o.staffId)}: ${inZone(o.from, zone)} – ${inZone(o.to, zone)}${o.note ? ` (${o.note})` : ''}
                ${admin ? html` <button type="button" class="secondary inline" onClick=${() => save(record.primary.overrides.filter((_, j) => j !== i))}>Remove</button>` : null}</li>`,
            )}</ul>`
          : html`<p class="hint">None.</p>`
      }
      ${
        admin
          ? html`<form class="override-form" onSubmit=${add}>
          <label for=${`who-${team.id}`}>Who covers</label>
          <select id=${`who-${team.id}`} required value=${override.staffId} onChange=${(e: Event) => setOverride({ ...override, staffId: (e.target as HTMLSelectElement).value })}>
            <option value="">Choose…</option>
            ${people.filter((p) => p.status === 'active').map((p) => html`<option value=${p.id}>${p.name}</option>`)}
          </select>
          <label for=${`from-${team.id}`}>From</label>
          <input id=${`from-${team.id}`} type="datetime-local" required value=${override.from} onInput=${(e: Event) => setOverride({ ...override, from: (e.target as HTMLInputElement).value })} />
          <label for=${`to-${team.id}`}>To</label>
          <input id=${`to-${team.id}`} type="datetime-local" required value=${override.to} onInput=${(e: Event) => setOverride({ ...override, to: (e.target as HTMLInputElement).value })} />
          <label for=${`note-${team.id}`}>Note</label>
          <input id=${`note-${team.id}`} maxlength="200" value=${override.note} placeholder="Vacation swap" onInput=${(e: Event) => setOverride({ ...override, note: (e.target as HTMLInputElement).value })} />
          <button type="submit">Add the override</button>
        </form>`
          : null
      }`
    }
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
  </section>`;
}

/** #/on-call: every team's on-call. */
export function OnCallPage({ session }: { session: Session }) {
  usePage('On call');
  const teams = useLoad(() => api<{ items: Team[] }>('GET', '/teams'), []);
  const people = useLoad(() => api<{ items: Person[] }>('GET', '/staff'), []);
  if (teams.error) return html`<p class="error" role="alert">${teams.error}</p>`;
  if (!teams.data || !people.data) return html`<p>Loading…</p>`;
  return html`<section class="on-call-page">
    <h1 tabindex="-1">On call</h1>
    ${teams.data.items.length ? null : html`<p>No teams yet: make one on the Staff page.</p>`}
    ${teams.data.items.map((t) => html`<${TeamOnCall} team=${t} people=${people.data!.items} admin=${session.role === 'admin'} />`)}
  </section>`;
}
