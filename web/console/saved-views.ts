// Saving the list as it stands (its view's filter with the words' filters, and the sort) as a
// view of one's own, of a team, or of everyone (admins).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Priority } from '../../domain/plans';
import type { Status } from '../../domain/ticket';
import { api, asApiError } from '../api';
import { useDirectory } from './staff';
import { loadViews, query, setQuery, type View, type ViewFilter, views } from './store';

export function SaveView() {
  const [open, setOpen] = useState(false);
  return open
    ? html`<${SaveViewForm} onClose=${() => setOpen(false)} />`
    : html`<button type="button" class="secondary inline" onClick=${() => setOpen(true)}>Save as view</button>`;
}

/** The form, which reads the teams (who may see the view) only once it is opened. */
function SaveViewForm({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [scope, setScope] = useState('personal');
  const [problem, setProblem] = useState<string | null>(null);
  const directory = useDirectory();
  const save = async (e: Event) => {
    e.preventDefault();
    const q = query.value;
    const base = views.value?.find((v) => v.id === q.view);
    const filter: ViewFilter = {
      ...(base?.filter ?? {}),
      ...(q.customerId ? { customerId: q.customerId } : {}),
      ...(q.priority ? { priorities: [q.priority as Priority] } : {}),
      ...(q.status ? { statuses: [q.status as Status] } : {}),
      ...(q.tag ? { tags: [q.tag] } : {}),
    };
    const [kind, teamId] = scope.split(':');
    try {
      const saved = await api<View>('POST', '/views', {
        name: name.trim(),
        scope: kind,
        ...(teamId ? { teamId } : {}),
        filter,
        sort: q.sort ?? base?.sort ?? { field: 'due', direction: 'asc' },
      });
      await loadViews();
      onClose();
      setQuery({ view: saved.id, customerId: '', priority: '', status: '', tag: '' });
    } catch (error) {
      setProblem(asApiError(error).message);
    }
  };
  return html`<div class="save-view" role="group" aria-label="Save as view">
    <label for="view-name">View name</label>
    <input id="view-name" required maxlength="80" value=${name} onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} />
    <label for="view-scope">Who sees it</label>
    <select id="view-scope" value=${scope} onChange=${(e: Event) => setScope((e.target as HTMLSelectElement).value)}>
      <option value="personal">Only me</option>
      ${(directory.data?.teams ?? []).map((t) => html`<option value=${`team:${t.id}`}>Team ${t.name}</option>`)}
      <option value="everyone">Everyone (admins)</option>
    </select>
    <button type="button" class="inline" onClick=${save} disabled=${!name.trim()}>Save view</button>
    <button type="button" class="secondary inline" onClick=${() => onClose()}>Cancel</button>
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
  </div>`;
}
