// The tickets table's stream, for search: the tickets of each batch's new timeline entries
// (every change writes one) are read as stored and written to the index in the blob store in
// one segment (adapters/search/blob-search.ts). Reserved concurrency 1 keeps it the index's
// only writer; a failed batch is retried whole (indexing a ticket twice changes nothing).
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { BlobSearch } from '../adapters/search/blob-search';
import { indexTickets, rebuildSearch } from '../app/search';
import { logger, observed } from '../observability';
import type { Deps } from '../ports';
import { addAdapters, deps as wiredDeps } from '../wiring';

addAdapters({ search: (blobs, clock) => new BlobSearch(blobs, () => clock.now()) });

const TICKET_PREFIX = 'TICKET#';

export async function indexStream(event: DynamoDBStreamEvent, d: Deps = wiredDeps()): Promise<void> {
  const ids = new Set<string>();
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    const pk = String(unmarshall(image as Parameters<typeof unmarshall>[0]).pk ?? '');
    if (pk.startsWith(TICKET_PREFIX)) ids.add(pk.slice(TICKET_PREFIX.length));
  }
  // A new deployment, or one from before search: every stored ticket first.
  const rebuilt = await rebuildSearch(d);
  const indexed = await indexTickets(d, ids);
  logger.info('indexed', { tickets: indexed, rebuilt });
}

export const handler = observed((event: DynamoDBStreamEvent) => indexStream(event));
