// Customers and what they bought: the plan's business hours, this year's holidays and each
// priority's targets in words (from domain/), and the monthly reports exactly as mailed.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { WEEKDAYS } from '../../domain/calendar';
import { describeTarget } from '../../domain/duration';
import { type Plan, PRIORITIES, promiseInWords } from '../../domain/plans';
import { api, type Session } from '../api';
import { inZone } from '../format';
import { useLoad } from '../load';
import { planOf } from '../portal/tickets';
import { Webhooks } from './webhooks';

interface Customer {
  id: string;
  name: string;
  planId: string;
  contacts: { email: string; name: string; mayOpenTickets: boolean }[];
  deviceCount: number;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface ReportIndex {
  month: string;
  mailedAt: string | null;
}

export function Customers() {
  const [pages, setPages] = useState<Customer[][]>([]);
  const { data, error } = useLoad(async () => {
    const first = await api<Page<Customer>>('GET', '/customers?limit=50');
    setPages([first.items]);
    return first;
  }, []);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const next = cursor === undefined ? (data?.nextCursor ?? null) : cursor;
  const more = async () => {
    const page = await api<Page<Customer>>('GET', `/customers?limit=50&cursor=${encodeURIComponent(next!)}`);
    setPages([...pages, page.items]);
    setCursor(page.nextCursor);
  };
  const customers = pages.flat();
  return html`
    <h1>Customers</h1>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${
      !data
        ? html`<p>Loading…</p>`
        : customers.length === 0
          ? html`<p>No customers yet.</p>`
          : html`<table>
            <thead><tr><th>Customer</th><th>Plan</th><th class="wide">Contacts</th><th class="wide">Devices</th></tr></thead>
            <tbody>${customers.map(
              (c) => html`<tr data-customer=${c.id}>
                <td><a href=${`#/customers/${c.id}`}>${c.name}</a><div class="hint">${c.id}</div></td>
                <td>${c.planId}</td>
                <td class="wide">${c.contacts.length}</td>
                <td class="wide">${c.deviceCount}</td>
              </tr>`,
            )}</tbody>
          </table>`
    }
    ${next ? html`<p><button class="secondary" onClick=${more}>More customers</button></p>` : null}`;
}

function BusinessHours({ plan }: { plan: Plan }) {
  const { weekly, timeZone } = plan.calendar;
  return html`<table>
    <caption class="hint">${timeZone}</caption>
    <tbody>${WEEKDAYS.map(
      (d) => html`<tr><th scope="row">${d[0]!.toUpperCase() + d.slice(1)}</th>
        <td>${weekly[d].length ? weekly[d].map((h) => `${h.from}–${h.to}`).join(', ') : 'closed'}</td></tr>`,
    )}</tbody>
  </table>`;
}

function Holidays({ plan, year }: { plan: Plan; year: number }) {
  const days = plan.calendar.holidays.filter((h) => h.date.startsWith(`${year}-`));
  if (days.length === 0) return html`<p>No holidays listed for ${year}.</p>`;
  return html`<ul class="holidays">${days.map(
    (h) =>
      html`<li><strong>${h.date}</strong> ${h.name}${h.from ? html` <span class="hint">(closed ${h.from}–${h.to})</span>` : ''}</li>`,
  )}</ul>`;
}

function Targets({ plan }: { plan: Plan }) {
  return html`<table class="fixed">
    <thead><tr><th>Priority</th><th>First response</th><th>Updates</th><th>Resolution</th></tr></thead>
    <tbody>${PRIORITIES.map((p) => {
      const level = plan.levels[p];
      return html`<tr>
        <th scope="row" title=${promiseInWords(plan, p)}>${p} ${level.name}</th>
        <td>${describeTarget(level.response)}</td>
        <td>${describeTarget(level.update)}</td>
        <td>${describeTarget(level.resolution)}</td>
      </tr>`;
    })}</tbody>
  </table>
  ${PRIORITIES.filter((p) => plan.levels[p].calendar).map(
    (p) => html`<p class="hint">${promiseInWords(plan, p)}</p>`,
  )}`;
}

export function CustomerPage({ id, session }: { id: string; session: Session }) {
  const year = Number(session.now.slice(0, 4));
  const { data, error } = useLoad(async () => {
    const customer = await api<Customer>('GET', `/customers/${encodeURIComponent(id)}`);
    const [plan, reports] = await Promise.all([
      planOf(customer.planId),
      api<Page<ReportIndex>>('GET', `/customers/${encodeURIComponent(id)}/reports?limit=24`),
    ]);
    return { customer, plan, reports: reports.items };
  }, [id]);
  const [month, setMonth] = useState<string | null>(null);
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  const { customer, plan, reports } = data;
  const shown = month ?? reports[0]?.month ?? null;
  return html`
    <h1>${customer.name}</h1>
    <p class="hint">${customer.id} · <a href=${`#/?customerId=${encodeURIComponent(customer.id)}`}>their tickets in the queue</a></p>
    <h2>Plan: ${plan.vendor} ${plan.name}</h2>
    <p>Uptime ${plan.uptimeTarget === null ? 'not promised' : `${plan.uptimeTarget} %`} ·
      seats ${plan.seats ?? 'unlimited'} · devices included ${plan.devicesIncluded ?? 'unlimited'} (${customer.deviceCount} registered)</p>
    <h3>Business hours</h3>
    <${BusinessHours} plan=${plan} />
    <h3>Holidays ${year}</h3>
    <${Holidays} plan=${plan} year=${year} />
    <h3>Targets</h3>
    <${Targets} plan=${plan} />
    <h2>Contacts</h2>
    <ul>${customer.contacts.map(
      (c) =>
        html`<li>${c.name} <span class="hint">${c.email}${c.mayOpenTickets ? '' : ' · may not file tickets'}</span></li>`,
    )}</ul>
    ${session.role === 'admin' ? html`<h2>Webhooks</h2><${Webhooks} customerId=${customer.id} zone=${plan.calendar.timeZone} />` : null}
    <h2>Monthly reports</h2>
    ${
      reports.length === 0
        ? html`<p>No report yet: the first is made when a month ends.</p>`
        : html`<label for="report-month">Month</label>
          <select id="report-month" value=${shown} onChange=${(e: Event) => setMonth((e.target as HTMLSelectElement).value)}>
            ${reports.map((r) => html`<option value=${r.month}>${r.month}${r.mailedAt ? ` · mailed ${inZone(r.mailedAt, plan.calendar.timeZone)}` : ' · not mailed'}</option>`)}
          </select>
          <iframe class="report" title=${`Report ${shown}`} sandbox=""
            src=${`/customers/${encodeURIComponent(customer.id)}/reports/${shown}/html`}></iframe>`
    }`;
}
