// Escalation: what happens when a deadline event fires, when the sweeper finds a ticket that
// needs attention, and right after every ticket write. A deadline is handled once (its
// warning or breach is recorded in a conditional write before any mail goes out). Mail is
// written with the change that causes it and sent after it, off the request path: by the
// publisher of stored entries (the tickets stream on AWS; outbound.ts), then marked sent on its
// own entry (the ticket is not written again); what is left unsent is sent by the sweeper once
// MAIL_GRACE_MS has passed.

import { randomUUID } from 'node:crypto';
import { type Deadline, foldClocks } from '../../domain/clocks';
import { isCurrent, pendingDeadlines } from '../../domain/deadlines';
import { NotFound } from '../../domain/errors';
import type { Plan } from '../../domain/plans';
import { config } from '../config';
import { count } from '../metrics';
import { errorFields, logger } from '../observability';
import type { DeadlineEvent, Deps, NewTimelineEntry, TicketRecord, TimelineEntry } from '../ports';
import { iso } from './common';
import { breach, mailHeaders, renderMail, warning } from './mail';
import { afterPagingWrite, escalate } from './paging';
import {
  handledSet,
  historyOf,
  type Loaded,
  loadedAfter,
  MAIL_GRACE_MS,
  mailEntry,
  type PreparedWrite,
  writeTicket,
} from './ticket-writes';

/** `<TKT-...@domain>`: every mail of a ticket refers to it, so replies find their ticket. */
export const threadId = (ticketId: string) => `<${ticketId}@${config().MAIL_DOMAIN}>`;

export type AttendOutcome = 'stale' | 'nothing-due' | 'handled';

export interface AttendResult {
  outcome: AttendOutcome;
  handled: Deadline[];
}

/**
 * Records every due, unhandled deadline of a ticket (only the event's own clock and kind when
 * an event triggered it, and nothing for a stale event), then sends its mail.
 */
export async function attend(
  deps: Deps,
  ticketId: string,
  options: { event?: DeadlineEvent } = {},
): Promise<AttendResult> {
  const { event } = options;
  let handled: Deadline[] = [];
  let planId = '';
  let stale = false;
  let result: Awaited<ReturnType<typeof writeTicket>>;
  try {
    result = await writeTicket(deps, ticketId, async ({ ticket, timeline, plan }, now) => {
      handled = [];
      planId = plan.id;
      stale = event !== undefined && !isCurrent(ticket.deadlines, event);
      if (stale) return null;
      const state = foldClocks(plan, historyOf(timeline), now);
      handled = pendingDeadlines(state, handledSet(timeline)).filter(
        (d) => d.at <= now && (!event || (d.clock === event.clock && d.kind === event.kind)),
      );
      if (handled.length === 0) return null;
      const customer = await deps.directory.getCustomer(ticket.customerId);
      if (!customer) throw new Error(`customer ${ticket.customerId} of ticket ${ticket.id} is missing`);
      const at = iso(now);
      const entries: NewTimelineEntry[] = handled.flatMap((d) => {
        const mail =
          d.kind === 'breach'
            ? breach(ticket, plan, customer, d)
            : warning(ticket, plan, customer, state[d.clock].dueAt ?? d.at, d);
        return [
          {
            type: d.kind,
            at,
            actor: null,
            clock: d.clock,
            cycle: d.cycle,
            dueAt: iso(d.at),
            pages: true,
          } as NewTimelineEntry,
          mailEntry(mail, at),
        ];
      });
      return { entries };
    });
  } catch (error) {
    if (error instanceof NotFound) return { outcome: 'stale', handled: [] };
    throw error;
  }
  if (stale) {
    logger.info('stale deadline event ignored', { ticketId, event });
    return { outcome: 'stale', handled: [] };
  }
  // The chains the breaches and warnings began: their steps scheduled, those due now paged.
  // Mail this write queued goes out through the publisher.
  if (result.write) await afterPagingWrite(deps, result.write, result.loaded.plan);
  else await escalate(deps, ticketId);
  if (handled.length) {
    // Recorded by the write above (a retried event finds them handled and counts nothing).
    count('Breaches', planId, handled.filter((d) => d.kind === 'breach').length);
    count('Warnings', planId, handled.filter((d) => d.kind === 'warning').length);
    logger.info('deadlines handled', {
      ticketId,
      handled: handled.map((d) => `${d.clock}#${d.cycle} ${d.kind}`),
    });
  }
  return { outcome: handled.length ? 'handled' : 'nothing-due', handled };
}

/**
 * Sends the mail entries among `entries` not marked sent yet, each marked sent on its own item
 * once it went out (at least once: a crash between the two sends it again). Returns how many.
 */
export async function sendQueuedMail(
  deps: Deps,
  ticket: TicketRecord,
  entries: readonly TimelineEntry[],
): Promise<number> {
  let sent = 0;
  for (const e of entries) {
    if (e.type !== 'mail' || e.sentAt) continue;
    await deps.mailer.send({
      to: e.to,
      subject: e.subject,
      ...renderMail(e, { replyMarker: true }),
      messageId: e.messageId,
      references: [...(e.inReplyTo ? [e.inReplyTo] : []), threadId(ticket.id)],
      headers: mailHeaders(e),
    });
    count('MailSent', ticket.planId);
    if (await deps.tickets.markMailSent(ticket.id, e.seq, iso(deps.clock.now()))) sent++;
  }
  return sent;
}

