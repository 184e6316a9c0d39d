// Ticket use cases: open, read, list, message, change status, patch, log time, explain.
// Each mutation reads the ticket and its timeline, lets the domain decide, and writes the
// new version with its timeline entries in one conditional transaction.
import { createHash } from 'node:crypto';
import { foldClocks, type SlaState } from '../../domain/clocks';
import { Forbidden, NotFound, RuleViolation, VersionConflict } from '../../domain/errors';
import { explain } from '../../domain/explain';
import type { Channel, Plan, Priority } from '../../domain/plans';
import {
  type Category,
  changeStatus as domainChangeStatus,
  postMessage as domainPostMessage,
  mentionsKeyword,
  type Status,
  type TicketEvent,
} from '../../domain/ticket';
import { ClaimTaken } from '../adapters/aws/ticket-store';
import { config } from '../config';
import type { Actor, Deps, NewTimelineEntry, Page, TicketQuery, TicketRecord, TimelineEntry } from '../ports';
import { canSeeCustomer, iso, newId, type Principal, requireRole } from './common';

export interface OpenTicketInput {
  subject: string;
  description: string;
  priority: Priority;
  category?: Category | undefined;
  channel?: Channel | undefined;
  customerId?: string | undefined;
  requesterEmail?: string | undefined;
}

export interface TicketView {
  ticket: TicketRecord;
  timeline: TimelineEntry[];
  sla: SlaState;
  plan: Plan;
}

const MUTATION_ATTEMPTS = 5;

function actorOf(principal: Principal): Actor {
  return { role: principal.role, name: principal.name, keyId: principal.keyId };
}

/** The domain's history from the stored timeline. */
export function historyOf(timeline: readonly TimelineEntry[]): TicketEvent[] {
  const events: TicketEvent[] = [];
  for (const e of timeline) {
    const at = Date.parse(e.at);
    switch (e.type) {
      case 'created':
        events.push({ type: 'created', at, priority: e.priority });
        break;
      case 'message':
        events.push({ type: 'message', at, author: e.author, internal: e.internal });
        break;
      case 'status':
      case 'priority':
        events.push({ type: e.type, at, from: e.from, to: e.to } as TicketEvent);
        break;
      case 'breach':
        events.push({ type: 'breach', at, clock: e.clock, cycle: e.cycle, dueAt: Date.parse(e.dueAt) });
        break;
      case 'escalated':
        events.push({ type: 'escalated', at, reason: e.reason });
        break;
    }
  }
  return events;
}

/** The index fields a ticket carries so that lists and the sweeper need no fold. */
function slaIndex(state: SlaState): Pick<TicketRecord, 'nextBreachAt' | 'breached'> {
  const due = [state.response, state.update, state.resolution]
    .filter((c) => c.state === 'running' && c.dueAt !== null)
    .map((c) => c.dueAt!);
  return { nextBreachAt: due.length ? iso(Math.min(...due)) : null, breached: state.breaches.length > 0 };
}

async function planOf(deps: Deps, planId: string): Promise<Plan> {
  const plan = await deps.directory.getPlan(planId);
  if (!plan) throw new Error(`plan ${planId} of a stored record is missing`);
  return plan;
}

async function load(deps: Deps, principal: Principal, id: string) {
  const found = await deps.tickets.get(id);
  if (!found || !canSeeCustomer(principal, found.ticket.customerId)) throw new NotFound('ticket', id);
  return found;
}

export async function getTicket(deps: Deps, principal: Principal, id: string): Promise<TicketView> {
  const { ticket, timeline } = await load(deps, principal, id);
  const plan = await planOf(deps, ticket.planId);
  return { ticket, timeline, plan, sla: foldClocks(plan, historyOf(timeline), deps.clock.now()) };
}

export async function explainTicket(deps: Deps, principal: Principal, id: string) {
  const { ticket, timeline } = await load(deps, principal, id);
  const plan = await planOf(deps, ticket.planId);
  return explain(plan, historyOf(timeline), deps.clock.now());
}

export async function listTickets(
  deps: Deps,
  principal: Principal,
  query: TicketQuery & { breached?: boolean },
  limit: number,
  cursor?: string,
): Promise<Page<TicketRecord>> {
  if (principal.role === 'customer' && query.customerId && query.customerId !== principal.customerId) {
    throw new Forbidden('a customer key lists its own customer’s tickets only');
  }
  const { breached, ...rest } = query;
  const scoped: TicketQuery = {
    ...rest,
    ...(principal.role === 'customer' ? { customerId: principal.customerId! } : {}),
    ...(breached ? { breachedAt: iso(deps.clock.now()) } : {}),
  };
  return deps.tickets.list(scoped, limit, cursor);
}

