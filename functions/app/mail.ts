// What the desk writes to people: acknowledgements, replies, major-incident notices, SLA
// warnings and breaches. Plain text plus HTML; every piece of user text is escaped in the
// HTML, and subjects never carry a line break.

import { createHash } from 'node:crypto';
import type { Instant } from '../../domain/calendar';
import { businessCalendar } from '../../domain/calendar';
import type { Deadline, SlaState } from '../../domain/clocks';
import { inWords } from '../../domain/duration';
import { escalationInWords } from '../../domain/escalation-policy';
import { REPLY_MARKER } from '../../domain/mail';
import { levelCalendar, type Plan } from '../../domain/plans';
import { escapeHtml } from '../../domain/text';
import { formatLocal } from '../../domain/zone';
import { config } from '../config';
import type { CustomerRecord, Deps, MailPurpose, PartnerRef, TicketRecord } from '../ports';
import { assigneeName, contactOf, cut } from './common';

/** Code points of a mail subject, at most. */
export const SUBJECT_MAX = 250;

/**
 * A mail as the timeline stores it: the words once. Its text and HTML are rendered when it is
 * sent (renderMail), so user text is stored once, not again escaped (a quote is 6 bytes as
 * `&quot;`), and every item stays inside its size budget.
 */
export interface MailDraft {
  purpose: MailPurpose;
  to: string[];
  subject: string;
  paragraphs: string[];
  /** User text quoted below the paragraphs (a reply, an escalated message). */
  quote?: string;
  inReplyTo?: string;
}

export { escapeHtml };

const oneLine = (text: string) =>
  text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function subject(ticket: TicketRecord, what: string): string {
  return cut(oneLine(`[${ticket.id}] ${what}`), SUBJECT_MAX);
}

/** `Mon 23 Nov 2026 13:00 CET`, in the zone the plan counts the ticket's priority in. */
export function localTime(plan: Plan, ticket: TicketRecord, at: Instant): string {
  const zone = levelCalendar(plan, ticket.priority).timeZone;
  return formatLocal(at, zone);
}

/**
 * The text and HTML parts of a stored mail. A ticket's mail opens with the reply marker, where a
 * reply's quote of it is cut off (domain/mail.ts); the quote is one block of `> ` lines.
 */
export function renderMail(
  mail: { paragraphs: string[]; quote?: string | undefined },
  options: { replyMarker?: boolean } = {},
): { text: string; html: string } {
  const { paragraphs, quote } = mail;
  const marker = options.replyMarker ? [REPLY_MARKER] : [];
  const quoted = quote
    ? [
        quote
          .split('\n')
          .map((l) => `> ${l}`)
          .join('\n'),
      ]
    : [];
  const text = [...marker, ...paragraphs, ...quoted].join('\n\n');
  return { text, html: html(marker, paragraphs, quote) };
}

function html(marker: string[], paragraphs: string[], quote?: string): string {
  const body = [
    ...marker.map((m) => `<p style="color:#888;font-size:small">${escapeHtml(m)}</p>`),
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
  ].join('\n');
  const quoted = quote
    ? `\n<blockquote style="border-left:3px solid #ccc;margin:0;padding-left:12px">${escapeHtml(quote).replace(/\n/g, '<br>')}</blockquote>`
    : '';
  return `<!doctype html><html><body style="font-family:sans-serif">\n${body}${quoted}\n</body></html>`;
}

/**
 * Headers of a ticket's mail. RFC 3834: an acknowledgement is `auto-replied` and names the mail it
 * answers (In-Reply-To); the desk's notices are `auto-generated`; an agent's reply is a person's.
 */
export function mailHeaders(mail: {
  purpose: MailPurpose;
  inReplyTo?: string | undefined;
}): Record<string, string> {
  const automatic =
    mail.purpose === 'agent-reply'
      ? null
      : mail.purpose === 'acknowledgement'
        ? 'auto-replied'
        : 'auto-generated';
  return {
    ...(automatic ? { 'Auto-Submitted': automatic } : {}),
    ...(mail.inReplyTo ? { 'In-Reply-To': mail.inReplyTo } : {}),
  };
}

function draft(
  purpose: MailPurpose,
  to: string[],
  subjectLine: string,
  paragraphs: string[],
  quote?: string,
): MailDraft {
  const unique = [...new Set(to.map((a) => a.toLowerCase()))];
  return { purpose, to: unique, subject: subjectLine, paragraphs, ...(quote ? { quote } : {}) };
}

