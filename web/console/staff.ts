// The staff directory in the console: everyone by name (for assignment), invitations, teams,
// a person's sessions and keys, and the desk's API keys. Admins manage; an agent sees names
// and their own access only.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, asApiError, type Session } from '../api';
import { useAction, useForm, useLoad } from '../load';
import { NotificationSettings } from './notifications';

export interface Person {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  teams: string[];
  status: 'invited' | 'active' | 'deactivated';
  lastSignInAt: string | null;
  version: number;
  workingHours: { timeZone: string; weekly: Record<string, { from: string; to: string }[]> };
}
export interface Team {
  id: string;
  name: string;
}
interface Key {
  id: string;
  name: string;
  role: string;
  owner: { staffId: string; name: string } | { integration: string } | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  scope?: string;
}
interface SessionInfo {
  id: string;
  method: string;
  userAgent: string | null;
  createdAt: string;
  expiresAt: string;
}

const when = (at: string | null) =>
  at ? new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/** The directory and its teams, for pickers (everyone active, by name). */
export function useDirectory() {
  return useLoad(async () => {
    const [people, teams] = await Promise.all([
      api<{ items: Person[] }>('GET', '/staff'),
      api<{ items: Team[] }>('GET', '/teams'),
    ]);
    return { people: people.items, teams: teams.items };
  }, []);
}

export function StaffPage({ session }: { session: Session }) {
  const { data, error, reload } = useDirectory();
  const admin = session.role === 'admin';
  const invite = useForm({ email: '', name: '', role: 'agent' });
  const team = useForm({ name: '' });
  const [invited, setInvited] = useState<string | null>(null);
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  const teamName = (id: string) => data.teams.find((t) => t.id === id)?.name ?? id;
  return html`
    <h1>Staff</h1>
    <table class="staff">
      <thead><tr><th>Name</th><th class="wide">Address</th><th>Role</th><th class="wide">Teams</th><th>Status</th><th class="wide">Last sign-in</th></tr></thead>
      <tbody>${data.people.map(
        (p) => html`<tr data-person=${p.id}>
          <td><a href=${`#/staff/${p.id}`}>${p.name}</a>${p.id === session.staffId ? html` <span class="badge">you</span>` : null}</td>
          <td class="wide">${p.email}</td>
          <td>${p.role}</td>
          <td class="wide">${p.teams.map(teamName).join(', ') || '—'}</td>
          <td><span class=${`badge status-${p.status}`}>${p.status}</span></td>
          <td class="wide">${when(p.lastSignInAt)}</td>
        </tr>`,
      )}</tbody>
    </table>
    ${
      admin
        ? html`<div class="columns">
          <form class="card" onSubmit=${invite.submit(async () => {
            const person = await api<Person>('POST', '/staff', invite.form);
            setInvited(`${person.name} is invited: the link is on its way to ${person.email}.`);
            reload();
          })}>
            <h2>Invite a person</h2>
            ${invited ? html`<p class="notice" role="status">${invited}</p>` : null}
            ${invite.error ? html`<p class="error" role="alert">${invite.error.message}</p>` : null}
            <label for="invite-email">E-mail address</label>
            <input id="invite-email" type="email" required value=${invite.form.email} onInput=${invite.set('email')} />
            <label for="invite-name">Name</label>
            <input id="invite-name" required value=${invite.form.name} onInput=${invite.set('name')} />
            <label for="invite-role">Role</label>
            <select id="invite-role" value=${invite.form.role} onChange=${invite.set('role')}>
              <option value="agent">Agent</option><option value="admin">Admin</option>
            </select>
            <button type="submit" disabled=${invite.busy}>Send invitation</button>
          </form>
          <form class="card" onSubmit=${team.submit(async () => {
            await api('POST', '/teams', team.form);
            reload();
          })}>
            <h2>Teams</h2>
            <p>${data.teams.map((t) => t.name).join(', ') || 'No team yet.'}</p>
            ${team.error ? html`<p class="error" role="alert">${team.error.message}</p>` : null}
            <label for="team-name">New team</label>
            <input id="team-name" required value=${team.form.name} onInput=${team.set('name')} />
            <button type="submit" class="secondary" disabled=${team.busy}>Add team</button>
          </form>
        </div>
        <p><a href="#/keys">API keys of the desk</a></p>`
        : html`<p><a href="#/keys">Your API keys</a></p>`
    }`;
}

