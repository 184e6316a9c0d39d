// How records look on the wire: ISO times, the ticket's `sla` exactly as PRODUCT.md defines
// it, and a timeline without internal notes for customers.

import { formatBusinessMs } from '../../domain/duration';
import type { ClockExplanation } from '../../domain/explain';
import type { Principal } from '../app/common';
import { isoOrNull } from '../app/common';
import type { TicketView } from '../app/tickets';
import type { TicketRecord, TimelineEntry } from '../ports';

// Internal to the desk: never shown to a customer key.
const INTERNAL = new Set(['mail', 'mail-sent', 'warning']);

export function ticketJson(view: TicketView, principal: Principal) {
  const { ticket, sla } = view;
  const customer = principal.role === 'customer';
  const sentAt = new Map(
    view.timeline.flatMap((e) => (e.type === 'mail-sent' ? [[e.mailSeq, e.at] as const] : [])),
  );
  const timeline = view.timeline
    .filter((e) => !(customer && (INTERNAL.has(e.type) || (e.type === 'message' && e.internal))))
    .filter((e) => e.type !== 'mail-sent')
    .map((e) =>
      // Agents see that a mail went out, to whom and when; its body stays in the store.
      e.type === 'mail'
        ? {
            seq: e.seq,
            at: e.at,
            type: e.type,
            actor: e.actor,
            purpose: e.purpose,
            to: e.to,
            subject: e.subject,
            sentAt: sentAt.get(e.seq) ?? null,
          }
        : withoutKeyId(e, customer),
    );
  return {
    ...ticketFields(ticket),
    description: ticket.description,
    sla: {
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
    },
    timeline,
  };
}

function withoutKeyId(entry: TimelineEntry, customer: boolean): TimelineEntry {
  if (!customer || !entry.actor) return entry;
  return { ...entry, actor: { role: entry.actor.role, name: entry.actor.name } };
}

function ticketFields(t: TicketRecord) {
  return {
    id: t.id,
    customerId: t.customerId,
    planId: t.planId,
    subject: t.subject,
    priority: t.priority,
    category: t.category,
    channel: t.channel,
    requesterEmail: t.requesterEmail,
    status: t.status,
    assignee: t.assignee,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    version: t.version,
  };
}

export function ticketSummaryJson(t: TicketRecord) {
  return { ...ticketFields(t), nextBreachAt: t.nextBreachAt, breached: t.breached };
}

export function explanationJson(clocks: ClockExplanation[]) {
  return clocks.map((c) => ({
    clock: c.clock,
    cycle: c.cycle,
    state: c.state,
    priority: c.priority,
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