/** To the requester on creation: the committed response time in the plan's time zone. */
export function acknowledgement(ticket: TicketRecord, plan: Plan, sla: SlaState): MailDraft {
  const level = plan.levels[ticket.priority];
  const promise =
    sla.response.dueAt === null
      ? `Your ${plan.name} plan answers ${level.name.toLowerCase()} (${ticket.priority}) requests on a best-effort basis.`
      : `We will respond by ${localTime(plan, ticket, sla.response.dueAt)}: your ${plan.name} plan commits to a first ` +
        `response within ${inWords(sla.response.businessTarget!)} of business time for ${ticket.priority} ` +
        `(${level.name}), counted in ${businessCalendar(levelCalendar(plan, ticket.priority)).describe()}.`;
  return draft(
    'acknowledgement',
    [ticket.requesterEmail],
    subject(ticket, `We received your request: ${ticket.subject}`),
    [
      `We received your request "${oneLine(ticket.subject)}" and opened ticket ${ticket.id}.`,
      promise,
      ...(ticket.priority === 'P1' ? [escalationInWords(plan.escalation)].filter((p) => p !== null) : []),
      `Reply to this mail to add to the ticket.`,
    ],
  );
}

/** A contact's one-time sign-in link. */
export function signInLink(to: string, customerName: string, url: string, minutes: number) {
  return {
    to: [to],
    subject: 'Your sign-in link to the support portal',
    paragraphs: [
      `Use this link to sign in to the support portal of ${customerName}:`,
      url,
      `It works once, for ${minutes} minutes. If you did not ask for it, ignore this mail.`,
    ],
  };
}

/** A staff member's sign-in link to the console. */
export function staffSignInLink(to: string, url: string, minutes: number) {
  return {
    to: [to],
    subject: 'Your sign-in link to the support console',
    paragraphs: [
      'Use this link to sign in to the support console:',
      url,
      `It works once, for ${minutes} minutes. If you did not ask for it, ignore this mail.`,
    ],
  };
}

/** An invitation to the staff directory: the link finishes the account. */
export function staffInvitation(to: string, name: string, invitedBy: string, url: string, days: number) {
  return {
    to: [to],
    subject: cut(`${invitedBy} invited you to the support console`.replace(/[\r\n]+/g, ' '), 200),
    paragraphs: [
      `Hello ${name},`,
      `${invitedBy} invited you to work in the support console. Open this link to finish your account (your name, time zone and working hours) and sign in:`,
      url,
      `It works once, for ${days} days. Afterwards you sign in with a link to this address, or with your organisation's single sign-on where it is set up.`,
    ],
  };
}

/** The link that confirms a request written in the embedded form (and signs the contact in). */
export function confirmRequest(
  to: string,
  customerName: string,
  subject: string,
  url: string,
  minutes: number,
) {
  return {
    to: [to],
    subject: cut(`Confirm your support request: ${subject}`.replace(/[\r\n]+/g, ' '), 200),
    paragraphs: [
      `A support request for ${customerName} was written with this address: “${subject}”.`,
      'Open this link to send it; you will see it, and when we answer by, in the support portal:',
      url,
      `It works once, for ${minutes} minutes. If you did not write it, ignore this mail: nothing is sent.`,
    ],
  };
}

/** To the requester on every public agent message. */
export function agentReply(ticket: TicketRecord, author: string, body: string): MailDraft {
  return draft(
    'agent-reply',
    [ticket.requesterEmail],
    subject(ticket, `Re: ${ticket.subject}`),
    [`${author} wrote on ticket ${ticket.id}:`],
    body,
  );
}

/** To every contact of the customer when a critical ticket is opened. */
export function majorIncident(ticket: TicketRecord, customer: CustomerRecord): MailDraft {
  return draft(
    'major-incident',
    [
      ...customer.contacts.map((c) => c.email),
      ...(customer.supportManager ? [customer.supportManager.email] : []),
    ],
    subject(ticket, `Major incident (P1): ${ticket.subject}`),
    [
      `A critical (P1) ticket was opened for ${customer.name}: "${oneLine(ticket.subject)}".`,
      'We are working on it and will keep you informed of every status change.',
    ],
  );
}

function escalationAddresses(plan: Plan, ticket: TicketRecord): string[] {
  return [
    config().ESCALATION_EMAIL,
    ...plan.escalation.contacts,
    ...(ticket.assignee ? [ticket.assignee] : []),
  ];
}

/** To the escalation contacts when a customer uses the plan's escalation key-word. */
export function keywordEscalation(
  ticket: TicketRecord,
  plan: Plan,
  customer: CustomerRecord,
  text: string,
): MailDraft {
  return draft(
    'keyword-escalation',
    escalationAddresses(plan, ticket),
    subject(ticket, `Escalated by ${customer.name}: ${ticket.subject}`),
    [
      `${customer.name} escalated ticket ${ticket.id} (${ticket.priority}) with the key-word "${plan.escalation.keyword}".`,
    ],
    text,
  );
}

/**
 * To an onsite partner a ticket is routed to: what it is, whom to see, when the customer's
 * clocks fall due, the agent's note; the request quoted. Their reply threads onto the ticket.
 */
