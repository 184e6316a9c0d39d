// The tickets a month's billing reads: a customer's tickets opened from a year before the month
// to its end (time logged this month can sit on a ticket opened long ago), each with its
// timeline, and the time entries on them. The monthly report and the support-hours warnings
// both count from these.
import type { TimeEntry } from '../../domain/billing';
import type { Period } from '../../domain/uptime';
import type { Deps, TicketRecord, TimelineEntry } from '../ports';
import { iso } from './common';

/** Time entries can sit on tickets opened up to this long before the month. */
const BILLING_LOOKBACK_DAYS = 366;
const PAGE = 100;

/** The customer's tickets opened from BILLING_LOOKBACK_DAYS before `period` to its end, oldest first. */
export async function* billingTickets(
  deps: Deps,
  customerId: string,
  period: Period,
): AsyncGenerator<{ ticket: TicketRecord; timeline: TimelineEntry[] }> {
  const from = iso(period.start - BILLING_LOOKBACK_DAYS * 86_400_000);
  let cursor: string | undefined;
  do {
    const page = await deps.tickets.listCreated(customerId, from, iso(period.end), PAGE, cursor);
    for (const record of page.items) {
      const found = await deps.tickets.get(record.id);
      if (found) yield found;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** The time entries of one ticket, as billing counts them. */
export function timeEntriesOf({ ticket, timeline }: { ticket: TicketRecord; timeline: TimelineEntry[] }) {
  const created = Date.parse(ticket.createdAt);
  return timeline.flatMap((e): TimeEntry[] =>
    e.type === 'time-entry'
      ? [
          {
            ticketId: ticket.id,
            ticketCreatedAt: created,
            category: ticket.category,
            minutes: e.minutes,
            at: Date.parse(e.at),
          },
        ]
      : [],
  );
}
