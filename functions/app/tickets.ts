// Ticket use cases: open, read, list, message, change status, patch, log time, explain.
// Each mutation goes through writeTicket (one conditional transaction with its timeline
// entries, deadlines and queued mail), then afterWrite (scheduler, immediate escalations, mail).
import { createHash } from 'node:crypto';
import { foldClocks, type SlaState } from '../../domain/clocks';
import { Forbidden, RuleViolation } from '../../domain/errors';
import { aroundTheClock, pagesAtOnce } from '../../domain/escalation-policy';
import { explain } from '../../domain/explain';
import { type Channel, defaultChannel, levelCalendar, type Plan, type Priority } from '../../domain/plans';
import { changedTags } from '../../domain/tags';
import {
  type Category,
  changeStatus as domainChangeStatus,
  postMessage as domainPostMessage,
  mentionsKeyword,
  type Status,
} from '../../domain/ticket';
import { ClaimTaken, ExternalRefTaken } from '../adapters/aws/ticket-store';
import { config } from '../config';
import { errorFields, logger } from '../observability';
import type {
  Actor,
  Attachment,
  ChatThread,
  Deps,
  NewTimelineEntry,
  Page,
  StaffRecord,
  TeamRecord,
  TicketQuery,
  TicketRecord,
  TimelineEntry,
} from '../ports';
import { afterWrite, scheduleWrite } from './attend';
import { activeStaff, assigneeName, contactOf, iso, newId, type Principal, requireRole } from './common';
import { acknowledgement, agentReply, keywordEscalation, majorIncident } from './mail';
import { escalationOf } from './paging';
import {
  customerOf,
  type Decision,
  fromMail,
  historyOf,
  type Loaded,
  loadTicket,
  MAX_TIMELINE_LENGTH,
  mailEntry,
  type PreparedWrite,
  planOf,
  prepareWrite,
  unwritten,
  writeTicket,
} from './ticket-writes';

export interface OpenTicketInput {
  subject: string;
  description: string;
  priority: Priority;
  category?: Category | undefined;
  component?: string | undefined;
  device?: string | undefined;
  channel?: Channel | undefined;
  customerId?: string | undefined;
  requesterEmail?: string | undefined;
  /** Set for tickets opened by mail: */
  attachments?: Attachment[] | undefined;
  /** False: no acknowledgement (the sender had its automatic answer on this thread today, RFC 3834). */
  acknowledge?: boolean | undefined;
  /** False: no major-incident notice for a P1 (another alert of its group sent it). */
  announce?: boolean | undefined;
  sourceMessageId?: string | undefined;
  /** The mail's Message-ID header, which the acknowledgement answers (In-Reply-To). */
  inReplyTo?: string | undefined;
  /** For staff: the mail as received, and what was wrong with it if it was read anyway. */
  original?: Attachment | undefined;
  mailProblem?: string | undefined;
  /** A reply to a closed ticket opens a new one that names the old one. */
  relatedTicketId?: string | undefined;
  /** The client's service desk id: a second creation with it returns the first ticket. */
  externalRef?: string | undefined;
  /** The Slack thread a chat ticket was opened from. */
  chat?: ChatThread | undefined;
}

export interface TicketView {
  ticket: TicketRecord;
  timeline: TimelineEntry[];
  sla: SlaState;
  plan: Plan;
}

export function actorOf(principal: Principal): Actor {
  return {
    role: principal.role,
    name: principal.name,
    keyId: principal.keyId,
    ...(principal.staffId ? { staffId: principal.staffId } : {}),
  };
}

function view({ ticket, timeline, plan }: Loaded, now: number): TicketView {
  return { ticket, timeline, plan, sla: foldClocks(plan, historyOf(timeline), now) };
}

export async function getTicket(deps: Deps, principal: Principal, id: string): Promise<TicketView> {
  return view(await loadTicket(deps, id, principal), deps.clock.now());
}

/** The clocks as they would be if the ticket took `priority` now (nothing is written). */
export async function previewPriority(
  deps: Deps,
  principal: Principal,
  id: string,
  priority: Priority,
): Promise<SlaState> {
  requireRole(principal, ['agent', 'admin'], 'preview a priority change');
  const { ticket, timeline, plan } = await loadTicket(deps, id, principal);
  const last = timeline.length ? Date.parse(timeline[timeline.length - 1]!.at) : 0;
  const now = Math.max(deps.clock.now(), last);
  const history = historyOf(timeline);
  if (priority !== ticket.priority)
    history.push({ type: 'priority', at: now, from: ticket.priority, to: priority });
  return foldClocks(plan, history, now);
}

