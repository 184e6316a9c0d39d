// How records look on the wire: ISO times, the ticket's `sla` exactly as PRODUCT.md defines
// it, and a timeline without internal notes for customers.

import type { SlaState } from '../../domain/clocks';
import { formatBusinessMs } from '../../domain/duration';
import type { ClockExplanation } from '../../domain/explain';
import type { ListedTicket } from '../../domain/views';
import type { Principal } from '../app/common';
import { assigneeName, iso, isoOrNull, nameFromAddress } from '../app/common';
import type { ChainView } from '../app/paging';
import { revisionOf } from '../app/ticket-writes';
import type { TicketView } from '../app/tickets';
import type { Attachment, FromMail, TicketRecord, TimelineEntry } from '../ports';

// Internal to the desk: never shown to a customer key.
const INTERNAL = new Set(['mail', 'warning', 'team', 'tags', 'page-failed']);

/**
 * What a customer sees of one timeline entry, or null for what they never see: internal
 * notes, warnings and mail; no API key ids, no notes of time entries (minutes only), and
 * assignees by their display name, never their address.
 */
function customerEntry(entry: TimelineEntry): Record<string, unknown> | null {
  if (INTERNAL.has(entry.type) || (entry.type === 'message' && entry.internal)) return null;
  const actor = entry.actor && {
    role: entry.actor.role,
    name: entry.actor.name,
    ...(entry.actor.staffId ? { staffId: entry.actor.staffId } : {}),
  };
  // Someone was paged (a page that reached a person), never who, how, or the steps that reached no one.
  if (entry.type === 'page')
    return entry.by === 'page' && entry.to
      ? { seq: entry.seq, at: entry.at, type: 'paged', actor: null }
      : null;
  if (entry.type === 'acknowledged') return { seq: entry.seq, at: entry.at, type: entry.type, actor: null };
  if (entry.type === 'time-entry') {
    return { seq: entry.seq, at: entry.at, type: entry.type, actor, minutes: entry.minutes };
  }
  if (entry.type === 'routed') {
    // The partners by name: their addresses and the agent's note are for the desk.
    return {
      seq: entry.seq,
      at: entry.at,
      type: entry.type,
      actor,
      from: entry.from && { name: entry.from.name },
      to: entry.to && { name: entry.to.name },
    };
  }
  if (entry.type === 'assignee') {
    const named = (address: string | null, name: string | null | undefined) =>
      address === null ? null : (name ?? nameFromAddress(address));
    return {
      seq: entry.seq,
      at: entry.at,
      type: entry.type,
      actor,
      from: named(entry.from, entry.fromName),
      to: named(entry.to, entry.toName),
    };
  }
  // The received mail and what was wrong with it are for the desk.
  const { original: _original, mailProblem: _problem, ...shown } = entry as TimelineEntry & FromMail;
  return { ...shown, actor };
}

/** What staff see of one entry: a mail as its purpose, recipients, subject and when it went out. */
function staffEntry(entry: TimelineEntry): Record<string, unknown> {
  if (entry.type === 'page') {
    // The link's hash stays inside.
    const { tokenHash: _hash, ...shown } = entry;
    return shown;
  }
  if (entry.type !== 'mail') return { ...entry };
  return {
    seq: entry.seq,
    at: entry.at,
    type: entry.type,
    actor: entry.actor,
    purpose: entry.purpose,
    to: entry.to,
    subject: entry.subject,
    sentAt: entry.sentAt ?? null,
  };
}

/**
 * Attachments as links: `GET /tickets/{id}/attachments/{seq}/{i}`, the received mail as
 * `…/{seq}/original`; the store's keys stay inside.
 */
function withLinks(ticketId: string, shown: Record<string, unknown>): Record<string, unknown> {
  const files = shown.attachments as Attachment[] | undefined;
  const original = shown.original as Attachment | undefined;
  if (!files?.length && !original) return shown;
  const link = (a: Attachment, index: number | 'original') => ({
    name: a.name,
    type: a.type,
    size: a.size,
    href: `/tickets/${ticketId}/attachments/${shown.seq}/${index}`,
  });
  return {
    ...shown,
    ...(files?.length ? { attachments: files.map(link) } : {}),
    ...(original ? { original: link(original, 'original') } : {}),
  };
}

/** The stored file behind an attachment link, if the caller may see its entry (as the timeline decides). */
export function visibleAttachment(
  view: TicketView,
  principal: Principal,
  seq: number,
  index: number | 'original',
): Attachment | null {
  const entry = view.timeline.find((e) => e.seq === seq);
  if (!entry || (principal.role === 'customer' ? !customerEntry(entry) : !staffEntry(entry))) return null;
  const shown = principal.role === 'customer' ? customerEntry(entry) : entry;
  const { attachments, original } = shown as { attachments?: Attachment[]; original?: Attachment };
  return (index === 'original' ? original : attachments?.[index]) ?? null;
}

export function ticketJson(view: TicketView, principal: Principal) {
  const { ticket, sla } = view;
  const customer = principal.role === 'customer';
  const timeline = view.timeline.flatMap((e) => {
    const shown = customer ? customerEntry(e) : staffEntry(e);
    return shown ? [withLinks(ticket.id, shown)] : [];
  });
  return {
    ...ticketFields(ticket, principal),
    description: ticket.description,
    sla: slaJson(sla),
    timeline,
  };
}

