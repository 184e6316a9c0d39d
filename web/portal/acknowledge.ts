// The page a page's one-time link opens (#/ack/<ticket>.<page>.<token>): one button that takes
// the page, so that a link preview or a scanner opening the link acknowledges nothing.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, asApiError } from '../api';
import { usePage } from '../ui/page';

export function AcknowledgePage({ link }: { link: string }) {
  usePage('Acknowledge the page');
  const ticketId = link.split('.')[0] ?? '';
  const [state, setState] = useState<{ done?: string; error?: string; busy?: boolean }>({});
  const acknowledge = async () => {
    setState({ busy: true });
    try {
      const answer = await api<{ acknowledged: 'now' | 'already'; by: string }>(
        'POST',
        '/pages/acknowledge',
        { link },
      );
      setState({
        done:
          answer.acknowledged === 'now'
            ? `Acknowledged, ${answer.by}: the escalation of ${ticketId} stops here. The ticket is yours to look at.`
            : `This page was acknowledged already; the escalation of ${ticketId} has stopped.`,
      });
    } catch (e) {
      setState({ error: asApiError(e).message });
    }
  };
  return html`<section class="acknowledge">
    <h1 tabindex="-1">Page for ticket ${ticketId}</h1>
    ${
      state.done
        ? html`<p class="notice" role="status">${state.done}</p><a class="button" href=${`#/tickets/${ticketId}`}>Open the ticket</a>`
        : html`<p>Acknowledge to take this page: the next step of the escalation (the secondary, then the manager) is not paged.</p>
          <button type="button" disabled=${state.busy} onClick=${acknowledge}>Acknowledge</button>`
    }
    ${state.error ? html`<p class="error" role="alert">${state.error}</p>` : null}
  </section>`;
}