/** Sends the mail left unsent past its grace (its writer failed or died), oldest first. */
async function sendLeftMail(deps: Deps, now: number, budget: number): Promise<number> {
  const byTicket = new Map<string, Set<number>>();
  for (const { ticketId, seq } of await deps.tickets.unsentMail(iso(now - MAIL_GRACE_MS), budget))
    byTicket.set(ticketId, (byTicket.get(ticketId) ?? new Set()).add(seq));
  const tickets = [...byTicket];
  const sent = await inBatches(tickets, async ([ticketId, seqs]) => {
    const found = await deps.tickets.get(ticketId);
    return found
      ? sendQueuedMail(
          deps,
          found.ticket,
          found.timeline.filter((e) => seqs.has(e.seq)),
        )
      : 0;
  });
  for (const [i, failure] of sent.failures)
    logger.error('mail left unsent; the next sweep retries', {
      ticketId: tickets[i]![0],
      ...errorFields(failure),
    });
  return sent.total;
}

/** Tickets a sweep works on at once. */
const SWEEP_BATCH = 10;
/** A sweep starts no new batch after this much of its lease (it may then run one batch more). */
const SWEEP_WORK_MS = 3 * 60_000;

/**
 * `work` over `items`, SWEEP_BATCH at a time, while the sweep's time lasts: the sum of what it
 * returned, and the failures by index (the others go on).
 */
async function inBatches<T>(
  items: readonly T[],
  work: (item: T) => Promise<number>,
): Promise<{ total: number; failures: [number, unknown][] }> {
  const started = performance.now();
  let total = 0;
  const failures: [number, unknown][] = [];
  for (let at = 0; at < items.length && performance.now() - started < SWEEP_WORK_MS; at += SWEEP_BATCH) {
    const results = await Promise.allSettled(items.slice(at, at + SWEEP_BATCH).map(work));
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') total += r.value;
      else failures.push([at + i, r.reason]);
    });
  }
  return { total, failures };
}

/** The deadline events a write moves: those of deadlines that moved or stopped deleted, the new ones created. */
export async function scheduleWrite(deps: Deps, write: PreparedWrite): Promise<void> {
  const { record, schedule } = write;
  const now = deps.clock.now();
  await deps.scheduler.cancel(record.id, schedule.remove);
  await deps.scheduler.schedule(
    record.id,
    schedule.add.filter((d) => d.at > now),
  );
}

/**
 * After a ticket write: its deadline events moved (or `scheduling`, already under way: a
 * creation's, sent beside the write), and what is already due handled at once. A failure here
 * loses nothing: the ticket records its deadlines and mail, and the sweeper finishes.
 */
export async function afterWrite(
  deps: Deps,
  write: PreparedWrite,
  plan: Plan,
  scheduling?: Promise<void>,
): Promise<Loaded | null> {
  const { record } = write;
  try {
    const now = deps.clock.now();
    await (scheduling ?? scheduleWrite(deps, write));
    const paged = await afterPagingWrite(deps, write, plan);
    if (record.deadlines.some((d) => d.at <= now)) {
      await attend(deps, record.id);
      return null; // attend wrote again; the caller reads the ticket afresh
    }
    return paged ? null : loadedAfter(write, plan);
  } catch (error) {
    logger.error('after-write effects failed; the sweeper will retry', {
      ticketId: record.id,
      ...errorFields(error),
    });
    return null;
  }
}

/**
 * How long a sweep may hold the sweeper's lease: longer than the sweeper function may run (its
 * timeout, infra), so a lease only runs out under a sweep that was killed.
 */
export const SWEEP_LEASE_MS = 5 * 60_000;

/**
 * Attends every ticket whose attention time has come (lost events and steps), in parallel
 * batches, then sends mail left unsent. One sweep at a time: two overlapping sweeps could both
 * send the same old unsent mail before either marked it sent, so a sweep that finds the lease
 * taken does nothing (null).
 */
export async function sweep(
  deps: Deps,
  budget = 200,
): Promise<{ attended: number; handled: number; mailed: number } | null> {
  const now = deps.clock.now();
  const holder = randomUUID();
  if (!(await deps.tickets.takeLease('sweeper', holder, iso(now), iso(now + SWEEP_LEASE_MS)))) {
    logger.info('another sweep is running: this one does nothing');
    return null;
  }
  try {
    const ids = await deps.tickets.needingAttention(iso(now), budget);
    const attended = await inBatches(ids, async (id) => (await attend(deps, id)).handled.length);
    for (const [i, failure] of attended.failures)
      logger.error('sweep failed for a ticket', { ticketId: ids[i], ...errorFields(failure) });
    const mailed = await sendLeftMail(deps, now, budget);
    return { attended: ids.length, handled: attended.total, mailed };
  } finally {
    await deps.tickets.releaseLease('sweeper', holder);
  }
}
