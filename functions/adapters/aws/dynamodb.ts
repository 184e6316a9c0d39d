// The DynamoDB document client, the same on AWS and against DynamoDB Local, and the
// helpers every store uses: table names, cancellation reasons, opaque page cursors.
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config';
import type { Page } from '../../ports';
import { enforceItemSizes } from './item-size';

export function documentClient(cfg: Config): DynamoDBDocumentClient {
  const local = cfg.DYNAMODB_ENDPOINT
    ? {
        endpoint: cfg.DYNAMODB_ENDPOINT,
        // DynamoDB Local accepts any credentials; fixed ones keep one shared database.
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }
    : {};
  const client = new DynamoDBClient({ region: cfg.AWS_REGION, ...local });
  const documents = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  enforceItemSizes(documents);
  return documents;
}

/** Per item of a cancelled transaction: 'ConditionalCheckFailed', 'TransactionConflict', 'None'... */
export function cancellationReasons(error: unknown): string[] | null {
  if (!(error instanceof TransactionCanceledException)) return null;
  return (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

export class BadCursor extends Error {
  constructor() {
    super('the page cursor is not one this API returned');
    this.name = 'BadCursor';
  }
}

/** An opaque cursor: the index it belongs to and DynamoDB's LastEvaluatedKey. */
export function encodeCursor(index: string, key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify({ i: index, k: key })).toString('base64url') : null;
}

export function decodeCursor(index: string, cursor: string | undefined): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const { i, k } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (i === index && k && typeof k === 'object' && Object.values(k).every((v) => typeof v === 'string')) {
      return k as Record<string, string>;
    }
  } catch {
    // falls through to the error below
  }
  throw new BadCursor();
}

/** DynamoDB refuses a start key that is not one of this query's (tampered, or another tenant's). */
export function isBadStartKey(error: unknown): boolean {
  return (
    error instanceof Error && error.name === 'ValidationException' && /start(ing)? key/i.test(error.message)
  );
}

/** A transaction Put that fails if the item exists already. */
export function putNew(table: string, item: Record<string, unknown>) {
  return { Put: { TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** A transaction step that counts one more under `key` (its own item), refused at `max`. */
export function countUp(table: string, key: string, max: number) {
  return {
    Update: {
      TableName: table,
      Key: { pk: key, sk: key },
      UpdateExpression: 'ADD #n :one',
      ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
      ExpressionAttributeNames: { '#n': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':max': max },
    },
  };
}

/** A stored item without its table keys. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

/** A transaction Put that fails unless the stored item is still at `version`. */
export function putAtVersion(table: string, item: Record<string, unknown>, version: number) {
  return {
    Put: {
      TableName: table,
      Item: item,
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': version },
    },
  };
}

/**
 * One page of a query, its items without table keys, behind an opaque cursor bound to
 * `cursorScope` (a cursor of another scope, or a tampered one, is a BadCursor).
 */
export async function queryPage<T>(
  db: DynamoDBDocumentClient,
  cursorScope: string,
  query: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  cursor: string | undefined,
): Promise<Page<T>> {
  const page = await db
    .send(new QueryCommand({ ...query, ExclusiveStartKey: decodeCursor(cursorScope, cursor) }))
    .catch((error) => {
      throw isBadStartKey(error) ? new BadCursor() : error;
    });
  return {
    items: (page.Items ?? []).map((i) => withoutKeys<T>(i)),
    nextCursor: encodeCursor(cursorScope, page.LastEvaluatedKey),
  };
}

/** Every item of one partition, all pages. */
export async function queryAll(
  db: DynamoDBDocumentClient,
  table: string,
  pk: string,
  consistent = false,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: consistent,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
