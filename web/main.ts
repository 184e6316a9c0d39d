// The portal (contacts: sign in by link, file a ticket, find and follow the organisation's
// tickets) and the console (agents: a workspace of views, the list and the ticket). Hash routes
// (#/tickets/…), so page paths never collide with the API's and sign-in tokens never reach a
// server log.
import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Route, Router, Switch } from 'wouter-preact';
import { navigate, useHashLocation } from 'wouter-preact/use-hash-location';
import { api, type Session, SIGNED_OUT } from './api';
import { CustomerPage, Customers } from './console/customers';
import { OnCallPage } from './console/escalation';
import { TicketList } from './console/list';
import { MacrosPage } from './console/macros';
import { NotificationsPage } from './console/notifications';
import { KeysPage, PersonPage, StaffPage } from './console/staff';
import { ConsoleTicket } from './console/ticket';
import { Workspace } from './console/workspace';
import { AcknowledgePage } from './portal/acknowledge';
import { EmbeddedForm } from './portal/embed';
import { SignIn, UseLink, Welcome } from './portal/signin';
import { MyTickets, NewTicket, TicketPage } from './portal/tickets';

const signedOut = () =>
  html`<${Route}>${() => {
    navigate('/signin', { replace: true });
    return null;
  }}<//>`;

const portal = (session: Session) => html`
  <${Route} path="/new">${() => html`<${NewTicket} session=${session} />`}<//>
  <${Route} path="/tickets/:id">${(p: { id: string }) => html`<${TicketPage} id=${p.id} session=${session} />`}<//>
  <${Route}>${() => html`<${MyTickets} />`}<//>`;

const consolePages = (session: Session) =>
  html`<${Route}>${() => html`<${Workspace} session=${session}><${Switch}>
  <${Route} path="/tickets/:id">${(p: { id: string }) => html`<${ConsoleTicket} id=${p.id} session=${session} />`}<//>
  <${Route} path="/customers/:id">${(p: { id: string }) => html`<${CustomerPage} id=${p.id} session=${session} />`}<//>
  <${Route} path="/customers">${() => html`<${Customers} />`}<//>
  <${Route} path="/staff/:id">${(p: { id: string }) => html`<${PersonPage} id=${p.id} session=${session} />`}<//>
  <${Route} path="/staff">${() => html`<${StaffPage} session=${session} />`}<//>
  <${Route} path="/keys">${() => html`<${KeysPage} session=${session} />`}<//>
  <${Route} path="/macros">${() => html`<${MacrosPage} session=${session} />`}<//>
  <${Route} path="/on-call">${() => html`<${OnCallPage} session=${session} />`}<//>
  <${Route} path="/notifications">${() => html`<${NotificationsPage} />`}<//>
  <${Route}>${() => html`<${TicketList} />`}<//>
<//><//>`}<//>`;

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    api<Session>('GET', '/auth/session').then(setSession, () => setSession(null));
    const ended = () => setSession(null);
    addEventListener(SIGNED_OUT, ended);
    return () => removeEventListener(SIGNED_OUT, ended);
  }, []);
  const signOut = async () => {
    await api('POST', '/auth/logout').catch(() => {});
    setSession(null);
    navigate('/signin');
  };
  if (session === undefined) return html`<p>Loading…</p>`;
  const staff = session && session.role !== 'customer';
  return html`<${Router} hook=${useHashLocation}>
    <a class="skip" href="#/" onClick=${(e: Event) => {
      e.preventDefault();
      document.querySelector<HTMLElement>('main h1')?.focus();
    }}>Skip to the content</a>
    <header class=${`bar ${staff ? 'wide-bar' : ''}`}>
      <nav aria-label="Main">
        <strong>Support</strong>
        ${session ? html` · <a href="#/">${session.role === 'customer' ? 'Our tickets' : 'Tickets'}</a>` : null}
      </nav>
      ${
        session
          ? html`<span>${session.staffId ? html`<a href=${`#/staff/${session.staffId}`}>${session.name}</a>` : session.name} · <button class="secondary inline" onClick=${signOut}>Sign out</button></span>`
          : null
      }
    </header>
    <main id="content" class=${staff ? 'workspace-main' : 'narrow'}>
    <${Switch}>
      <${Route} path="/welcome/:token">${(p: { token: string }) => html`<${Welcome} token=${p.token} onSignedIn=${setSession} />`}<//>
      <${Route} path="/signin/:token">${(p: { token: string }) => html`<${UseLink} token=${p.token} onSignedIn=${setSession} />`}<//>
      <${Route} path="/signin">${() => html`<${SignIn} onSignedIn=${setSession} />`}<//>
      <${Route} path="/ack/:link">${(p: { link: string }) => html`<${AcknowledgePage} link=${p.link} />`}<//>
      ${session === null ? signedOut() : session.role === 'customer' ? portal(session) : consolePages(session)}
    <//>
    </main>
  <//>`;
}

// /embed.html is the form alone, for vendors' websites; everything else is the app.
const root = document.getElementById('app')!;
root.replaceChildren(); // the page's "Loading…" placeholder
render(root.dataset.page === 'embed' ? html`<${EmbeddedForm} />` : html`<${App} />`, root);
