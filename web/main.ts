// The portal: sign in by link, file a ticket, follow it. Hash routes (#/tickets/…), so page
// paths never collide with the API's and sign-in tokens never reach a server log.
import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Route, Router, Switch } from 'wouter-preact';
import { navigate, useHashLocation } from 'wouter-preact/use-hash-location';
import { api, type Session } from './api';
import { SignIn, UseLink } from './portal/signin';
import { MyTickets, NewTicket, TicketPage } from './portal/tickets';

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    api<Session>('GET', '/auth/session').then(setSession, () => setSession(null));
  }, []);
  const signOut = async () => {
    await api('POST', '/auth/logout').catch(() => {});
    setSession(null);
    navigate('/signin');
  };
  if (session === undefined) return html`<p>Loading…</p>`;
  return html`<${Router} hook=${useHashLocation}>
    <header class="bar">
      <strong>Support</strong>
      ${
        session
          ? html`<span>${session.name} · <button class="secondary inline" onClick=${signOut}>Sign out</button></span>`
          : null
      }
    </header>
    <${Switch}>
      <${Route} path="/signin/:token">${(p: { token: string }) => html`<${UseLink} token=${p.token} onSignedIn=${setSession} />`}<//>
      <${Route} path="/signin">${() => html`<${SignIn} onSignedIn=${setSession} />`}<//>
      ${
        session === null
          ? html`<${Route}>${() => {
              navigate('/signin', { replace: true });
              return null;
            }}<//>`
          : html`
          <${Route} path="/new">${() => html`<${NewTicket} session=${session} />`}<//>
          <${Route} path="/tickets/:id">${(p: { id: string }) => html`<${TicketPage} id=${p.id} session=${session} />`}<//>
          <${Route}>${() => html`<${MyTickets} />`}<//>`
      }
    <//>
  <//>`;
}

render(html`<${App} />`, document.getElementById('app')!);
