// Onsite partners (Ombori): admins keep them; agents route a ticket to one, who is mailed the
// summary and answers by replying to that mail (inbound.ts files the reply here). The
// customer's clocks keep running throughout (domain/partners.ts, domain/ticket.ts).
import { foldClocks } from '../../domain/clocks';
import { NotFound, RuleViolation } from '../../domain/errors';
import { checkRouting, servesRegion } from '../../domain/partners';
import { partnerMessage } from '../../domain/ticket';
import type { Attachment, Deps, NewTimelineEntry, Partner, PartnerRef, TimelineEntry } from '../ports';
import { iso, newId, type Principal, requireRole } from './common';
import { partnerRouting, partnerWithdrawn } from './mail';
import { fromMail, historyOf, mailEntry } from './ticket-writes';
import { actorOf, change, type TicketView } from './tickets';

export interface PartnerInput {
  name: string;
  email: string;
  regions: string[];
}

export async function createPartner(deps: Deps, principal: Principal, input: PartnerInput): Promise<Partner> {
  requireRole(principal, ['admin'], 'keep onsite partners');
  const at = iso(deps.clock.now());
  const partner: Partner = {
    id: newId('PTN'),
    ...input,
    regions: [...new Set(input.regions)],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  await deps.partners.create(partner);
  return partner;
}

export async function getPartner(deps: Deps, principal: Principal, id: string): Promise<Partner> {
  requireRole(principal, ['admin', 'agent'], 'read onsite partners');
  const partner = await deps.partners.get(id);
  if (!partner) throw new NotFound('partner', id);
  return partner;
}

/** Every partner by name; with a region, those who serve it. */
export async function listPartners(deps: Deps, principal: Principal, region?: string): Promise<Partner[]> {
  requireRole(principal, ['admin', 'agent'], 'read onsite partners');
  const all = await deps.partners.list();
  return region ? all.filter((p) => servesRegion(p.regions, region)) : all;
}

export async function updatePartner(
  deps: Deps,
  principal: Principal,
  id: string,
  input: Partial<PartnerInput>,
): Promise<Partner> {
  requireRole(principal, ['admin'], 'keep onsite partners');
  const before = await getPartner(deps, principal, id);
  const partner: Partner = {
    ...before,
    ...input,
    regions: [...new Set(input.regions ?? before.regions)],
    updatedAt: iso(deps.clock.now()),
    version: before.version + 1,
  };
  await deps.partners.update(partner, before);
  return partner;
}

/** Tickets routed to a removed partner keep its name and address: their replies still thread. */
export async function removePartner(deps: Deps, principal: Principal, id: string): Promise<void> {
  requireRole(principal, ['admin'], 'keep onsite partners');
  if (!(await deps.partners.remove(id))) throw new NotFound('partner', id);
}

/**
 * Routes a ticket to a partner (or, with `partnerId` null, takes it back): a `routed` entry, the
 * summary mailed to the partner, and a word to the one it is taken from. Routing to the same
 * partner again mails them again, with the new note.
 */
export async function routeTicket(
  deps: Deps,
  principal: Principal,
  ticketId: string,
  input: { partnerId: string | null; note?: string | undefined },
): Promise<TicketView> {
  requireRole(principal, ['admin', 'agent'], 'route tickets to onsite partners');
  const found = input.partnerId === null ? null : await deps.partners.get(input.partnerId);
  if (input.partnerId !== null && !found) {
    throw new RuleViolation('unknown-partner', `partner ${input.partnerId} does not exist`, 'partnerId');
  }
  const to: PartnerRef | null = found && { id: found.id, name: found.name, email: found.email };
  return change(deps, principal, ticketId, async ({ ticket, plan, timeline }, at) => {
    const from = ticket.partner ?? null;
    if (!to && !from) {
      throw new RuleViolation('not-routed', `ticket ${ticketId} is not routed to a partner`, 'partnerId');
    }
    if (to) checkRouting(plan, ticket.status, ticketId);
    const actor = actorOf(principal);
    const entries: NewTimelineEntry[] = [{ type: 'routed', at, actor, from, to, note: input.note ?? null }];
    if (from && from.id !== to?.id)
      entries.push(mailEntry(partnerWithdrawn(ticket, from, principal.name), at));
    if (to) {
      const customer = await deps.directory.getCustomer(ticket.customerId);
      if (!customer) throw new Error(`customer ${ticket.customerId} of ticket ${ticketId} is missing`);
      const sla = foldClocks(plan, historyOf(timeline), Date.parse(at));
      const route = { partner: to, agent: principal.name, note: input.note ?? null };
      entries.push(mailEntry(partnerRouting({ ...ticket, partner: to }, plan, customer, sla, route), at));
    }
    return { patch: { partner: to }, entries };
  });
}

/** The partner a mail from `address` answers for, if the ticket was ever routed to them. */
export function routedPartner(timeline: readonly TimelineEntry[], address: string): PartnerRef | null {
  const lower = address.toLowerCase();
  for (let i = timeline.length - 1; i >= 0; i--) {
    const e = timeline[i]!;
    if (e.type === 'routed' && e.to?.email.toLowerCase() === lower) return e.to;
  }
  return null;
}

/** A partner's reply, as an internal partner message (once per mail). */
export function postPartnerMessage(
  deps: Deps,
  ticketId: string,
  partner: PartnerRef,
  input: { body: string; sourceMessageId: string; attachments: Attachment[]; original?: Attachment },
): Promise<TicketView> {
  const principal: Principal = { keyId: 'inbound-mail', name: partner.name, role: 'agent', customerId: null };
  return change(deps, principal, ticketId, ({ ticket, timeline }, at) => {
    const from = input.sourceMessageId;
    if (timeline.some((e) => e.type === 'message' && e.sourceMessageId === from)) return null;
    if (ticket.status === 'closed') {
      throw new RuleViolation('ticket-closed', `ticket ${ticketId} is closed`);
    }
    const { author, internal } = partnerMessage(Date.parse(at));
    const entry: NewTimelineEntry = {
      type: 'message',
      at,
      actor: { role: 'partner', name: partner.name },
      author,
      internal,
      body: input.body,
      ...fromMail(input),
    };
    return { entries: [entry] };
  });
}
