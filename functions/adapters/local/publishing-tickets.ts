// Locally, what a DynamoDB stream does on AWS (functions/integrations/stream.ts): every
// timeline entry a write stored is published (its mail sent, webhooks and chat threads told)
// after the write: in the background, as the stream does after the request (the runtime), or
// before the write returns (tests, which read the outbox right after a request).
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

const running = new Set<Promise<unknown>>();

/** Resolves once every publishing started in the background has ended. */
export async function publishingIdle(): Promise<void> {
  while (running.size) await Promise.all([...running]);
}

export function publishing(store: TicketStore, publish: Publish, inBackground = false): TicketStore {
  const now = (ticket: TicketRecord, entries: TimelineEntry[]) =>
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
  const after = async (ticket: TicketRecord, entries: TimelineEntry[]) => {
    if (!inBackground) return now(ticket, entries);
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => now(ticket, entries));
    running.add(run);
    run.finally(() => running.delete(run));
  };
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