/** The ticket's `sla` object exactly as PRODUCT.md defines it. */
export function slaJson(sla: SlaState) {
  return {
    responseDueAt: isoOrNull(sla.response.dueAt),
    respondedAt: isoOrNull(sla.respondedAt),
    nextUpdateDueAt: isoOrNull(sla.update.dueAt),
    resolutionDueAt: isoOrNull(sla.resolution.dueAt),
    paused: sla.paused,
    escalationLevel: sla.escalationLevel,
    breaches: sla.breaches.map((b) => ({
      clock: b.clock,
      dueAt: isoOrNull(b.dueAt)!,
      breachedAt: isoOrNull(b.breachedAt)!,
    })),
  };
}

function ticketFields(t: TicketRecord, principal: Principal) {
  return {
    id: t.id,
    customerId: t.customerId,
    planId: t.planId,
    subject: t.subject,
    priority: t.priority,
    category: t.category,
    component: t.component ?? null,
    device: t.device ?? null,
    channel: t.channel,
    requesterEmail: t.requesterEmail,
    externalRef: t.externalRef ?? null,
    status: t.status,
    // Customers see who handles their ticket by name; the address is staff-only.
    assignee: principal.role === 'customer' ? assigneeName(t) : t.assignee,
    ...(principal.role === 'customer'
      ? {}
      : {
          assigneeName: assigneeName(t),
          assigneeId: t.assigneeId ?? null,
          teamId: t.teamId ?? null,
          tags: t.tags ?? [],
        }),
    // The onsite partner: customers see the name.
    partner: t.partner ? (principal.role === 'customer' ? { name: t.partner.name } : t.partner) : null,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    version: revisionOf(t),
  };
}

export function ticketSummaryJson(t: TicketRecord, principal: Principal) {
  const warnings = t.deadlines.filter((d) => d.kind === 'warning').map((d) => d.at);
  return {
    ...ticketFields(t, principal),
    nextBreachAt: t.nextBreachAt,
    nextWarningAt: warnings.length ? isoOrNull(Math.min(...warnings)) : null,
    breached: t.breached,
  };
}

/** A list row: what everyone sees of it, and for staff its tags, category, assignee and team. */
export function listedJson(t: ListedTicket, principal: Principal) {
  const at = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: t.id,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    customerId: t.customerId,
    customerName: t.customerName,
    requesterName: t.requesterName,
    requesterEmail: t.requesterEmail,
    assigneeName: t.assigneeName,
    planId: t.planId,
    nextClock: t.nextClock,
    nextDueAt: at(t.nextDueAt),
    nextWarningAt: at(t.nextWarningAt ?? null),
    breached: t.breached,
    createdAt: at(t.createdAt)!,
    updatedAt: at(t.updatedAt)!,
    resolvedAt: at(t.resolvedAt),
    ...(principal.role === 'customer'
      ? {}
      : { category: t.category, tags: t.tags, assigneeId: t.assigneeId, teamId: t.teamId }),
  };
}

/** Who a customer's other systems are: what they receive is what the customer's own key sees. */
const CUSTOMER_SYSTEM: Principal = {
  keyId: 'integration',
  name: 'integration',
  role: 'customer',
  customerId: null,
};

/**
 * A webhook event's `ticket` and `message`, as a customer sees them (the ticket without its
 * assignee's address, the entry as the customer's timeline shows it, or none for what the
 * customer never sees).
 */
export function customerEventJson(ticket: TicketRecord, entry: TimelineEntry) {
  const shown = customerEntry(entry);
  return {
    ticket: { ...ticketSummaryJson(ticket, CUSTOMER_SYSTEM), description: ticket.description },
    ...(entry.type === 'message' && shown ? { message: withLinks(ticket.id, shown) } : {}),
  };
}

/** A chain of escalation steps on the wire (staff only). */
export function chainJson(chain: ChainView) {
  return {
    key: chain.key,
    on: chain.on,
    startedAt: iso(chain.startedAt),
    steps: chain.steps.map((s) => ({ ...s, dueAt: iso(s.dueAt), at: isoOrNull(s.at) })),
    acknowledged: chain.acknowledged && { ...chain.acknowledged, at: iso(chain.acknowledged.at) },
  };
}

/** Why each clock is due when it is; for staff, also the escalation steps its breaches and warnings began. */
export function explanationJson(
  { clocks, chains }: { clocks: ClockExplanation[]; chains: ChainView[] },
  principal: Principal,
) {
  const staff = principal.role !== 'customer';
  return clocks.map((c) => ({
    ...(staff
      ? { escalation: chains.filter((ch) => ch.key.startsWith(`${c.clock}#${c.cycle}#`)).map(chainJson) }
      : {}),
    clock: c.clock,
    cycle: c.cycle,
    state: c.state,
    priority: c.priority,
    override: c.override,
    target: c.target,
    plan: c.plan,
    calendar: c.calendar,
    startedAt: isoOrNull(c.startedAt),
    dueAt: isoOrNull(c.dueAt),
    stoppedAt: isoOrNull(c.stoppedAt),
    businessTarget: c.businessTarget === null ? null : formatBusinessMs(c.businessTarget),
    businessUsed: formatBusinessMs(c.businessUsed),
    segments: c.segments.map((s) => ({
      from: isoOrNull(s.from)!,
      to: isoOrNull(s.to)!,
      kind: s.kind,
      ...(s.reason ? { reason: s.reason } : {}),
      counted: formatBusinessMs(s.counted),
    })),
    summary: c.summary,
  }));
}
