// Locally, what a DynamoDB stream does on AWS (functions/integrations/stream.ts): every
// timeline entry a write stored is published to webhooks and chat threads after the write.
import type {
  IdempotencyClaim,
  NewTimelineEntry,
  TicketRecord,
  TicketStore,
  TimelineEntry,
} from '../../ports';

type Publish = (ticket: TicketRecord, entries: TimelineEntry[]) => Promise<unknown>;

const numbered = (entries: NewTimelineEntry[], first: number) =>
  entries.map((e, i) => ({ ...e, seq: first + i }) as TimelineEntry);

export function publishing(store: TicketStore, publish: Publish): TicketStore {
  const after = (ticket: TicketRecord, entries: TimelineEntry[]) =>
    publish(ticket, entries).catch((error) =>
      console.error(
        JSON.stringify({
          level: 'ERROR',
          message: 'publishing failed',
          ticketId: ticket.id,
          error: String(error),
        }),
      ),
    );
  return Object.assign(Object.create(store) as TicketStore, {
    async create(ticket: TicketRecord, entries: NewTimelineEntry[], claim?: IdempotencyClaim) {
      await store.create(ticket, entries, claim);
      await after(ticket, numbered(entries, 1));
    },
    async update(ticket: TicketRecord, expectedVersion: number, entries: NewTimelineEntry[]) {
      await store.update(ticket, expectedVersion, entries);
      await after(ticket, numbered(entries, ticket.timelineLength - entries.length + 1));
    },
  });
}
