// Escalation chains on a ticket: a recorded warning or breach, or an escalation that pages at
// once, starts the plan's policy steps (domain/escalation-policy.ts). Each step is a one-shot
// event of its own; when it is due it is recorded on the ticket (whom it reached, or why no one)
// in a conditional write, then the page goes out through the paging port. An acknowledgement
// or a resolution makes every later page of the chains begun before it do nothing; the sweeper
// handles a step whose event was lost (the ticket's attention time includes the next step).
import { randomBytes } from 'node:crypto';
import { NotFound, RuleViolation } from '../../domain/errors';
import { type Chain, type DueStep, stepKey, stepsDue } from '../../domain/escalation-policy';
import { onCallAt } from '../../domain/on-call';
import type { Plan, Priority } from '../../domain/plans';
import { config, portalAt } from '../config';
import { count } from '../metrics';
import { errorFields, logger } from '../observability';
import type {
  Deps,
  NewTimelineEntry,
  OnCallRecord,
  PageRequest,
  PageService,
  StaffRecord,
  StepEvent,
  TicketRecord,
  TimelineEntry,
} from '../ports';
import { chainsOf, policyOf, stepsLeft, stopsOf } from './chains';
import { iso, newId, type Principal, requireRole } from './common';
import { digest } from './session-cookie';
import { type PreparedWrite, writeTicket } from './ticket-writes';

/** How long a page's one-time link acknowledges it. */
export const ACK_LINK_HOURS = 24;

/** The team that answers for a ticket: its own, else its assignee's first, else the first with an on-call. */
async function onCallFor(deps: Deps, ticket: TicketRecord, assignee: StaffRecord | null) {
  const own = ticket.teamId ?? assignee?.teams[0];
  if (own) return deps.onCall.get(own);
  for (const team of await deps.staff.listTeams()) {
    const found = await deps.onCall.get(team.id);
    if (found) return found;
  }
  return null;
}

interface Reached {
  to: StaffRecord | null;
  unreached?: string;
  onCall: OnCallRecord | null;
}

/** Whom a step reaches at `at`, or why no one. */
async function reach(deps: Deps, ticket: TicketRecord, due: DueStep, at: number): Promise<Reached> {
  const person = async (id: string | null | undefined) => {
    const found = id ? await deps.staff.getStaff(id) : null;
    return found && found.status === 'active' ? found : null;
  };
  const assignee = await person(ticket.assigneeId);
  const onCall = await onCallFor(deps, ticket, assignee);
  const recipient = due.step.to;
  if (recipient === 'assignee')
    return assignee
      ? { to: assignee, onCall }
      : { to: null, unreached: 'the ticket has no assignee', onCall };
  if (recipient === 'support-manager') {
    const customer = await deps.directory.getCustomer(ticket.customerId);
    const manager = await person(customer?.supportManager?.staffId);
    return manager
      ? { to: manager, onCall }
      : { to: null, unreached: 'the customer has no support manager', onCall };
  }
  if (!onCall) return { to: null, unreached: 'no team has an on-call schedule', onCall };
  if (recipient === 'director') {
    const director = await person(onCall.director);
    return director
      ? { to: director, onCall }
      : { to: null, unreached: 'the team names no director', onCall };
  }
  const schedule = recipient === 'on-call' ? onCall.primary : onCall.secondary;
  if (!schedule) return { to: null, unreached: 'the team has no secondary schedule', onCall };
  const now = onCallAt(schedule, at);
  if (now.staffId === null)
    return { to: null, unreached: `no one is ${recipient} until ${iso(now.until)}`, onCall };
  const on = await person(now.staffId);
  return on
    ? { to: on, onCall }
    : { to: null, unreached: `the ${recipient} (${now.staffId}) is not an active staff member`, onCall };
}

/** The service a step goes out by: a team's PagerDuty or Opsgenie, else the person's own text, Slack or mail. */
function serviceOf(by: 'notify' | 'page', to: StaffRecord, onCall: OnCallRecord | null): PageService {
  if (by === 'notify') return 'mail';
  if (onCall?.service.kind === 'pagerduty') return 'pagerduty';
  if (onCall?.service.kind === 'opsgenie') return 'opsgenie';
  return personalService(to);
}

/** How the desk pages a person itself: a text to their mobile number, else Slack, else mail. */
export const personalService = (person: StaffRecord): PageService =>
  person.phone ? 'sms' : person.slackUserId ? 'slack' : 'mail';

/** The person as a page addresses them. */
export const pageeOf = (person: StaffRecord): NonNullable<PageRequest['to']> => ({
  staffId: person.id,
  name: person.name,
  email: person.email,
  phone: person.phone ?? null,
  slackUserId: person.slackUserId ?? null,
});

