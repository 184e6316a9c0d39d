// Escalation: what happens when a deadline event fires, when the sweeper finds a ticket that
// needs attention, and right after every ticket write. A deadline is handled once (its
// warning or breach is recorded in a conditional write before any mail goes out). Mail is
// written with the change that causes it and sent after it, off the request path: by the
// publisher of stored entries (the tickets stream on AWS; outbound.ts), then marked sent; what
// is left unsent is sent by the sweeper once MAIL_GRACE_MS has passed.

import { randomUUID } from 'node:crypto';
import { type Deadline, foldClocks } from '../../domain/clocks';
import { isCurrent, pendingDeadlines } from '../../domain/deadlines';
import { NotFound } from '../../domain/errors';
import type { Plan } from '../../domain/plans';
import { config } from '../config';
import { count } from '../metrics';
import { errorFields, logger } from '../observability';
import type { DeadlineEvent, Deps, NewTimelineEntry } from '../ports';
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
  mailed: number;
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
    if (error instanceof NotFound) return { outcome: 'stale', handled: [], mailed: 0 };
    throw error;
  }
  if (stale) {
    logger.info('stale deadline event ignored', { ticketId, event });
    return { outcome: 'stale', handled: [], mailed: 0 };
  }
  // The chains the breaches and warnings began: their steps scheduled, those due now paged.
  let written = result.write ? loadedAfter(result.write, result.loaded.plan) : undefined;
  if (result.write && (await afterPagingWrite(deps, result.write, result.loaded.plan))) written = undefined;
  else if (!result.write && (await escalate(deps, ticketId)).outcome === 'handled') written = undefined;
  // Mail this write queued goes out through the publisher; mail left unsent past its grace here.
  const { sent: mailed } = await sendQueuedMail(deps, ticketId, [], written);
  if (handled.length) {
    // Recorded by the write above (a retried event finds them handled and counts nothing).
    count('Breaches', planId, handled.filter((d) => d.kind === 'breach').length);
    count('Warnings', planId, handled.filter((d) => d.kind === 'warning').length);
    logger.info('deadlines handled', {
      ticketId,
      handled: handled.map((d) => `${d.clock}#${d.cycle} ${d.kind}`),
    });
  }
  return { outcome: handled.length ? 'handled' : 'nothing-due', handled, mailed };
}

/**
 * Sends queued mail and marks it sent. `mine` are the seqs the caller queued itself; other
 * unsent mail is sent only once it is older than MAIL_GRACE_MS (its writer has had time to
 * send it), so that two concurrent callers do not both send the same mail.
 */
export async function sendQueuedMail(
  deps: Deps,
  ticketId: string,
  mine: readonly number[],
  preloaded?: Loaded,
): Promise<{ sent: number; loaded: Loaded }> {
  // Survives a retried write: what was sent once is only marked, never sent again.
  const sentHere = new Set<number>();
  const { loaded, write } = await writeTicket(
    deps,
    ticketId,
    async ({ ticket, timeline }, now) => {
      const pending = new Set(ticket.pendingMail);
      const toSend = timeline.filter(
        (e) =>
          e.type === 'mail' &&
          pending.has(e.seq) &&
          (mine.includes(e.seq) || Date.parse(e.at) + MAIL_GRACE_MS <= now),
      );
      const sent: NewTimelineEntry[] = [];
      for (const e of toSend) {
        if (e.type !== 'mail') continue;
        if (!sentHere.has(e.seq)) {
          await deps.mailer.send({
            to: e.to,
            subject: e.subject,
            ...renderMail(e, { replyMarker: true }),
            messageId: e.messageId,
            references: [...(e.inReplyTo ? [e.inReplyTo] : []), threadId(ticketId)],
            headers: mailHeaders(e),
          });
          sentHere.add(e.seq);
          count('MailSent', ticket.planId);
        }
        sent.push({ type: 'mail-sent', at: iso(now), actor: null, mailSeq: e.seq });
      }
      return sent.length ? { entries: sent } : null;
    },
    preloaded ? { preloaded } : {},
  );
  return { sent: write ? write.entries.length : 0, loaded: write ? loadedAfter(write, loaded.plan) : loaded };
}

/**
 * After a ticket write: delete the events of deadlines that moved or stopped, create the new
 * ones, and handle at once what is already due. A failure here loses nothing: the ticket
 * records its deadlines and mail, and the sweeper finishes.
 */
export async function afterWrite(deps: Deps, write: PreparedWrite, plan: Plan): Promise<Loaded | null> {
  const { record, schedule } = write;
  try {
    const now = deps.clock.now();
    await deps.scheduler.cancel(record.id, schedule.remove);
    await deps.scheduler.schedule(
      record.id,
      schedule.add.filter((d) => d.at > now),
    );
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
 * Attends every ticket whose attention time has come: lost events, unsent mail. One sweep at a
 * time: two overlapping sweeps could both send the same old unsent mail before either marked it
 * sent, so a sweep that finds the lease taken does nothing (null).
 */
export async function sweep(deps: Deps, budget = 200): Promise<{ attended: number; handled: number } | null> {
  const now = deps.clock.now();
  const holder = randomUUID();
  if (!(await deps.tickets.takeLease('sweeper', holder, iso(now), iso(now + SWEEP_LEASE_MS)))) {
    logger.info('another sweep is running: this one does nothing');
    return null;
  }
  try {
    const ids = await deps.tickets.needingAttention(iso(now), budget);
    let handled = 0;
    for (const id of ids) {
      try {
        handled += (await attend(deps, id)).handled.length;
      } catch (error) {
        logger.error('sweep failed for a ticket', { ticketId: id, ...errorFields(error) });
      }
    }
    return { attended: ids.length, handled };
  } finally {
    await deps.tickets.releaseLease('sweeper', holder);
  }
}