/** One person: their account, their signed-in browsers, and (admins) role, teams and status. */
export function PersonPage({ id, session }: { id: string; session: Session }) {
  const mine = id === session.staffId;
  const admin = session.role === 'admin';
  const { data, error, reload } = useLoad(async () => {
    const [person, teams, sessions] = await Promise.all([
      api<Person>('GET', `/staff/${id}`),
      api<{ items: Team[] }>('GET', '/teams'),
      mine || admin
        ? api<{ items: SessionInfo[] }>('GET', `/staff/${id}/sessions`)
        : Promise.resolve({ items: [] }),
    ]);
    return { person, teams: teams.items, sessions: sessions.items };
  }, [id]);
  const { problem, act } = useAction(reload);
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  const { person, teams, sessions } = data;
  const change = (body: Record<string, unknown>) =>
    api('PATCH', `/staff/${id}`, body, { 'if-match': `"${person.version}"` });
  return html`
    <h1>${person.name}</h1>
    <p>${person.email} · ${person.role} · <span class=${`badge status-${person.status}`}>${person.status}</span>
      · works in ${person.workingHours.timeZone}</p>
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
    ${
      admin
        ? html`<div class="actions">
          <label for="role">Role</label>
          <select id="role" value=${person.role} onChange=${(e: Event) => act(() => change({ role: (e.target as HTMLSelectElement).value }))}>
            <option value="agent">Agent</option><option value="admin">Admin</option>
          </select>
          <fieldset class="teams"><legend>Teams</legend>
            ${teams.map(
              (t) => html`<label class="check"><input type="checkbox" checked=${person.teams.includes(t.id)}
                onChange=${() => act(() => change({ teams: person.teams.includes(t.id) ? person.teams.filter((x) => x !== t.id) : [...person.teams, t.id] }))} /> ${t.name}</label>`,
            )}
          </fieldset>
          ${
            person.status === 'invited'
              ? html`<button class="secondary" onClick=${() => act(() => api('POST', `/staff/${id}/invitation`))}>Send the invitation again</button>`
              : null
          }
          ${
            person.status === 'deactivated'
              ? html`<button class="secondary" onClick=${() => act(() => change({ status: 'active' }))}>Reactivate</button>`
              : html`<button class="danger" onClick=${() => confirm(`Deactivate ${person.name}? Every session and key of theirs ends at once.`) && act(() => change({ status: 'deactivated' }))}>Deactivate</button>`
          }
        </div>`
        : null
    }
    ${mine && person.status === 'active' ? html`<${NotificationSettings} person=${person} onSaved=${reload} />` : null}
    ${
      mine || admin
        ? html`<h2>Signed-in browsers</h2>
        ${
          sessions.length === 0
            ? html`<p>None.</p>`
            : html`<table><thead><tr><th>Since</th><th>How</th><th class="wide">Browser</th><th>Until</th><th></th></tr></thead>
              <tbody>${sessions.map(
                (s) => html`<tr>
                  <td>${when(s.createdAt)}</td><td>${s.method}</td>
                  <td class="wide ua">${s.userAgent ?? '—'}</td><td>${when(s.expiresAt)}</td>
                  <td><button class="secondary inline" onClick=${() => act(() => api('DELETE', `/staff/${id}/sessions/${s.id}`))}>Sign out</button></td>
                </tr>`,
              )}</tbody></table>`
        }`
        : null
    }`;
}

/** The desk's API keys (an agent: their own), made and revoked here; a new key is shown once. */
export function KeysPage({ session }: { session: Session }) {
  const admin = session.role === 'admin';
  const { data, error, reload } = useLoad(() => api<{ items: Key[] }>('GET', '/api-keys'), []);
  const { problem, act } = useAction(reload);
  const make = useForm({
    name: '',
    role: admin ? 'agent' : session.role,
    owner: admin ? 'integration' : 'me',
    expiresAt: '',
  });
  const [shown, setShown] = useState<string | null>(null);
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  const ownerOf = (k: Key) =>
    !k.owner ? '—' : 'staffId' in k.owner ? k.owner.name : `${k.owner.integration} (system)`;
  return html`
    <h1>API keys</h1>
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
    <table class="keys">
      <thead><tr><th>Name</th><th>Role</th><th class="wide">Owner</th><th class="wide">Created</th><th>Last used</th><th class="wide">Expires</th><th></th></tr></thead>
      <tbody>${data.items.map(
        (k) => html`<tr data-key=${k.id} class=${k.revokedAt ? 'revoked' : ''}>
          <td>${k.name}${k.scope ? html` <span class="badge">${k.scope}</span>` : null}</td><td>${k.role}</td>
          <td class="wide">${ownerOf(k)}</td><td class="wide">${when(k.createdAt)}</td><td>${when(k.lastUsedAt)}</td>
          <td class="wide">${when(k.expiresAt)}</td>
          <td>${
            k.revokedAt
              ? html`revoked ${when(k.revokedAt)}`
              : html`<button class="secondary inline" onClick=${() => confirm(`Revoke ${k.name}? It stops working at once.`) && act(() => api('POST', `/api-keys/${k.id}/revoke`))}>Revoke</button>`
          }</td>
        </tr>`,
      )}</tbody>
    </table>
    <form class="card" onSubmit=${make.submit(async () => {
      const body: Record<string, unknown> = { name: make.form.name, role: make.form.role };
      if (make.form.expiresAt) body.expiresAt = new Date(`${make.form.expiresAt}T23:59:59`).toISOString();
      if (admin)
        body.owner =
          make.form.owner === 'me' && session.staffId
            ? { staffId: session.staffId }
            : { integration: make.form.name };
      const made = await api<{ key: string }>('POST', '/api-keys', body);
      setShown(made.key);
      reload();
    })}>
      <h2>New key</h2>
      ${shown ? html`<p class="notice" role="status">Copy it now; it is never shown again: <code class="secret">${shown}</code></p>` : null}
      ${make.error ? html`<p class="error" role="alert">${asApiError(make.error).message}</p>` : null}
      <label for="key-name">Name (what uses it)</label>
      <input id="key-name" required value=${make.form.name} onInput=${make.set('name')} />
      ${
        admin
          ? html`<label for="key-role">Role</label>
            <select id="key-role" value=${make.form.role} onChange=${make.set('role')}>
              <option value="agent">Agent</option><option value="admin">Admin</option>
            </select>
            <label for="key-owner">Owner</label>
            <select id="key-owner" value=${make.form.owner} onChange=${make.set('owner')}>
              <option value="integration">A system (by the key’s name)</option><option value="me">Me</option>
            </select>`
          : null
      }
      <label for="key-expires">Expires (optional)</label>
      <input id="key-expires" type="date" value=${make.form.expiresAt} onInput=${make.set('expiresAt')} />
      <button type="submit" disabled=${make.busy}>Make the key</button>
    </form>`;
}
