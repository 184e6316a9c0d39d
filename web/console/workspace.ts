// The console's frame: the views down the side with their counts (built-in, then saved ones),
// the desk's other pages under them, and the page beside them (the list or a ticket). The
// keyboard works the whole frame: `?` lists the shortcuts.
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { navigate } from 'wouter-preact/use-hash-location';
import type { Session } from '../api';
import { Alert, Bell, Check, Clock, Inbox, Keyboard, List, Pause, Phone, Star, User, Users } from '../icons';
import { useLiveWorkspace } from './live';
import { unread, useNotifications } from './notifications';
import {
  activeRow,
  loadViews,
  query,
  selection,
  setQuery,
  shortcutsOpen,
  toggleSelected,
  views,
} from './store';

const ICONS: Record<string, () => unknown> = {
  mine: User,
  unassigned: Inbox,
  breaching: Clock,
  breached: Alert,
  waiting: Pause,
  resolved: Check,
  all: List,
};
const COUNTS_EVERY_MS = 20_000;

export const SHORTCUTS: [string, string][] = [
  ['/', 'Search'],
  ['j / k', 'Next / previous ticket in the list'],
  ['o or Enter', 'Open the ticket'],
  ['x', 'Select the ticket for a bulk change'],
  ['r', 'Reply to the customer (on a ticket)'],
  ['n', 'Write an internal note (on a ticket)'],
  ['Ctrl+Enter', 'Send the reply or note'],
  ['a', 'Assign the ticket to me'],
  ['u or Escape', 'Back to the list'],
  ['?', 'This list'],
];

/** Tells the open ticket page what was pressed (reply, note, assign). */
export const SHORTCUT_EVENT = 'sla-desk:shortcut';

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

function focusRow(index: number) {
  const rows = document.querySelectorAll<HTMLTableRowElement>('table.tickets tbody tr');
  if (!rows.length) return;
  const i = Math.max(0, Math.min(rows.length - 1, index));
  activeRow.value = i;
  rows[i]!.querySelector<HTMLAnchorElement>('td.subject a')?.focus();
}

function onKey(e: KeyboardEvent) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (typing(e.target)) {
    if (e.key === 'Escape') (e.target as HTMLElement).blur();
    return;
  }
  const onTicket = location.hash.startsWith('#/tickets/');
  const rows = () => document.querySelectorAll('table.tickets tbody tr');
  switch (e.key) {
    case '/':
      e.preventDefault();
      if (onTicket) navigate('/');
      {
        const find = () => {
          const box = document.getElementById('search') as HTMLInputElement | null;
          box?.focus();
          box?.select();
        };
        if (onTicket) setTimeout(find, 200);
        else find();
      }
      return;
    case '?':
      shortcutsOpen.value = !shortcutsOpen.value;
      return;
    case 'j':
    case 'k':
      if (!onTicket && rows().length) focusRow(activeRow.value + (e.key === 'j' ? 1 : -1));
      return;
    case 'o': {
      const id = (rows()[activeRow.value] as HTMLElement | undefined)?.dataset.ticket;
      if (!onTicket && id) navigate(`/tickets/${id}`);
      return;
    }
    case 'x': {
      const id = (rows()[activeRow.value] as HTMLElement | undefined)?.dataset.ticket;
      if (!onTicket && id) toggleSelected(id);
      return;
    }
    case 'u':
    case 'Escape':
      if (onTicket) navigate('/');
      return;
    case 'r':
    case 'n':
    case 'a':
      if (onTicket) {
        e.preventDefault();
        dispatchEvent(
          new CustomEvent(SHORTCUT_EVENT, { detail: { r: 'reply', n: 'note', a: 'assign' }[e.key] }),
        );
      }
      return;
  }
}

function Shortcuts() {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (shortcutsOpen.value && !d.open) d.showModal();
    if (!shortcutsOpen.value && d.open) d.close();
  }, [shortcutsOpen.value]);
  return html`<dialog ref=${dialog} class="shortcuts" aria-labelledby="shortcuts-title" onClose=${() => {
    shortcutsOpen.value = false;
  }}>
    <h2 id="shortcuts-title"><${Keyboard} /> Keyboard shortcuts</h2>
    <dl>${SHORTCUTS.map(([key, what]) => html`<dt><kbd>${key}</kbd></dt><dd>${what}</dd>`)}</dl>
    <button type="button" onClick=${() => {
      shortcutsOpen.value = false;
    }}>Close</button>
  </dialog>`;
}

function ViewLink({
  id,
  name,
  count,
  icon,
}: {
  id: string;
  name: string;
  count: number;
  icon?: () => unknown;
}) {
  const current = query.value.view === id && location.hash.replace(/^#/, '').split('?')[0] === '/';
  return html`<li>
    <a href="#/" aria-current=${current ? 'page' : undefined} class=${current ? 'current' : ''}
      onClick=${() => {
        setQuery({ view: id, q: '', customerId: '', priority: '', status: '', tag: '', sort: null });
        loadViews().catch(() => {});
      }}>
      ${icon ? html`<${icon} />` : html`<${Star} />`}<span class="name">${name}</span><span class="count" aria-label=${`${count} tickets`}>${count}</span>
    </a>
  </li>`;
}

export function Workspace({ session, children }: { session: Session; children: ComponentChildren }) {
  useNotifications(Boolean(session.staffId));
  useLiveWorkspace(Boolean(session.staffId));
  useEffect(() => {
    const timer = setInterval(() => loadViews().catch(() => {}), COUNTS_EVERY_MS);
    addEventListener('keydown', onKey);
    return () => {
      clearInterval(timer);
      removeEventListener('keydown', onKey);
    };
  }, []);
  // The counts on arrival, and after each page change and bulk change (a change shows at once).
  useEffect(() => {
    loadViews().catch(() => {});
  }, [location.hash, selection.value.size === 0]);
  const all = views.value ?? [];
  const builtIn = all.filter((v) => v.scope === 'built-in');
  const saved = all.filter((v) => v.scope !== 'built-in');
  return html`<div class="workspace">
    <nav class="side" aria-label="Views">
      <h2 class="side-title">Views</h2>
      <ul class="views">${builtIn.map((v) => html`<${ViewLink} ...${v} icon=${ICONS[v.id]} />`)}</ul>
      ${saved.length ? html`<h2 class="side-title">Saved views</h2><ul class="views">${saved.map((v) => html`<${ViewLink} ...${v} />`)}</ul>` : null}
      <h2 class="side-title">Desk</h2>
      <ul class="views desk">
        ${session.staffId ? html`<li><a href="#/notifications"><${Bell} /><span class="name">Notifications</span><span class="count" aria-label=${`${unread.value} unread`}>${unread.value || ''}</span></a></li>` : null}
        <li><a href="#/customers"><${Users} /><span class="name">Customers</span></a></li>
        <li><a href="#/staff"><${User} /><span class="name">Staff</span></a></li>
        <li><a href="#/macros"><${List} /><span class="name">Macros</span></a></li>
        <li><a href="#/on-call"><${Phone} /><span class="name">On call</span></a></li>
        ${session.staffId ? html`<li><a href="#/keys"><${Keyboard} /><span class="name">API keys</span></a></li>` : null}
      </ul>
      <button type="button" class="secondary inline shortcuts-button" onClick=${() => {
        shortcutsOpen.value = true;
      }}><${Keyboard} /> Shortcuts (?)</button>
    </nav>
    <div class="pane">${children}</div>
    <${Shortcuts} />
  </div>`;
}
