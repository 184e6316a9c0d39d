// Shared tickets in the directory table: one partition, newest first, and a pointer per
// ticket to its entry (sharing again replaces it). Searches filter the partition by every word;
// a page reads at most 10 pages of it.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { VersionConflict } from '../../../domain/errors';
import type { Config } from '../../config';
import type { Page, SharedTicket, SharedTickets } from '../../ports';
import { cancellationReasons, decodeCursor, encodeCursor, withoutKeys } from './dynamodb';

// Shared tickets: newest first in one partition, and where each ticket's entry is.
const SHARED_PK = 'SHARED';
const sharedPointer = (ticketId: string) => ({ pk: `SHAREDTICKET#${ticketId}`, sk: 'SHARED' });
/** What searches match: summary, resolution and category, folded to lower case. */
export const searchText = (s: SharedTicket) =>
  `${s.summary}\n${s.resolution}\n${s.category ?? ''}`.normalize('NFKC').toLowerCase();
const MAX_SEARCH_ROUNDS = 10;

export class DynamoSharedTickets implements SharedTickets {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(shared: SharedTicket): Promise<void> {
    const sk = `${shared.sharedAt}#${shared.ticketId}`;
    const { Item: before } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: sharedPointer(shared.ticketId), ConsistentRead: true }),
    );
    const stale =
      before && before.entrySk !== sk
        ? [{ Delete: { TableName: this.table, Key: { pk: SHARED_PK, sk: before.entrySk } } }]
        : [];
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...sharedPointer(shared.ticketId), entrySk: sk },
                // Another agent sharing it meanwhile: one of the two answers 409.
                ...(before
                  ? {
                      ConditionExpression: 'entrySk = :was',
                      ExpressionAttributeValues: { ':was': before.entrySk },
                    }
                  : { ConditionExpression: 'attribute_not_exists(pk)' }),
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { pk: SHARED_PK, sk, ...shared, searchText: searchText(shared) },
              },
            },
            ...stale,
          ],
        }),
      )
      .catch((error) => {
        throw cancellationReasons(error) ? new VersionConflict('shared ticket', shared.ticketId) : error;
      });
  }

  async remove(ticketId: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: sharedPointer(ticketId), ConsistentRead: true }),
    );
    if (!Item) return false;
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.table, Key: sharedPointer(ticketId) } },
          { Delete: { TableName: this.table, Key: { pk: SHARED_PK, sk: Item.entrySk } } },
        ],
      }),
    );
    return true;
  }

  async search(words: string[], limit: number, cursor?: string): Promise<Page<SharedTicket>> {
    const values: Record<string, string> = { ':pk': SHARED_PK };
    words.forEach((w, i) => {
      values[`:w${i}`] = w;
    });
    const filter = words.map((_, i) => `contains(searchText, :w${i})`).join(' AND ');
    const items: SharedTicket[] = [];
    let start = decodeCursor('shared', cursor) as Record<string, unknown> | undefined;
    for (let round = 0; round < MAX_SEARCH_ROUNDS && items.length < limit; round++) {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ...(filter ? { FilterExpression: filter } : {}),
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: limit - items.length,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const { searchText: _text, ...shared } = withoutKeys<SharedTicket & { searchText: string }>(item);
        items.push(shared);
      }
      start = page.LastEvaluatedKey;
      if (!start) break;
    }
    return { items, nextCursor: encodeCursor('shared', start) };
  }
}

/** The store on the directory table (for addAdapters in the function that serves it). */
export const sharedTickets = (db: DynamoDBDocumentClient, cfg: Config): SharedTickets =>
  new DynamoSharedTickets(db, cfg.DIRECTORY_TABLE);
