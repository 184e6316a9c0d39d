// Notifications in the console: the unread count in the side bar (read every 20 s), a browser
// notification for each new one while the console is open (when the person allowed them), the
// list (#/notifications), and on a person's own page how each kind reaches them and their
// quiet hours.
import { signal } from '@preact/signals';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { navigate } from 'wouter-preact/use-hash-location';
import { api } from '../api';
import { inZone } from '../format';
import { useAction, useLoad } from '../load';
import { usePage } from '../ui/page';
import type { Person } from './staff';

export interface Notice {
  id: string;
  kind: string;
  ticketId: string;
  text: string;
  at: string;
  readAt: string | null;
}

export const unread = signal(0);
const seen = new Set<string>();
let primed = false;

const POLL_MS = 20_000;

/** Reads the list; a notice not seen before becomes a browser notification (after the first read). */
async function refresh(): Promise<Notice[]> {
  const { items, unread: count } = await api<{ items: Notice[]; unread: number }>('GET', '/notifications');
  unread.value = count;
  for (const n of items) {
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    if (
      primed &&
      n.readAt === null &&
      'Notification' in globalThis &&
      Notification.permission === 'granted'
    ) {
      const shown = new Notification('Support', { body: n.text, tag: n.id });
      shown.onclick = () => {
        focus();
        navigate(`/tickets/${n.ticketId}`);
      };
    }
  }
  primed = true;
  return items;
}

/** Keeps the unread count fresh while the console is open (a person's session only). */
export function useNotifications(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    refresh().catch(() => {});
    const timer = setInterval(() => refresh().catch(() => {}), POLL_MS);
    return () => clearInterval(timer);
  }, [enabled]);
}

const KIND_NAMES: Record<string, string> = {
  'customer-replied': 'The customer replied',
  assigned: 'Assigned to you',
  warning: 'A clock at 80 %',
  breach: 'A clock breached',
  paged: 'You were paged',
};

