// Changing the selected tickets at once: assign, status, priority, a tag, or a macro. Each
// ticket is its own write on the server; the bar says how many changed and names each that
// did not, and why.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, asApiError } from '../api';
import { useLoad } from '../load';
import { useDirectory } from './staff';
import { bulkOutcome, loadViews, selection } from './store';

export interface Macro {
  id: string;
  name: string;
  scope: 'personal' | 'everyone';
  reply: { body: string; internal: boolean } | null;
  changes: Record<string, unknown>;
}
export const useMacros = () =>
  useLoad(() => api<{ items: Macro[]; placeholders: Record<string, string> }>('GET', '/macros'), []);

interface Result {
  results: { id: string; ok: boolean; error?: { code: string; message: string } }[];
  succeeded: number;
  failed: number;
}

export function BulkBar({ onDone }: { onDone: () => void }) {
  const directory = useDirectory();
  const macros = useMacros();
  const [change, setChange] = useState({ assignee: '', status: '', priority: '', tag: '', macroId: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof typeof change) => (e: Event) =>
    setChange({ ...change, [field]: (e.target as HTMLInputElement).value });
  const count = selection.value.size;
  const apply = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const result = await api<Result>('POST', '/tickets/bulk', {
        ids: [...selection.value],
        changes: {
          ...(change.assignee ? { assignee: change.assignee === 'none' ? null : change.assignee } : {}),
          ...(change.status ? { status: change.status } : {}),
          ...(change.priority ? { priority: change.priority } : {}),
          ...(change.tag.trim() ? { addTags: [change.tag.trim()] } : {}),
        },
        ...(change.macroId ? { macroId: change.macroId } : {}),
      });
      bulkOutcome.value = result;
      selection.value = new Set(result.results.filter((r) => !r.ok).map((r) => r.id));
      onDone();
      loadViews();
    } catch (error) {
      setProblem(asApiError(error).message);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="bulk" aria-label="Change the selected tickets" onSubmit=${apply}>
    <strong>${count} selected</strong>
    <select aria-label="Assign to" value=${change.assignee} onChange=${set('assignee')}>
      <option value="">Assignee: keep</option><option value="me">Assign to me</option><option value="none">Unassign</option>
      ${(directory.data?.people ?? []).filter((p) => p.status === 'active').map((p) => html`<option value=${p.id}>${p.name}</option>`)}
    </select>
    <select aria-label="Set status" value=${change.status} onChange=${set('status')}>
      <option value="">Status: keep</option>
      ${['open', 'pending-customer', 'resolved', 'closed'].map((s) => html`<option value=${s}>${s}</option>`)}
    </select>
    <select aria-label="Set priority" value=${change.priority} onChange=${set('priority')}>
      <option value="">Priority: keep</option>${['P1', 'P2', 'P3', 'P4'].map((p) => html`<option>${p}</option>`)}
    </select>
    <input aria-label="Add tag" placeholder="Add tag" maxlength="40" value=${change.tag} onInput=${set('tag')} />
    <select aria-label="Apply macro" value=${change.macroId} onChange=${set('macroId')}>
      <option value="">No macro</option>
      ${(macros.data?.items ?? []).map((m) => html`<option value=${m.id}>${m.name}</option>`)}
    </select>
    <button type="submit" class="inline" disabled=${busy}>Apply to ${count}</button>
    <button type="button" class="secondary inline" onClick=${() => {
      selection.value = new Set();
    }}>Clear</button>
    ${problem ? html`<p class="error bulk-result" role="alert">${problem}</p>` : null}
  </form>`;
}

/** The last bulk change's outcome: a status region that is there before anything is said in it. */
export function BulkOutcome() {
  const outcome = bulkOutcome.value;
  return html`<div role="status" class="bulk-result">
    ${
      outcome
        ? html`<p>${outcome.succeeded} changed${outcome.failed ? `, ${outcome.failed} not:` : '.'}</p>
          ${outcome.failed ? html`<ul>${outcome.results.filter((r) => !r.ok).map((r) => html`<li><a href=${`#/tickets/${r.id}`}>${r.id}</a>: ${r.error?.message}</li>`)}</ul>` : null}`
        : null
    }
  </div>`;
}