export function partnerRouting(
  ticket: TicketRecord,
  plan: Plan,
  customer: CustomerRecord,
  sla: SlaState,
  route: { partner: PartnerRef; agent: string; note: string | null },
): MailDraft {
  const requester = contactOf(customer, ticket.requesterEmail);
  const due = (
    [
      ['First response', sla.response.dueAt],
      ['Next update', sla.update.dueAt],
      ['Resolution', sla.resolution.dueAt],
    ] as const
  ).flatMap(([what, at]) => (at === null ? [] : [`${what} due ${localTime(plan, ticket, at)}`]));
  return draft(
    'partner-routing',
    [route.partner.email],
    subject(ticket, `Onsite support for ${customer.name}: ${ticket.subject}`),
    [
      `Hello ${route.partner.name}, ${route.agent} routed ticket ${ticket.id} of ${customer.name} to you for onsite support.`,
      `"${oneLine(ticket.subject)}". Priority ${ticket.priority} (${plan.levels[ticket.priority].name})` +
        `${ticket.device ? `; device ${ticket.device}` : ''}${ticket.component ? `; component ${ticket.component}` : ''}.`,
      `Contact on site: ${requester?.name ?? ticket.requesterEmail} <${ticket.requesterEmail}>.`,
      ...(due.length ? [`The customer's clocks: ${due.join('; ')}.`] : []),
      ...(route.note ? [`Note from ${route.agent}: ${route.note}`] : []),
      'Reply to this mail to report back: your answer is added to the ticket for our agents (the customer does not see it).',
      'The request:',
    ],
    ticket.description,
  );
}

/** To a partner a ticket is taken back from (withdrawn, or routed to another partner). */
export function partnerWithdrawn(ticket: TicketRecord, partner: PartnerRef, agent: string): MailDraft {
  return draft('partner-withdrawn', [partner.email], subject(ticket, `No longer needed: ${ticket.subject}`), [
    `Hello ${partner.name}, ${agent} took ticket ${ticket.id} back: it no longer needs your onsite support.`,
  ]);
}

const CLOCK_WORDS = {
  response: 'first response',
  update: 'status update',
  resolution: 'resolution',
} as const;

/** To the escalation address, the plan's escalation contacts and the assignee. */
export function breach(
  ticket: TicketRecord,
  plan: Plan,
  customer: CustomerRecord,
  deadline: Deadline,
): MailDraft {
  const due = localTime(plan, ticket, deadline.at);
  return draft(
    'breach',
    escalationAddresses(plan, ticket),
    subject(ticket, `SLA breach: ${ticket.priority} ${deadline.clock} for ${customer.name} was due ${due}`),
    [
      `The ${CLOCK_WORDS[deadline.clock]} on ticket ${ticket.id} for ${customer.name} (${plan.name}) was due at ${due} and has not happened.`,
      `Ticket: ${ticket.id} — "${oneLine(ticket.subject)}". Priority: ${ticket.priority}. Clock: ${deadline.clock}. Due: ${due}.`,
      `Assignee: ${ticket.assignee ? `${assigneeName(ticket)} <${ticket.assignee}>` : 'nobody'}.`,
    ],
  );
}

/** To the assignee, or the team address, before a clock breaches. */
export function warning(
  ticket: TicketRecord,
  plan: Plan,
  customer: CustomerRecord,
  breachAt: Instant,
  deadline: Deadline,
): MailDraft {
  const due = localTime(plan, ticket, breachAt);
  return draft(
    'warning',
    [ticket.assignee ?? config().TEAM_EMAIL],
    subject(ticket, `SLA warning: ${ticket.priority} ${deadline.clock} due ${due}`),
    [
      `The ${CLOCK_WORDS[deadline.clock]} on ticket ${ticket.id} for ${customer.name} will breach at ${due} unless someone acts.`,
      `Ticket: ${ticket.id} — "${oneLine(ticket.subject)}". Priority: ${ticket.priority}. Clock: ${deadline.clock}.`,
    ],
  );
}

/**
 * Whether an automatic mail about `about` to `scope` is the first of its window (`windowMs`
 * long, from the epoch): claims it if so. What keeps an automatic answer to once a day per
 * thread (RFC 3834) and a group of alerts to one mail.
 */
export function firstInWindow(
  deps: Pick<Deps, 'clock' | 'inbound'>,
  scope: string,
  about: unknown[],
  windowMs: number,
): Promise<boolean> {
  const digest = createHash('sha256').update(JSON.stringify(about)).digest('base64url').slice(0, 22);
  const window = new Date(Math.floor(deps.clock.now() / windowMs) * windowMs).toISOString();
  return deps.inbound.allowAutoReply(`${scope}#${digest}`, window, 1);
}
