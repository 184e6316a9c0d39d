// A customer's webhooks as an admin looks after them: where events go, whether a secret
// rotation is under way, a test event, and the recent deliveries with the receiver's answers.
import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { api } from '../api';
import { inZone } from '../format';
import { useAction, useLoad } from '../load';

interface Webhook {
  id: string;
  url: string;
  events: string[];
  previousSecretUntil: string | null;
}
interface Delivery {
  id: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  createdAt: string;
}

export function Webhooks({ customerId, zone }: { customerId: string; zone: string }) {
  const base = `/customers/${encodeURIComponent(customerId)}/webhooks`;
  const { data, error, reload } = useLoad(async () => {
    const { items } = await api<{ items: Webhook[] }>('GET', base);
    const logs = await Promise.all(
      items.map((w) => api<{ items: Delivery[] }>('GET', `${base}/${w.id}/deliveries?limit=10`)),
    );
    return items.map((w, i) => ({ ...w, deliveries: logs[i]!.items }));
  }, [customerId]);
  const { problem, act } = useAction(reload);
  // While a delivery is on its way (a test event just sent), look again every two seconds.
  const pending = data?.some((w) => w.deliveries.some((d) => d.status === 'pending')) ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(reload, 2000);
    return () => clearTimeout(timer);
  }, [data, pending]);
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  if (!data.length) return html`<p>No webhooks: subscribe one with POST ${base} (README, “Webhooks”).</p>`;
  return html`${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
    ${data.map(
      (w) => html`<section class="webhook" data-webhook=${w.id}>
        <h3 class="url">${w.url}</h3>
        <p class="hint">${w.events.join(', ')}${
          w.previousSecretUntil
            ? ` · rotating: the secret before signs until ${inZone(w.previousSecretUntil, zone)}`
            : ''
        }</p>
        <button class="secondary" onClick=${() => act(() => api('POST', `${base}/${w.id}/ping`))}>Send a test event</button>
        ${
          w.deliveries.length
            ? html`<table>
              <thead><tr><th>Event</th><th>Status</th><th class="wide">Answer</th><th>When</th></tr></thead>
              <tbody>${w.deliveries.map(
                (d) => html`<tr data-state=${d.status}>
                  <td>${d.eventType}</td>
                  <td class=${d.status === 'failed' ? 'due-breached' : d.status === 'pending' ? 'due-warning' : ''}>
                    ${d.status}${d.attempts > 1 ? `, ${d.attempts} attempts` : ''}</td>
                  <td class="wide">${d.lastStatus ?? d.lastError ?? '—'}${d.lastDurationMs === null ? '' : ` in ${d.lastDurationMs} ms`}</td>
                  <td>${inZone(d.lastAttemptAt ?? d.createdAt, zone)}</td>
                </tr>`,
              )}</tbody>
            </table>`
            : html`<p>No deliveries in the last 30 days.</p>`
        }
      </section>`,
    )}`;
}