export function NotificationsPage() {
  usePage('Notifications');
  const { data, error, reload } = useLoad(refresh, []);
  const { problem, act } = useAction(reload);
  const [permission, setPermission] = useState(
    'Notification' in globalThis ? Notification.permission : 'unsupported',
  );
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  const open = (n: Notice) =>
    act(async () => {
      if (!n.readAt) await api('POST', '/notifications/read', { ids: [n.id] });
      navigate(`/tickets/${n.ticketId}`);
    });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return html`<section class="notifications-page">
    <h1 tabindex="-1">Notifications</h1>
    <div class="actions">
      ${unread.value ? html`<button type="button" class="secondary" onClick=${() => act(() => api('POST', '/notifications/read', { all: true }))}>Mark all read</button>` : null}
      ${
        permission === 'default'
          ? html`<button type="button" class="secondary" onClick=${async () => setPermission(await Notification.requestPermission())}>Show them as browser notifications</button>`
          : html`<span class="hint">Browser notifications: ${permission === 'granted' ? 'on while the console is open' : permission === 'denied' ? 'blocked in this browser' : 'not available'}</span>`
      }
    </div>
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
    ${
      data.length
        ? html`<ul class="notices">${data.map(
            (n) => html`<li class=${n.readAt ? 'read' : 'unread'}>
              <a href=${`#/tickets/${n.ticketId}`} onClick=${(e: Event) => {
                e.preventDefault();
                open(n);
              }}><span class="kind">${KIND_NAMES[n.kind] ?? n.kind}</span> ${n.text}</a>
              <time class="hint" datetime=${n.at}>${inZone(n.at, zone)}</time>
            </li>`,
          )}</ul>`
        : html`<p>Nothing yet: replies, assignments, warnings, breaches and pages of your tickets appear here.</p>`
    }
  </section>`;
}

const WAYS = [
  ['mail', 'Mail'],
  ['page', 'Page (text, Slack or mail)'],
] as const;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

type Prefs = {
  kinds: Record<string, string[]>;
  quietHours: { timeZone: string; weekly: Record<string, { from: string; to: string }[]> } | null;
};

const DEFAULTS: Record<string, string[]> = {
  'customer-replied': ['console'],
  assigned: ['console', 'mail'],
  warning: ['console'],
  breach: ['console', 'mail'],
  paged: ['console'],
};

/** The person's own choices: per kind, mail and page (the console always); quiet hours; phone and Slack id. */
export function NotificationSettings({
  person,
  onSaved,
}: {
  person: Person & { phone?: string | null; slackUserId?: string | null; notifications?: Prefs };
  onSaved(): void;
}) {
  const prefs: Prefs = person.notifications ?? { kinds: {}, quietHours: null };
  const [kinds, setKinds] = useState<Record<string, string[]>>({ ...DEFAULTS, ...prefs.kinds });
  const quiet = prefs.quietHours;
  const first = quiet ? Object.values(quiet.weekly).flat() : [];
  const [from, setFrom] = useState(first.find((h) => h.from !== '00:00')?.from ?? '22:00');
  const [to, setTo] = useState(first.find((h) => h.from === '00:00')?.to ?? '07:00');
  const [quietOn, setQuietOn] = useState(quiet !== null);
  const [phone, setPhone] = useState(person.phone ?? '');
  const [slack, setSlack] = useState(person.slackUserId ?? '');
  const { problem, act } = useAction(onSaved);
  const toggle = (kind: string, way: string) => {
    const now = kinds[kind] ?? [];
    setKinds({ ...kinds, [kind]: now.includes(way) ? now.filter((w) => w !== way) : [...now, way] });
  };
  const save = (e: Event) => {
    e.preventDefault();
    // A night across midnight is two stretches a day: from–24:00 and 00:00–to.
    const night =
      from > to
        ? [
            { from: '00:00', to },
            { from, to: '24:00' },
          ]
        : [{ from, to }];
    act(() =>
      api(
        'PATCH',
        `/staff/${person.id}`,
        {
          phone: phone.trim() || null,
          slackUserId: slack.trim() || null,
          notifications: {
            kinds,
            quietHours: quietOn
              ? {
                  timeZone: person.workingHours.timeZone,
                  weekly: Object.fromEntries(DAYS.map((d) => [d, night])),
                }
              : null,
          },
        },
        { 'if-match': `"${person.version}"` },
      ),
    );
  };
  return html`<form class="notification-settings" onSubmit=${save} aria-labelledby="notify-title">
    <h2 id="notify-title">Notifications</h2>
    <table>
      <thead><tr><th scope="col">When</th><th scope="col">Console</th>${WAYS.map(([, label]) => html`<th scope="col">${label}</th>`)}</tr></thead>
      <tbody>${Object.keys(DEFAULTS).map(
        (kind) => html`<tr>
          <th scope="row">${KIND_NAMES[kind]}</th>
          <td class="way"><input type="checkbox" checked disabled aria-label=${`${KIND_NAMES[kind]}: in the console (always)`} /></td>
          ${WAYS.map(
            ([way]) => html`<td class="way"><input type="checkbox" aria-label=${`${KIND_NAMES[kind]}: ${way}`}
              disabled=${kind === 'paged' && way === 'page'}
              checked=${(kinds[kind] ?? []).includes(way)} onChange=${() => toggle(kind, way)} /></td>`,
          )}
        </tr>`,
      )}</tbody>
    </table>
    <label class="check"><input type="checkbox" checked=${quietOn} onChange=${() => setQuietOn(!quietOn)} /> Quiet hours: only the console, every day</label>
    ${
      quietOn
        ? html`<div class="quiet"><label for="quiet-from">From</label><input id="quiet-from" type="time" value=${from} onInput=${(e: Event) => setFrom((e.target as HTMLInputElement).value)} />
          <label for="quiet-to">To</label><input id="quiet-to" type="time" value=${to} onInput=${(e: Event) => setTo((e.target as HTMLInputElement).value)} />
          <span class="hint">${person.workingHours.timeZone}; pages of an escalation reach you whenever you are on call</span></div>`
        : null
    }
    <label for="phone">Mobile number for pages (international, such as +46701234567)</label>
    <input id="phone" type="tel" value=${phone} onInput=${(e: Event) => setPhone((e.target as HTMLInputElement).value)} />
    <label for="slack-id">Slack member id (for pages as a direct message)</label>
    <input id="slack-id" value=${slack} placeholder="U024BE7LH" onInput=${(e: Event) => setSlack((e.target as HTMLInputElement).value)} />
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
    <button type="submit">Save notifications</button>
  </form>`;
}

/** Watch or stop watching a ticket. */
export function WatchButton({ ticketId }: { ticketId: string }) {
  const { data, reload } = useLoad(
    () =>
      api<{ watching: boolean; watchers: string[] }>('GET', `/tickets/${encodeURIComponent(ticketId)}/watch`),
    [ticketId],
  );
  const { problem, act } = useAction(reload);
  if (!data) return null;
  return html`<div class="watch">
    <button type="button" class="secondary" aria-pressed=${data.watching}
      onClick=${() => act(() => api(data.watching ? 'DELETE' : 'POST', `/tickets/${encodeURIComponent(ticketId)}/watch`))}>
      ${data.watching ? 'Stop watching' : 'Watch'}</button>
    <span class="hint">${data.watchers.length} watching</span>
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
  </div>`;
}
