// The tickets a month's billing reads: a customer's tickets opened before the month's end and
// written since a time (the month's start: time logged this month, a breach recorded or a
// ticket resolved in it is a write in it), each as its item
// carries it: the summary of its clocks and its time entries (kept by every write, see
// ticket-writes.ts), so a report reads pages of ticket items and no timeline. A ticket written
// before items carried them is read whole once and summarised the same way.
import type { TimeEntry } from '../../domain/billing';
import { foldClocks } from '../../domain/clocks';
import { type SlaSummary, summarize } from '../../domain/summary';
import type { Period } from '../../domain/uptime';
import type { Deps, TicketRecord } from '../ports';
import { iso } from './common';
import { historyOf, planOf, timeLogOf } from './ticket-writes';

const PAGE = 100;

export interface BillingTicket {
  ticket: TicketRecord;
  summary: SlaSummary;
  /** Its time entries, as billing counts them. */
  time: TimeEntry[];
}

/**
 * The customer's tickets opened before `period` ends and written since `since` (by default the
 * period's start), by their last write.
 */
export async function* billingTickets(
  deps: Deps,
  customerId: string,
  period: Period,
  since: number = period.start,
): AsyncGenerator<BillingTicket> {
  let cursor: string | undefined;
  do {
    const page = await deps.tickets.listActive(customerId, iso(since), iso(period.end), PAGE, cursor);
    for (const record of page.items) {
      const found =
        record.summary && record.timeLog
          ? billingTicket(record, record.summary, record.timeLog)
          : await summarised(deps, record);
      if (found) yield found;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

function billingTicket(
  ticket: TicketRecord,
  summary: SlaSummary,
  timeLog: readonly [number, number][],
): BillingTicket {
  const created = Date.parse(ticket.createdAt);
  const time = timeLog.map(
    ([at, minutes]): TimeEntry => ({
      ticketId: ticket.id,
      ticketCreatedAt: created,
      category: ticket.category,
      minutes,
      at,
    }),
  );
  return { ticket, summary, time };
}

/** An older ticket, whose item has no summary yet: from its timeline. */
async function summarised(deps: Deps, record: TicketRecord): Promise<BillingTicket | null> {
  const found = await deps.tickets.get(record.id);
  if (!found) return null;
  const plan = await planOf(deps, found.ticket.planId);
  const sla = foldClocks(plan, historyOf(found.timeline), deps.clock.now());
  return billingTicket(found.ticket, summarize(sla), timeLogOf(found.timeline));
}