const dedupKey = (ticketId: string, chain: string) => `${ticketId}/${chain}`;

/** The one-time link of a page: `ack=<ticket>.<page>.<token>` on the portal's acknowledgement page. */
export const ackUrl = (ticketId: string, pageId: string, token: string) =>
  portalAt(config(), `/#/ack/${ticketId}.${pageId}.${token}`);

export interface EscalateResult {
  outcome: 'stale' | 'nothing-due' | 'handled';
  pages: number;
}

/**
 * Records every step of the ticket's chains that is due and still acts (an event's step is
 * one of them; a stale event, of a chain not on the ticket, does nothing), then sends them.
 */
export async function escalate(deps: Deps, ticketId: string, event?: StepEvent): Promise<EscalateResult> {
  const sent: { entry: Extract<NewTimelineEntry, { type: 'page' }>; request: PageRequest }[] = [];
  let stale = false;
  let ticket: TicketRecord | undefined;
  try {
    const { write } = await writeTicket(deps, ticketId, async (loaded, now) => {
      ticket = loaded.ticket;
      sent.length = 0;
      stale =
        event !== undefined &&
        !chainsOf(loaded.timeline).some((c) => c.key === event.chain && c.seq === event.chainSeq);
      if (stale) return null;
      const due = stepsLeft(loaded.plan, loaded.ticket.priority, loaded.timeline).filter((d) => d.at <= now);
      const entries: NewTimelineEntry[] = [];
      for (const d of due) {
        const reached = await reach(deps, loaded.ticket, d, now);
        const pageId = newId('PG');
        const token = randomBytes(24).toString('base64url');
        const service = reached.to ? serviceOf(d.step.by, reached.to, reached.onCall) : null;
        const entry: Extract<NewTimelineEntry, { type: 'page' }> = {
          type: 'page',
          at: iso(now),
          actor: null,
          chain: d.chain.key,
          chainSeq: d.chain.seq,
          step: d.index,
          by: d.step.by,
          recipient: d.step.to,
          to: reached.to && { staffId: reached.to.id, name: reached.to.name },
          ...(reached.unreached ? { unreached: reached.unreached } : {}),
          service,
          pageId,
          dueAt: iso(d.at),
          ...(reached.to && d.step.by === 'page' ? { tokenHash: digest(token) } : {}),
        };
        entries.push(entry);
        if (reached.to && service)
          sent.push({
            entry,
            request: {
              pageId,
              ticketId,
              dedupKey: dedupKey(ticketId, d.chain.key),
              service,
              via: reached.onCall?.service ?? { kind: 'desk' },
              to: pageeOf(reached.to),
              summary:
                `${loaded.ticket.priority} ${loaded.ticket.id}: ${pageReason(d.chain)}: ${loaded.ticket.subject}`.slice(
                  0,
                  1024,
                ),
              severity:
                loaded.ticket.priority === 'P1'
                  ? 'critical'
                  : loaded.ticket.priority === 'P2'
                    ? 'error'
                    : 'warning',
              ackUrl: ackUrl(ticketId, pageId, token),
              ticketUrl: portalAt(config(), `/#/tickets/${ticketId}`),
            },
          });
      }
      return entries.length ? { entries } : null;
    });
    if (stale) {
      logger.info('stale escalation step ignored', { ticketId, event });
      return { outcome: 'stale', pages: 0 };
    }
    if (!write) return { outcome: 'nothing-due', pages: 0 };
  } catch (error) {
    if (error instanceof NotFound) return { outcome: 'stale', pages: 0 };
    throw error;
  }
  const failed: NewTimelineEntry[] = [];
  for (const { entry, request } of sent) {
    try {
      await deps.pager.page(request);
      count(entry.by === 'page' ? 'Pages' : 'Notifications', ticket?.planId ?? '');
    } catch (error) {
      logger.error('a page could not be sent; the chain goes on', {
        ticketId,
        pageId: entry.pageId,
        ...errorFields(error),
      });
      failed.push({
        type: 'page-failed',
        at: iso(deps.clock.now()),
        actor: null,
        pageId: entry.pageId,
        error: String((error as Error).message ?? error).slice(0, 500),
      });
    }
  }
  if (failed.length) await writeTicket(deps, ticketId, () => ({ entries: failed }));
  return { outcome: 'handled', pages: sent.length };
}

function pageReason(chain: Chain): string {
  if (chain.key.startsWith('escalated#')) return 'escalated by the customer';
  if (chain.key.startsWith('created#')) return 'new P1 on 24/7 support';
  const [clock, , kind] = chain.key.split('#');
  return `${clock} ${kind === 'breach' ? 'deadline breached' : 'deadline near'}`;
}