export async function openTicket(
  deps: Deps,
  principal: Principal,
  input: OpenTicketInput,
  idempotencyKey?: string,
): Promise<{ view: TicketView; replayed: boolean }> {
  requireRole(principal, ['customer', 'agent', 'admin'], 'open tickets');
  const customerId = principal.role === 'customer' ? principal.customerId! : input.customerId;
  if (principal.role === 'customer' && input.customerId && input.customerId !== customerId) {
    throw new Forbidden('a customer key opens tickets for its own customer only');
  }
  if (!customerId)
    throw new RuleViolation(
      'customer-required',
      'an agent opening a ticket must name the customerId',
      'customerId',
    );

  const claim = idempotencyKey
    ? { key: `${principal.keyId}:${idempotencyKey}`, requestHash: hashRequest({ ...input, customerId }) }
    : undefined;
  if (claim) {
    const replay = await replayClaim(deps, principal, claim);
    if (replay) return { view: replay, replayed: true };
  }

  const customer = await deps.directory.getCustomer(customerId);
  if (!customer)
    throw new RuleViolation('unknown-customer', `customer ${customerId} does not exist`, 'customerId');
  const plan = await planOf(deps, customer.planId);
  const channel = input.channel ?? 'api';
  if (!plan.channels.includes(channel)) {
    const accepted = plan.channels.length
      ? `accepts tickets by ${plan.channels.join(', ')}`
      : 'includes no ticket channels';
    throw new RuleViolation(
      'channel-not-included',
      `plan ${plan.id} ${accepted}; this ticket came by ${channel}`,
      'channel',
    );
  }
  const requester = input.requesterEmail
    ? customer.contacts.find((c) => c.email.toLowerCase() === input.requesterEmail!.toLowerCase())
    : customer.contacts.find((c) => c.mayOpenTickets);
  if (!requester) {
    throw input.requesterEmail
      ? new RuleViolation(
          'unknown-requester',
          `${input.requesterEmail} is not a contact of customer ${customer.id}`,
          'requesterEmail',
        )
      : new RuleViolation(
          'no-seat',
          `no contact of customer ${customer.id} holds a seat of plan ${plan.id}`,
          'requesterEmail',
        );
  }
  if (!requester.mayOpenTickets) {
    throw new RuleViolation(
      'no-seat',
      `${requester.email} holds no seat: plan ${plan.id} lets ${plan.seats ?? 'any number of'} contact(s) open tickets`,
      'requesterEmail',
    );
  }

  const now = deps.clock.now();
  const at = iso(now);
  const actor = actorOf(principal);
  const entries: NewTimelineEntry[] = [{ type: 'created', at, actor, priority: input.priority, channel }];
  if (
    principal.role === 'customer' &&
    mentionsKeyword(`${input.subject}\n${input.description}`, plan.escalation.keyword)
  ) {
    entries.push({ type: 'escalated', at, actor, reason: 'keyword' });
  }
  const sla = foldClocks(plan, historyOf(numbered(entries, 0)), now);
  const ticket: TicketRecord = {
    id: newId('TKT'),
    customerId: customer.id,
    planId: plan.id,
    planVersion: plan.version,
    subject: input.subject,
    description: input.description,
    priority: input.priority,
    category: input.category ?? null,
    channel,
    requesterEmail: requester.email,
    status: 'new',
    assignee: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    timelineLength: entries.length,
    ...slaIndex(sla),
  };
  const expiresAt = iso(now + config().IDEMPOTENCY_TTL_HOURS * 3_600_000);
  try {
    await deps.tickets.create(ticket, entries, claim && { ...claim, claimedAt: at, expiresAt });
  } catch (error) {
    if (!(error instanceof ClaimTaken) || !claim) throw error;
    // A concurrent retry of the same request won: answer with its ticket.
    const replay = await replayClaim(deps, principal, claim, 20);
    if (!replay) throw error;
    return { view: replay, replayed: true };
  }
  return { view: { ticket, timeline: numbered(entries, 0), plan, sla }, replayed: false };
}

