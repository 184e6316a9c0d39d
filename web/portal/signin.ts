// Signing in: an address gets a one-time link by mail; the link's page starts the session.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { navigate } from 'wouter-preact/use-hash-location';
import { api, asApiError, type Session } from '../api';
import { type Draft, fileDraft } from './tickets';

/**
 * A refused single sign-on's reason, as the page was opened with it (#/signin?sso=…&message=…):
 * read once at load, before the router replaces the address.
 */
const ssoRefusal: string | null = (() => {
  const query = location.hash.split('?')[1];
  return query ? new URLSearchParams(query).get('message') : null;
})();

export function SignIn({ onSignedIn }: { onSignedIn(session: Session): void }) {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(ssoRefusal);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState<{ sso: boolean; label: string } | null>(null);
  useEffect(() => {
    api<{ sso: boolean; label: string }>('GET', '/auth/sso').then(setSso, () => setSso(null));
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSent((await api<{ message: string }>('POST', '/auth/links', { email })).message);
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  }

  return html`
    <h1>Sign in to support</h1>
    <p>We mail you a link that signs you in: no password needed. Customers and staff alike.</p>
    ${sent ? html`<p class="notice" role="status">${sent}</p>` : null}
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <form onSubmit=${submit}>
      <label for="email">Your e-mail address</label>
      <input id="email" type="email" autocomplete="email" required value=${email}
        onInput=${(e: Event) => setEmail((e.target as HTMLInputElement).value)} />
      <button type="submit" disabled=${busy}>Send me a sign-in link</button>
    </form>
    ${
      sso?.sso
        ? html`<p class="sso"><a class="button" href="/auth/sso/start?returnTo=/">Staff: sign in with ${sso.label}</a></p>`
        : null
    }
    <details>
      <summary>Staff: sign in with your API key</summary>
      <${StaffSignIn} onSignedIn=${onSignedIn} />
    </details>`;
}

function StaffSignIn({ onSignedIn }: { onSignedIn(session: Session): void }) {
  const [apiKey, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    try {
      onSignedIn(await api<Session>('POST', '/auth/sessions', { apiKey }));
      navigate('/');
    } catch (e) {
      setError(asApiError(e).message);
    }
  }
  return html`<form onSubmit=${submit}>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <label for="api-key">API key</label>
    <input id="api-key" type="password" autocomplete="off" required value=${apiKey}
      onInput=${(e: Event) => setKey((e.target as HTMLInputElement).value)} />
    <button type="submit" class="secondary">Sign in</button>
  </form>`;
}

/** The page a sign-in link opens: uses the token once and goes to the tickets. */
export function UseLink({ token, onSignedIn }: { token: string; onSignedIn(session: Session): void }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Session & { draft?: Draft | null }>('POST', '/auth/sessions', { token })
      .then(async ({ draft, ...session }) => {
        onSignedIn(session);
        // The token leaves the address bar and history; a confirmed request is filed first.
        navigate(draft ? await fileDraft(draft) : '/', { replace: true });
      })
      .catch((e) => setError(asApiError(e).message));
  }, [token]);
  return error
    ? html`<h1>This link does not work</h1><p class="error" role="alert">${error}</p>
        <a class="button" href="#/signin">Ask for a new link</a>`
    : html`<p>Signing you in…</p>`;
}

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_NAMES: Record<string, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** The page an invitation opens: the person's name and working hours, then signed in. */
export function Welcome({ token, onSignedIn }: { token: string; onSignedIn(session: Session): void }) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [name, setName] = useState('');
  const [timeZone, setZone] = useState(zone);
  const [days, setDays] = useState<string[]>(['mon', 'tue', 'wed', 'thu', 'fri']);
  const [from, setFrom] = useState('09:00');
  const [to, setTo] = useState('17:00');
  const [error, setError] = useState<string | null>(null);
  const zones = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    const weekly = Object.fromEntries(WEEK.map((d) => [d, days.includes(d) ? [{ from, to }] : []]));
    try {
      onSignedIn(
        await api<Session>('POST', '/auth/invitations', { token, name, workingHours: { timeZone, weekly } }),
      );
      navigate('/', { replace: true });
    } catch (e) {
      setError(asApiError(e).message);
    }
  }
  return html`
    <h1>Welcome to the support console</h1>
    <p>Say how you want to be named and when you work; then you are signed in.</p>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <form onSubmit=${submit}>
      <label for="w-name">Your name, as customers and colleagues see it</label>
      <input id="w-name" required maxlength="200" autocomplete="name" value=${name} onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} />
      <label for="w-zone">Your time zone</label>
      <select id="w-zone" value=${timeZone} onChange=${(e: Event) => setZone((e.target as HTMLSelectElement).value)}>
        ${(zones.includes(timeZone) ? zones : [timeZone, ...zones]).map((z) => html`<option>${z}</option>`)}
      </select>
      <fieldset class="days"><legend>Working days</legend>
        ${WEEK.map(
          (d) => html`<label class="check"><input type="checkbox" checked=${days.includes(d)}
            onChange=${() => setDays(days.includes(d) ? days.filter((x) => x !== d) : [...days, d])} /> ${DAY_NAMES[d]}</label>`,
        )}
      </fieldset>
      <div class="hours">
        <label for="w-from">From</label><input id="w-from" type="time" required value=${from} onInput=${(e: Event) => setFrom((e.target as HTMLInputElement).value)} />
        <label for="w-to">To</label><input id="w-to" type="time" required value=${to} onInput=${(e: Event) => setTo((e.target as HTMLInputElement).value)} />
      </div>
      <button type="submit">Finish my account</button>
    </form>`;
}