export async function explainTicket(deps: Deps, principal: Principal, id: string) {
  const { ticket, timeline, plan } = await loadTicket(deps, id, principal);
  return {
    clocks: explain(plan, historyOf(timeline), deps.clock.now()),
    chains: escalationOf(plan, ticket.priority, timeline),
  };
}

/** The ticket's escalation chains step by step (staff): who was paged, when, who acknowledged. */
export async function escalationOfTicket(deps: Deps, principal: Principal, id: string) {
  requireRole(principal, ['admin', 'agent'], 'see who was paged');
  const { ticket, timeline, plan } = await loadTicket(deps, id, principal);
  return escalationOf(plan, ticket.priority, timeline);
}

export async function listTickets(
  deps: Deps,
  principal: Principal,
  query: TicketQuery & { breached?: boolean; externalRef?: string | undefined },
  limit: number,
  cursor?: string,
): Promise<Page<TicketRecord>> {
  if (principal.role === 'customer' && query.customerId && query.customerId !== principal.customerId) {
    throw new Forbidden('a customer key lists its own customer’s tickets only');
  }
  if (principal.role === 'customer' && (query.assignee || query.teamId)) {
    throw new Forbidden('customers see assignees by name; filtering by an agent or a team is for staff');
  }
  if (query.assignee === 'me') {
    const person = principal.staffId ? await deps.staff.getStaff(principal.staffId) : null;
    if (!person)
      throw new RuleViolation(
        'no-person',
        'this key belongs to a system, not a person: name an address',
        'assignee',
      );
    query = { ...query, assignee: person.email };
  }
  if (query.externalRef) {
    const customerId = principal.role === 'customer' ? principal.customerId! : query.customerId;
    if (!customerId) {
      throw new RuleViolation(
        'customer-required',
        'an externalRef is unique per customer: name the customerId',
        'customerId',
      );
    }
    const found = await ticketOfRef(deps, principal, customerId, query.externalRef);
    return { items: found ? [found.ticket] : [], nextCursor: null };
  }
  const { breached, externalRef: _ref, ...rest } = query;
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
): Promise<{ view: TicketView; replayed: boolean; existing?: boolean }> {
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

  const known = input.externalRef && (await ticketOfRef(deps, principal, customerId, input.externalRef));
  if (known) return { view: known, replayed: false, existing: true };

  const customer = await customerOf(deps, customerId);
  if (!customer)
    throw new RuleViolation('unknown-customer', `customer ${customerId} does not exist`, 'customerId');
  const plan = await planOf(deps, customer.planId);
  const channel = input.channel ?? defaultChannel(plan);
  if (!channel || !plan.channels.includes(channel)) {
    const accepted = plan.channels.length
      ? `accepts tickets by ${plan.channels.join(', ')}`
      : 'includes no ticket channels';
    const came = channel ? `this ticket came by ${channel}` : 'name the channel this ticket came by';
    throw new RuleViolation('channel-not-included', `plan ${plan.id} ${accepted}; ${came}`, 'channel');
  }
  // A contact signed in to the portal files as themselves.
  const contactEmail = principal.contactEmail ?? null;
  if (
    contactEmail &&
    input.requesterEmail &&
    input.requesterEmail.toLowerCase() !== contactEmail.toLowerCase()
  ) {
    throw new Forbidden('a signed-in contact files tickets as themselves');
  }
  const requesterEmail = input.requesterEmail ?? contactEmail ?? undefined;
  const requester = requesterEmail
    ? contactOf(customer, requesterEmail)
    : customer.contacts.find((c) => c.mayOpenTickets);
  if (!requester) {
    throw requesterEmail
      ? new RuleViolation(
          'unknown-requester',
          `${requesterEmail} is not a contact of customer ${customer.id}`,
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
  const base: TicketRecord = {
    id: newId('TKT'),
    customerId: customer.id,
    planId: plan.id,
    planVersion: plan.version,
    subject: input.subject,
    description: input.description,
    priority: input.priority,
    category: input.category ?? null,
    component: input.component ?? null,
    device: input.device ?? null,
    channel,
    requesterEmail: requester.email,
    externalRef: input.externalRef ?? null,
    ...(input.chat ? { chat: input.chat } : {}),
    status: 'new',
    // The customer's support manager takes its tickets unless someone else is assigned.
    assignee: customer.supportManager?.email ?? null,
    assigneeName: customer.supportManager?.name ?? null,
    assigneeId: customer.supportManager?.staffId ?? null,
    createdAt: at,
    updatedAt: at,
    ...unwritten(),
  };
  const entries: NewTimelineEntry[] = [
    {
      type: 'created',
      at,
      actor,
      priority: input.priority,
      category: input.category ?? null,
      channel,
      ...(input.relatedTicketId ? { relatedTicketId: input.relatedTicketId } : {}),
      ...fromMail(input),
    },
  ];
  const text = `${input.subject}\n${input.description}`;
  const keyword = principal.role === 'customer' && mentionsKeyword(text, plan.escalation.keyword);
  const atOnce = pagesAtOnce({
    priority: input.priority,
    aroundTheClock: aroundTheClock(levelCalendar(plan, input.priority)),
    keyword,
  });
  if (atOnce === 'p1-around-the-clock') entries[0] = { ...entries[0]!, pages: true } as NewTimelineEntry;
  if (keyword) entries.push({ type: 'escalated', at, actor, reason: 'keyword', pages: true });
  // The acknowledgement names the committed response time, which the fold computes.
  const sla = foldClocks(
    plan,
    [{ type: 'created', at: now, priority: input.priority, category: input.category ?? null }],
    now,
  );
  const ack = acknowledgement(base, plan, sla);
  if (input.acknowledge !== false)
    entries.push(mailEntry(input.inReplyTo ? { ...ack, inReplyTo: input.inReplyTo } : ack, at));
  if (input.priority === 'P1' && input.announce !== false)
    entries.push(mailEntry(majorIncident(base, customer), at));
  if (keyword) entries.push(mailEntry(keywordEscalation(base, plan, customer, text), at));
  const write = prepareWrite(base, 0, plan, [], entries, now);

  const expiresAt = iso(now + config().IDEMPOTENCY_TTL_HOURS * 3_600_000);
  // The deadline events are created while the ticket is written, not after: a new ticket has
  // none to move, and an event of a ticket that was never written finds no ticket and does
  // nothing (attend: stale). When the write fails they are deleted again.
  const scheduling = scheduleWrite(deps, write);
  scheduling.catch(() => {}); // awaited below, by afterWrite or the failure
  try {
    await deps.tickets.create(write.record, write.entries, claim && { ...claim, claimedAt: at, expiresAt });
  } catch (error) {
    await unschedule(deps, write, scheduling);
    if (error instanceof ExternalRefTaken) {
      // A concurrent creation with the same externalRef won: answer with its ticket.
      const winner = await ticketOfRef(deps, principal, customer.id, error.externalRef);
      if (winner) return { view: winner, replayed: false, existing: true };
    }
    if (!(error instanceof ClaimTaken) || !claim) throw error;
    // A concurrent retry of the same request won: answer with its ticket.
    const replay = await replayClaim(deps, principal, claim, 20);
    if (!replay) throw error;
    return { view: replay, replayed: true };
  }
  const after = await afterWrite(deps, write, plan, scheduling);
  return {
    view: after ? view(after, deps.clock.now()) : await getTicket(deps, principal, write.record.id),
    replayed: false,
  };
}

/** The events scheduled for a creation that was not written, deleted (those left fire stale). */
async function unschedule(deps: Deps, write: PreparedWrite, scheduling: Promise<void>): Promise<void> {
  await scheduling.catch(() => {});
  await deps.scheduler.cancel(write.record.id, write.schedule.add).catch((error: unknown) =>
    logger.warn('the events of a ticket not written were not deleted; they will fire stale', {
      ticketId: write.record.id,
      ...errorFields(error),
    }),
  );
}

function hashRequest(input: OpenTicketInput): string {
  const fields = Object.entries(input).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** The customer's ticket with this externalRef, as the caller may see it, or null. */
async function ticketOfRef(
  deps: Deps,
  principal: Principal,
  customerId: string,
  externalRef: string,
): Promise<TicketView | null> {
  const id = await deps.tickets.findByExternalRef(customerId, externalRef);
  return id ? getTicket(deps, principal, id) : null;
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

/** A change by a caller: written, followed up, and returned as the caller may see it. */
export async function change(
  deps: Deps,
  principal: Principal,
  id: string,
  decide: (loaded: Loaded, at: string) => Decision | Promise<Decision>,
  expectedVersion?: number,
): Promise<TicketView> {
  const full = (l: Loaded, now: number) => {
    if (l.ticket.timelineLength >= MAX_TIMELINE_LENGTH) {
      throw new RuleViolation(
        'ticket-full',
        `ticket ${id} has ${l.ticket.timelineLength} timeline entries, the most one ticket keeps; open a new ticket that mentions ${id}`,
      );
    }
    return decide(l, iso(now));
  };
  const { loaded, write } = await writeTicket(deps, id, full, {
    principal,
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  });
  if (!write) return view(loaded, deps.clock.now());
  const after = await afterWrite(deps, write, loaded.plan);
  return after ? view(after, deps.clock.now()) : getTicket(deps, principal, id);
}

export function postMessage(
  deps: Deps,
  principal: Principal,
  id: string,
  input: {
    body: string;
    internal?: boolean | undefined;
    /** A mail's message id: the same mail never adds two messages. */
    sourceMessageId?: string | undefined;
    attachments?: Attachment[] | undefined;
    original?: Attachment | undefined;
    mailProblem?: string | undefined;
  },
  expectedVersion?: number,
): Promise<TicketView> {
  const author = principal.role === 'customer' ? 'customer' : 'agent';
  if (author === 'customer' && input.internal) throw new Forbidden('customers cannot write internal notes');
  return change(
    deps,
    principal,
    id,
    async ({ ticket, plan, timeline }, at) => {
      const from = input.sourceMessageId;
      if (from && timeline.some((e) => e.type === 'message' && e.sourceMessageId === from)) return null;
      if (ticket.status === 'closed') {
        throw new RuleViolation(
          'ticket-closed',
          `ticket ${id} is closed; open a new ticket and mention ${id}`,
        );
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
          ? {
              type: 'message',
              at,
              actor,
              author,
              internal,
              body: input.body,
              ...fromMail(input),
            }
          : { type: 'status', at, actor, from: ticket.status, to: (e as { to: Status }).to },
      );
      if (author === 'agent' && !internal)
        entries.push(mailEntry(agentReply(ticket, principal.name, input.body), at));
      if (author === 'customer' && mentionsKeyword(input.body, plan.escalation.keyword)) {
        const customer = await deps.directory.getCustomer(ticket.customerId);
        entries.push({ type: 'escalated', at, actor, reason: 'keyword', pages: true });
        if (customer) entries.push(mailEntry(keywordEscalation(ticket, plan, customer, input.body), at));
      }
      return { entries };
    },
    expectedVersion,
  );
}

export function changeStatus(
  deps: Deps,
  principal: Principal,
  id: string,
  to: Status,
  expectedVersion?: number,
): Promise<TicketView> {
  return change(
    deps,
    principal,
    id,
    ({ ticket }, at) => {
      const event = domainChangeStatus(ticket.status, to, principal.role, Date.parse(at));
      return { entries: [{ type: 'status', at, actor: actorOf(principal), from: event.from, to: event.to }] };
    },
    expectedVersion,
  );
}

/** Who a ticket may be assigned to: an active staff member, by id or address; null for nobody. */
async function assigneeOf(
  deps: Deps,
  input: { assignee?: string | null | undefined; assigneeId?: string | null | undefined },
): Promise<StaffRecord | null | undefined> {
  if (input.assigneeId !== undefined) {
    if (input.assigneeId === null) return null;
    return activeStaff(await deps.staff.getStaff(input.assigneeId), input.assigneeId, 'assigneeId');
  }
  if (input.assignee === undefined || input.assignee === null) return input.assignee;
  const person = await deps.staff.staffByEmail(input.assignee);
  return activeStaff(
    person,
    input.assignee,
    'assignee',
    'unknown-staff',
    '; invite them first (POST /staff)',
  );
}

/** The team named among `teams`; null for none, undefined where none was named. */
function teamOf(teams: TeamRecord[], teamId: string | null | undefined): TeamRecord | null | undefined {
  if (teamId === undefined || teamId === null) return teamId;
  const team = teams.find((t) => t.id === teamId);
  if (!team) throw new RuleViolation('unknown-team', `team ${teamId} does not exist`, 'teamId');
  return team;
}

export async function patchTicket(
  deps: Deps,
  principal: Principal,
  id: string,
  input: {
    priority?: Priority | undefined;
    /** A staff member's address, or (preferred) their id; null unassigns. */
    assignee?: string | null | undefined;
    assigneeId?: string | null | undefined;
    teamId?: string | null | undefined;
    category?: Category | null | undefined;
    component?: string | null | undefined;
    device?: string | null | undefined;
    /** The ticket's tags, whole (domain/tags.ts); staff-only. */
    tags?: string[] | undefined;
    /** Or tags to add and remove, applied to the tags as stored when the write is decided. */
    addTags?: string[] | undefined;
    removeTags?: string[] | undefined;
  },
  expectedVersion?: number,
): Promise<TicketView> {
  requireRole(
    principal,
    ['agent', 'admin'],
    'change priority, assignee, team, category, component, device or tags',
  );
  const person = await assigneeOf(deps, input);
  // Read once: the team named, and the name of the one it had (for the timeline).
  const teams = input.teamId === undefined ? [] : await deps.staff.listTeams();
  const team = teamOf(teams, input.teamId);
  return change(
    deps,
    principal,
    id,
    ({ ticket }, at) => {
      const actor = actorOf(principal);
      const entries: NewTimelineEntry[] = [];
      const patch: NonNullable<Decision>['patch'] = {};
      if (input.priority !== undefined && input.priority !== ticket.priority) {
        entries.push({ type: 'priority', at, actor, from: ticket.priority, to: input.priority });
        patch.priority = input.priority;
      }
      if (person !== undefined && (person?.email ?? null) !== ticket.assignee) {
        entries.push({
          type: 'assignee',
          at,
          actor,
          from: ticket.assignee,
          to: person?.email ?? null,
          fromName: assigneeName(ticket),
          toName: person?.name ?? null,
          fromId: ticket.assigneeId ?? null,
          toId: person?.id ?? null,
        });
        patch.assignee = person?.email ?? null;
        patch.assigneeName = person?.name ?? null;
        patch.assigneeId = person?.id ?? null;
      }
      if (team !== undefined && (team?.id ?? null) !== (ticket.teamId ?? null)) {
        const fromName = teams.find((t) => t.id === ticket.teamId)?.name ?? null;
        entries.push({
          type: 'team',
          at,
          actor,
          from: ticket.teamId ?? null,
          to: team?.id ?? null,
          fromName,
          toName: team?.name ?? null,
        });
        patch.teamId = team?.id ?? null;
      }
      if (input.category !== undefined && input.category !== ticket.category) {
        entries.push({ type: 'category', at, actor, from: ticket.category, to: input.category });
        patch.category = input.category;
      }
      const current = ticket.tags ?? [];
      const wanted =
        input.tags ??
        (input.addTags?.length || input.removeTags?.length
          ? changedTags(current, input.addTags ?? [], input.removeTags ?? [])
          : undefined);
      if (wanted !== undefined) {
        const tags = [...new Set(wanted)];
        const added = tags.filter((t) => !current.includes(t));
        const removed = current.filter((t) => !tags.includes(t));
        if (added.length || removed.length) {
          entries.push({ type: 'tags', at, actor, added, removed });
          patch.tags = tags;
        }
      }
      for (const field of ['component', 'device'] as const) {
        const to = input[field];
        const from = ticket[field] ?? null;
        if (to === undefined || to === from) continue;
        entries.push({ type: 'field', at, actor, field, from, to });
        patch[field] = to;
      }
      return { patch, entries };
    },
    expectedVersion,
  );
}

export function addTimeEntry(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { minutes: number; note?: string | undefined },
): Promise<TicketView> {
  requireRole(principal, ['agent', 'admin'], 'log time');
  return change(deps, principal, id, (_loaded, at) => ({
    entries: [
      { type: 'time-entry', at, actor: actorOf(principal), minutes: input.minutes, note: input.note ?? null },
    ],
  }));
}