function hashRequest(input: OpenTicketInput): string {
  const fields = Object.entries(input).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

async function replayClaim(
  deps: Deps,
  principal: Principal,
  claim: { key: string; requestHash: string },
  waits = 0,
): Promise<TicketView | null> {
  for (let attempt = 0; ; attempt++) {
    const found = await deps.tickets.findClaim(claim.key, iso(deps.clock.now()));
    if (found) {
      if (found.requestHash !== claim.requestHash) {
        throw new RuleViolation(
          'idempotency-key-reused',
          'this Idempotency-Key was used for a different request; use a new key for a new ticket',
          'Idempotency-Key',
        );
      }
      return getTicket(deps, principal, found.ticketId);
    }
    // The winning transaction may still be committing; wait for it briefly.
    if (attempt >= waits) return null;
    await new Promise((r) => setTimeout(r, 25));
  }
}

function numbered(entries: NewTimelineEntry[], after: number): TimelineEntry[] {
  return entries.map((e, i) => ({ ...e, seq: after + i + 1 }) as TimelineEntry);
}

type Change = {
  patch?: Partial<Pick<TicketRecord, 'status' | 'priority' | 'assignee' | 'category'>>;
  entries: NewTimelineEntry[];
};

/**
 * Read, decide, write; retried on a concurrent write unless the caller pinned a version
 * (If-Match), in which case a conflict is the caller's to resolve (409).
 */
async function mutate(
  deps: Deps,
  principal: Principal,
  id: string,
  expectedVersion: number | undefined,
  decide: (ticket: TicketRecord, plan: Plan, at: string) => Change,
): Promise<TicketView> {
  for (let attempt = 1; ; attempt++) {
    const { ticket, timeline } = await load(deps, principal, id);
    if (expectedVersion !== undefined && ticket.version !== expectedVersion) {
      throw new VersionConflict('ticket', id, expectedVersion, ticket.version);
    }
    const plan = await planOf(deps, ticket.planId);
    // Never earlier than the last entry: the fold needs a history in time order.
    const now = Math.max(
      deps.clock.now(),
      timeline.length ? Date.parse(timeline[timeline.length - 1]!.at) : 0,
    );
    const { patch = {}, entries } = decide(ticket, plan, iso(now));
    if (entries.length === 0)
      return { ticket, timeline, plan, sla: foldClocks(plan, historyOf(timeline), now) };
    const all = [...timeline, ...numbered(entries, ticket.timelineLength)];
    const sla = foldClocks(plan, historyOf(all), now);
    const updated: TicketRecord = {
      ...ticket,
      ...patch,
      status: sla.status,
      updatedAt: iso(now),
      version: ticket.version + 1,
      timelineLength: ticket.timelineLength + entries.length,
      ...slaIndex(sla),
    };
    try {
      await deps.tickets.update(updated, ticket.version, entries);
      return { ticket: updated, timeline: all, plan, sla };
    } catch (error) {
      if (
        !(error instanceof VersionConflict) ||
        expectedVersion !== undefined ||
        attempt >= MUTATION_ATTEMPTS
      )
        throw error;
    }
  }
}

export function postMessage(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { body: string; internal?: boolean | undefined },
): Promise<TicketView> {
  const author = principal.role === 'customer' ? 'customer' : 'agent';
  if (author === 'customer' && input.internal) throw new Forbidden('customers cannot write internal notes');
  return mutate(deps, principal, id, undefined, (ticket, plan, at) => {
    if (ticket.status === 'closed') {
      throw new RuleViolation('ticket-closed', `ticket ${id} is closed; open a new ticket and mention ${id}`);
    }
    const internal = input.internal ?? false;
    const actor = actorOf(principal);
    const entries: NewTimelineEntry[] = domainPostMessage(
      ticket.status,
      author,
      internal,
      Date.parse(at),
    ).map((e) =>
      e.type === 'message'
        ? { type: 'message', at, actor, author, internal, body: input.body }
        : { type: 'status', at, actor, from: ticket.status, to: (e as { to: Status }).to },
    );
    if (author === 'customer' && mentionsKeyword(input.body, plan.escalation.keyword)) {
      entries.push({ type: 'escalated', at, actor, reason: 'keyword' });
    }
    return { entries };
  });
}

export function changeStatus(deps: Deps, principal: Principal, id: string, to: Status): Promise<TicketView> {
  return mutate(deps, principal, id, undefined, (ticket, _plan, at) => {
    const event = domainChangeStatus(ticket.status, to, principal.role, Date.parse(at));
    return { entries: [{ type: 'status', at, actor: actorOf(principal), from: event.from, to: event.to }] };
  });
}

export function patchTicket(
  deps: Deps,
  principal: Principal,
  id: string,
  input: {
    priority?: Priority | undefined;
    assignee?: string | null | undefined;
    category?: Category | null | undefined;
  },
  expectedVersion?: number,
): Promise<TicketView> {
  requireRole(principal, ['agent', 'admin'], 'change priority, assignee or category');
  return mutate(deps, principal, id, expectedVersion, (ticket, _plan, at) => {
    const actor = actorOf(principal);
    const entries: NewTimelineEntry[] = [];
    const patch: Change['patch'] = {};
    if (input.priority !== undefined && input.priority !== ticket.priority) {
      entries.push({ type: 'priority', at, actor, from: ticket.priority, to: input.priority });
      patch.priority = input.priority;
    }
    if (input.assignee !== undefined && input.assignee !== ticket.assignee) {
      entries.push({ type: 'assignee', at, actor, from: ticket.assignee, to: input.assignee });
      patch.assignee = input.assignee;
    }
    if (input.category !== undefined && input.category !== ticket.category) {
      entries.push({ type: 'category', at, actor, from: ticket.category, to: input.category });
      patch.category = input.category;
    }
    return { patch, entries };
  });
}

export function addTimeEntry(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { minutes: number; note?: string | undefined },
): Promise<TicketView> {
  requireRole(principal, ['agent', 'admin'], 'log time');
  return mutate(deps, principal, id, undefined, (_ticket, _plan, at) => ({
    entries: [
      { type: 'time-entry', at, actor: actorOf(principal), minutes: input.minutes, note: input.note ?? null },
    ],
  }));
}
