// Signing in: an address gets a one-time link by mail; the link's page starts the session.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { navigate } from 'wouter-preact/use-hash-location';
import { api, asApiError, type Session } from '../api';
import { type Draft, fileDraft } from './tickets';

export function SignIn({ onSignedIn }: { onSignedIn(session: Session): void }) {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
    <p>We mail you a link that signs you in: no password needed.</p>
    ${sent ? html`<p class="notice" role="status">${sent}</p>` : null}
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <form onSubmit=${submit}>
      <label for="email">Your e-mail address</label>
      <input id="email" type="email" autocomplete="email" required value=${email}
        onInput=${(e: Event) => setEmail((e.target as HTMLInputElement).value)} />
      <button type="submit" disabled=${busy}>Send me a sign-in link</button>
    </form>
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
