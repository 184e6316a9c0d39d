// Macros: the shared ones (admins define them) and an agent's own, each a reply with
// placeholders and the changes it makes; used from a ticket's reply box or on a selection.
import { html } from 'htm/preact';
import { api, type Session } from '../api';
import { useAction, useForm } from '../load';
import { usePage } from '../ui/page';
import { useMacros } from './bulk';

export function MacrosPage({ session }: { session: Session }) {
  usePage('Macros');
  const macros = useMacros();
  const { problem, act } = useAction(macros.reload);
  const { form, set, error, busy, submit } = useForm({
    name: '',
    scope: 'personal',
    body: '',
    internal: '',
    status: '',
    priority: '',
    tag: '',
  });
  const create = () =>
    api('POST', '/macros', {
      name: form.name,
      scope: form.scope,
      reply: form.body.trim() ? { body: form.body, internal: form.internal === 'yes' } : null,
      changes: {
        ...(form.status ? { status: form.status } : {}),
        ...(form.priority ? { priority: form.priority } : {}),
        ...(form.tag.trim() ? { addTags: [form.tag.trim()] } : {}),
      },
    }).then(macros.reload);
  return html`<section class="page">
    <h1>Macros</h1>
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
    ${
      !macros.data
        ? html`<p>Loading…</p>`
        : macros.data.items.length === 0
          ? html`<p class="empty">No macros yet: write the reply you send most often below.</p>`
          : html`<ul class="macros">${macros.data.items.map(
              (m) => html`<li class="card">
                <h2>${m.name} <span class="badge">${m.scope === 'everyone' ? 'shared' : 'mine'}</span></h2>
                ${m.reply ? html`<p class="body">${m.reply.body}</p>` : html`<p class="hint">No reply: changes only.</p>`}
                <p class="hint">${
                  Object.entries(m.changes)
                    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
                    .join(' · ') || 'No changes'
                }</p>
                ${m.scope === 'personal' || session.role === 'admin' ? html`<button type="button" class="danger inline" onClick=${() => act(() => api('DELETE', `/macros/${m.id}`))}>Delete ${m.name}</button>` : null}
              </li>`,
            )}</ul>`
    }
    <h2>New macro</h2>
    ${error ? html`<p class="error" role="alert">${error.message}</p>` : null}
    <form onSubmit=${submit(create)}>
      <label for="m-name">Name</label>
      <input id="m-name" required maxlength="80" value=${form.name} onInput=${set('name')} />
      <label for="m-scope">Who uses it</label>
      <select id="m-scope" value=${form.scope} onChange=${set('scope')}>
        <option value="personal">Only me</option>
        ${session.role === 'admin' ? html`<option value="everyone">Everyone</option>` : null}
      </select>
      <label for="m-body">Reply</label>
      <textarea id="m-body" maxlength="10000" value=${form.body} onInput=${set('body')} aria-describedby="m-placeholders"></textarea>
      <p class="hint" id="m-placeholders">Placeholders: ${Object.keys(macros.data?.placeholders ?? {}).map((p) => html`<code>{{${p}}}</code> `)}</p>
      <label for="m-internal">Send as</label>
      <select id="m-internal" value=${form.internal} onChange=${set('internal')}>
        <option value="">A public reply</option><option value="yes">An internal note</option>
      </select>
      <label for="m-status">Set status</label>
      <select id="m-status" value=${form.status} onChange=${set('status')}>
        <option value="">Keep</option>${['open', 'pending-customer', 'resolved'].map((s) => html`<option>${s}</option>`)}
      </select>
      <label for="m-priority">Set priority</label>
      <select id="m-priority" value=${form.priority} onChange=${set('priority')}>
        <option value="">Keep</option>${['P1', 'P2', 'P3', 'P4'].map((p) => html`<option>${p}</option>`)}
      </select>
      <label for="m-tag">Add tag</label>
      <input id="m-tag" maxlength="40" value=${form.tag} onInput=${set('tag')} />
      <button type="submit" disabled=${busy}>Save macro</button>
    </form>
  </section>`;
}
