// The tickets table's stream: every timeline entry stored is published (functions/app/
// outbound.ts) to the customer's webhooks and the ticket's Slack thread. The event source
// passes only inserted timeline items (its filter, infra/constructs/integrations.ts). Publishing
// is idempotent, so a batch retried from its first failure publishes nothing twice.
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { integrationStore } from '../adapters/aws/integration-store';
import { jobQueue } from '../adapters/aws/sqs-jobs';
import { publish } from '../app/outbound';
import { errorFields, logger, observed } from '../observability';
import type { Deps } from '../ports';
import { addAdapters, deps as wiredDeps } from '../wiring';

addAdapters({ integrations: integrationStore, jobs: jobQueue });

const TICKET_PREFIX = 'TICKET#';

export async function publishStream(
  event: DynamoDBStreamEvent,
  d: Deps = wiredDeps(),
): Promise<DynamoDBBatchResponse> {
  // Entries' seqs by ticket, in stream order, each with the record it came in.
  const byTicket = new Map<string, { seq: number; sequence: string }[]>();
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image) continue;
    const item = unmarshall(image as Parameters<typeof unmarshall>[0]);
    const pk = String(item.pk ?? '');
    if (!pk.startsWith(TICKET_PREFIX) || !String(item.sk ?? '').startsWith('T#')) continue;
    const id = pk.slice(TICKET_PREFIX.length);
    const inserted = { seq: Number(item.seq), sequence: record.dynamodb!.SequenceNumber! };
    byTicket.set(id, [...(byTicket.get(id) ?? []), inserted]);
  }
  for (const [ticketId, items] of byTicket) {
    try {
      const found = await d.tickets.get(ticketId);
      // The entries as stored now: a retried batch finds its mail marked sent and sends it once.
      const seqs = new Set(items.map((i) => i.seq));
      if (found)
        await publish(
          d,
          found.ticket,
          found.timeline.filter((e) => seqs.has(e.seq)),
        );
    } catch (error) {
      logger.error('publishing failed', { ticketId, ...errorFields(error) });
      // Retried from this ticket's first record (tickets are in order of their first record).
      return { batchItemFailures: [{ itemIdentifier: items[0]!.sequence }] };
    }
  }
  return { batchItemFailures: [] };
}

export const handler = observed((event: DynamoDBStreamEvent) => publishStream(event));