/**
 * After a ticket write: schedules the steps of chains it began, and handles those due now; tells
 * a team's service when a paged chain is acknowledged or resolved. Losing this loses nothing:
 * the ticket's attention time brings the sweeper.
 */
export async function afterPagingWrite(deps: Deps, write: PreparedWrite, plan: Plan): Promise<boolean> {
  const ticketId = write.record.id;
  const began = new Set(write.entries.map((e) => e.seq));
  const left = stepsLeft(plan, write.record.priority, write.timeline);
  const now = deps.clock.now();
  const future = left.filter((d) => began.has(d.chain.seq) && d.at > now);
  if (future.length)
    await deps.scheduler.scheduleSteps(
      future.map((d) => ({ ticketId, chain: d.chain.key, chainSeq: d.chain.seq, step: d.index, at: d.at })),
    );
  await closeIncidents(deps, write);
  // True: the ticket was written again.
  return left.some((d) => d.at <= now) && (await escalate(deps, ticketId)).outcome === 'handled';
}

/** Acknowledges or resolves the incidents a team's service holds for the chains this write stopped. */
async function closeIncidents(deps: Deps, write: PreparedWrite): Promise<void> {
  // An acknowledgement that came from the service itself needs no telling back.
  const acknowledged = write.entries.some(
    (e) => e.type === 'acknowledged' && e.via !== 'pagerduty' && e.via !== 'opsgenie',
  );
  const resolved = write.entries.some(
    (e) => e.type === 'status' && (e.to === 'resolved' || e.to === 'closed'),
  );
  if (!acknowledged && !resolved) return;
  const paged = new Map<string, PageService>();
  for (const e of write.timeline)
    if (e.type === 'page' && (e.service === 'pagerduty' || e.service === 'opsgenie'))
      paged.set(e.chain, e.service);
  if (!paged.size) return;
  const onCall = await onCallFor(deps, write.record, null);
  if (!onCall || onCall.service.kind === 'desk') return;
  for (const chain of paged.keys()) {
    try {
      await deps.pager.close(
        dedupKey(write.record.id, chain),
        onCall.service,
        resolved ? 'resolve' : 'acknowledge',
      );
    } catch (error) {
      logger.error('the paging service was not told of the acknowledgement', {
        ticketId: write.record.id,
        ...errorFields(error),
      });
    }
  }
}

/** A write that acknowledges, then tells a team's service (the chain's incident acknowledged). */
async function writeAcknowledging(
  deps: Deps,
  ticketId: string,
  decide: Parameters<typeof writeTicket>[2],
  options: Parameters<typeof writeTicket>[3] = {},
): Promise<PreparedWrite | null> {
  const { write } = await writeTicket(deps, ticketId, decide, options);
  if (write) await closeIncidents(deps, write);
  return write;
}

/** The entry acknowledging the ticket's pages, or null where nothing is paged and unacknowledged. */
function acknowledgement(
  timeline: readonly TimelineEntry[],
  at: number,
  actor: NewTimelineEntry['actor'],
  via: Extract<TimelineEntry, { type: 'acknowledged' }>['via'],
  pageId: string | null,
): NewTimelineEntry | null {
  const lastAck = Math.max(-Infinity, ...stopsOf(timeline).acknowledgements);
  const open = timeline.some(
    (e) => e.type === 'page' && e.by === 'page' && e.to && Date.parse(e.at) > lastAck,
  );
  return open ? { type: 'acknowledged', at: iso(at), actor, via, pageId } : null;
}

/** An agent takes the ticket's pages from the console. */
export async function acknowledgeInConsole(
  deps: Deps,
  principal: Principal,
  ticketId: string,
): Promise<boolean> {
  requireRole(principal, ['admin', 'agent'], 'acknowledge pages');
  const actor = {
    role: principal.role,
    name: principal.name,
    ...(principal.staffId ? { staffId: principal.staffId } : {}),
  };
  const write = await writeAcknowledging(
    deps,
    ticketId,
    ({ timeline }, now) => {
      const entry = acknowledgement(timeline, now, actor, 'console', null);
      return entry ? { entries: [entry] } : null;
    },
    { principal },
  );
  return write !== null;
}

/**
 * The one-time link of a page (`ticket.page.token`): acknowledges as the person paged, once,
 * within ACK_LINK_HOURS. A link used again answers that it was used, and changes nothing.
 */
