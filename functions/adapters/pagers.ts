// The paging port's adapters, in the services' own formats: PagerDuty's Events API v2 (one
// incident per ticket and chain by its dedup_key, acknowledged and resolved by the same key),
// Opsgenie's Alert API (the same by alias), a text message through AWS End User Messaging
// (SMS and voice v2 SendTextMessage), a Slack direct message, and a mail. `RoutingPager` sends
// each page by the service the desk chose for it (app/paging.ts).
import type { PagingService } from '../../domain/on-call';
import { escapeHtml } from '../../domain/text';
import type { Chat, Mailer, PageRequest, Pager, WebClient } from '../ports';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
/** Opsgenie's Alert API (EU accounts: OPSGENIE_API_URL=https://api.eu.opsgenie.com). */
export const OPSGENIE_API_URL = 'https://api.opsgenie.com';

/** The body of a page in words: what, the ticket, and the one-time link. */
export function pageText(request: PageRequest): string {
  return `${request.summary}\nAcknowledge: ${request.ackUrl}\nTicket: ${request.ticketUrl}`;
}

async function accepted(what: string, answer: Promise<{ status: number }>): Promise<void> {
  const { status } = await answer;
  // Both services answer 202 Accepted; a 4xx will not change on a retry, a 5xx or 429 may.
  if (status < 200 || status >= 300) throw new Error(`${what} answered ${status}`);
}

export class PagerDutyEvents {
  constructor(
    private readonly web: WebClient,
    private readonly url = PAGERDUTY_EVENTS_URL,
  ) {}

  private send(body: Record<string, unknown>): Promise<void> {
    return accepted(
      'PagerDuty Events API',
      this.web.post(this.url, JSON.stringify(body), { 'content-type': 'application/json' }),
    );
  }

  trigger(request: PageRequest, routingKey: string): Promise<void> {
    return this.send({
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: request.dedupKey,
      payload: {
        summary: request.summary.slice(0, 1024),
        source: 'sla-desk',
        severity: request.severity,
        component: request.ticketId,
        class: 'sla-escalation',
        custom_details: {
          ticket: request.ticketId,
          'on call in sla-desk': request.to?.name ?? null,
          acknowledge: request.ackUrl,
        },
      },
      client: 'sla-desk',
      client_url: request.ticketUrl,
      links: [{ href: request.ticketUrl, text: `Ticket ${request.ticketId}` }],
    });
  }

  close(dedupKey: string, routingKey: string, how: 'acknowledge' | 'resolve'): Promise<void> {
    return this.send({ routing_key: routingKey, event_action: how, dedup_key: dedupKey });
  }
}

export class OpsgenieAlerts {
  constructor(
    private readonly web: WebClient,
    private readonly apiKey: () => Promise<string | null>,
    private readonly baseUrl = OPSGENIE_API_URL,
  ) {}

  private async headers(): Promise<Record<string, string>> {
    const key = await this.apiKey();
    if (!key) throw new Error('no Opsgenie API key is configured (secret opsgenie-api-key)');
    return { 'content-type': 'application/json', authorization: `GenieKey ${key}` };
  }

  async create(request: PageRequest, team: string): Promise<void> {
    const body = {
      message: request.summary.slice(0, 130),
      alias: request.dedupKey.slice(0, 512),
      description: pageText(request).slice(0, 15_000),
      responders: [{ name: team, type: 'team' }],
      details: { ticket: request.ticketId, acknowledge: request.ackUrl, ticketUrl: request.ticketUrl },
      priority: request.severity === 'critical' ? 'P1' : request.severity === 'error' ? 'P2' : 'P3',
      source: 'sla-desk',
      entity: request.ticketId,
    };
    await accepted(
      'Opsgenie',
      this.web.post(`${this.baseUrl}/v2/alerts`, JSON.stringify(body), await this.headers()),
    );
  }

  async close(alias: string, how: 'acknowledge' | 'resolve'): Promise<void> {
    const action = how === 'acknowledge' ? 'acknowledge' : 'close';
    const url = `${this.baseUrl}/v2/alerts/${encodeURIComponent(alias)}/${action}?identifierType=alias`;
    await accepted(
      'Opsgenie',
      this.web.post(
        url,
        JSON.stringify({ source: 'sla-desk', note: `${how}d in sla-desk` }),
        await this.headers(),
      ),
    );
  }
}

/**
 * Slack's chat.postMessage to a member's id (the bot's direct message), with the bot token.
 * Slack answers 200 with `ok: false` for its refusals: those throw too.
 */
export function slackDirect(
  token: () => Promise<string | null>,
  api = 'https://slack.com/api',
): Chat['direct'] {
  return async (userId, text) => {
    const bot = await token();
    if (!bot) throw new Error('no Slack bot token is configured');
    const response = await fetch(`${api}/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${bot}` },
      body: JSON.stringify({ channel: userId, text }),
      signal: AbortSignal.timeout(10_000),
      redirect: 'error',
    });
    const answer = (await response.json().catch(() => ({}))) as { ok?: boolean; error?: string };
    if (!response.ok || !answer.ok)
      throw new Error(`Slack refused the message: ${answer.error ?? response.status}`);
  };
}

/** A text message: End User Messaging's SendTextMessage, as a function (the adapter holds the client). */
export type SendText = (to: string, body: string) => Promise<void>;

/** Sends each page by its service. */
export class RoutingPager implements Pager {
  constructor(
    private readonly services: {
      pagerDuty: PagerDutyEvents;
      opsgenie: OpsgenieAlerts;
      sendText: SendText;
      /** A direct message from the desk's Slack bot. */
      direct: Chat['direct'];
      mailer: Mailer;
    },
  ) {}

  async page(request: PageRequest): Promise<void> {
    const { via, to } = request;
    switch (request.service) {
      case 'pagerduty':
        if (via.kind !== 'pagerduty') throw new Error('the team has no PagerDuty service');
        return this.services.pagerDuty.trigger(request, via.routingKey);
      case 'opsgenie':
        if (via.kind !== 'opsgenie') throw new Error('the team has no Opsgenie team');
        return this.services.opsgenie.create(request, via.team);
      case 'sms':
        if (!to?.phone) throw new Error('no mobile number to text');
        // A text message is short: the summary cut to fit beside the link.
        return this.services.sendText(to.phone, `${request.summary.slice(0, 200)}\nAck: ${request.ackUrl}`);
      case 'slack':
        if (!to?.slackUserId) throw new Error('no Slack member to message');
        return this.services.direct(to.slackUserId, pageText(request));
      case 'mail':
        if (!to) throw new Error('no one to mail');
        return this.services.mailer.send({
          to: [to.email],
          subject: request.summary.slice(0, 200),
          text: `${pageText(request)}\n`,
          html: pageHtml(request),
          messageId: `<page.${request.pageId}@sla-desk>`,
          references: [],
        });
    }
  }

  async close(dedupKey: string, via: PagingService, how: 'acknowledge' | 'resolve'): Promise<void> {
    if (via.kind === 'pagerduty') await this.services.pagerDuty.close(dedupKey, via.routingKey, how);
    if (via.kind === 'opsgenie') await this.services.opsgenie.close(dedupKey, how);
  }
}

/** A page by mail: the summary and two links, nothing that needs images or styles. */
function pageHtml(request: PageRequest): string {
  const link = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  return `<p>${escapeHtml(request.summary)}</p><p>${link(request.ackUrl, 'Acknowledge')} · ${link(request.ticketUrl, `Ticket ${request.ticketId}`)}</p>`;
}