export async function acknowledgeByLink(
  deps: Deps,
  link: string,
): Promise<{ ticketId: string; acknowledged: 'now' | 'already'; by: string }> {
  const [ticketId, pageId, token] = link.split('.');
  const refused = () =>
    new RuleViolation('link-invalid', 'this link is not one we sent, or it has expired', 'token');
  if (!ticketId || !pageId || !token) throw refused();
  let outcome: 'now' | 'already' = 'already';
  let by = '';
  try {
    await writeAcknowledging(deps, ticketId, ({ timeline }, now) => {
      const page = timeline.find((e) => e.type === 'page' && e.pageId === pageId);
      if (page?.type !== 'page' || !page.tokenHash || page.tokenHash !== digest(token) || !page.to)
        throw refused();
      if (Date.parse(page.at) + ACK_LINK_HOURS * 3_600_000 < now) throw refused();
      by = page.to.name;
      if (timeline.some((e) => e.type === 'acknowledged' && e.pageId === pageId)) {
        outcome = 'already';
        return null;
      }
      const actor = { role: 'agent' as const, name: page.to.name, staffId: page.to.staffId };
      const entry = acknowledgement(timeline, now, actor, 'link', pageId);
      outcome = entry ? 'now' : 'already';
      return entry ? { entries: [entry] } : null;
    });
  } catch (error) {
    if (error instanceof NotFound) throw refused();
    throw error;
  }
  return { ticketId, acknowledged: outcome, by };
}

/**
 * An acknowledgement a team's service sent back (PagerDuty's webhook, Opsgenie's callback), by
 * its event `ref`: taken once; nothing where the ticket has no page left to acknowledge.
 */
export async function acknowledgeFromService(
  deps: Deps,
  input: { ticketId: string; via: 'pagerduty' | 'opsgenie'; by: string; ref: string },
): Promise<'now' | 'already' | 'unknown'> {
  let outcome: 'now' | 'already' = 'already';
  try {
    await writeAcknowledging(deps, input.ticketId, ({ timeline }, now) => {
      outcome = 'already';
      if (timeline.some((e) => e.type === 'acknowledged' && e.ref === input.ref)) return null;
      const actor = { role: 'agent' as const, name: input.by.slice(0, 200) };
      const entry = acknowledgement(timeline, now, actor, input.via, null);
      if (!entry) return null;
      outcome = 'now';
      return { entries: [{ ...entry, ref: input.ref } as NewTimelineEntry] };
    });
  } catch (error) {
    if (error instanceof NotFound) return 'unknown';
    throw error;
  }
  return outcome;
}

export type StepState = 'sent' | 'failed' | 'unreached' | 'due' | 'stopped';

export interface ChainView {
  key: string;
  on: 'warning' | 'breach';
  startedAt: number;
  steps: {
    index: number;
    recipient: string;
    by: 'notify' | 'page';
    dueAt: number;
    state: StepState;
    at: number | null;
    to: { staffId: string; name: string } | null;
    unreached: string | null;
    service: PageService | null;
    error: string | null;
  }[];
  acknowledged: { at: number; by: string; via: string } | null;
}

/**
 * Every chain of a ticket, step by step: what was sent (to whom, by what, or why no one, or
 * the service's refusal), what is still due, what an acknowledgement or resolution stopped.
 */
export function escalationOf(
  plan: Plan,
  priority: Priority,
  timeline: readonly TimelineEntry[],
): ChainView[] {
  const policy = policyOf(plan, priority);
  const left = new Set(stepsLeft(plan, priority, timeline).map((d) => stepKey(d.chain.key, d.index)));
  const failures = new Map(timeline.flatMap((e) => (e.type === 'page-failed' ? [[e.pageId, e.error]] : [])));
  const acks = timeline.filter((e) => e.type === 'acknowledged');
  return chainsOf(timeline).map((chain) => {
    // An acknowledgement takes pages: a chain that pages no one (a warning's notification) has none to take.
    const pages = stepsDue(policy, chain).some((d) => d.step.by === 'page');
    const ack = pages ? acks.find((e) => Date.parse(e.at) >= chain.startedAt) : undefined;
    return {
      key: chain.key,
      on: chain.on,
      startedAt: chain.startedAt,
      steps: stepsDue(policy, chain).map((d) => {
        const done = timeline.find((e) => e.type === 'page' && e.chain === chain.key && e.step === d.index);
        const page = done?.type === 'page' ? done : null;
        const error = page ? (failures.get(page.pageId) ?? null) : null;
        const state: StepState = page
          ? error
            ? 'failed'
            : page.to
              ? 'sent'
              : 'unreached'
          : left.has(stepKey(chain.key, d.index))
            ? 'due'
            : 'stopped';
        return {
          index: d.index,
          recipient: d.step.to,
          by: d.step.by,
          dueAt: d.at,
          state,
          at: page ? Date.parse(page.at) : null,
          to: page?.to ?? null,
          unreached: page?.unreached ?? null,
          service: page?.service ?? null,
          error,
        };
      }),
      acknowledged: ack ? { at: Date.parse(ack.at), by: ack.actor?.name ?? '', via: ack.via } : null,
    };
  });
}
