// Moving ticket items to today's index keys, after the key design changed (the sharded keys
// of issue 31, or another shard count): the local runtime runs it at start on a kept DATA_DIR.
// Kept apart from the store so that no Lambda carries it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { SHARDS } from '../../../domain/shards';
import { fromItem, TICKET_SK, ticketItem } from './ticket-store';

/** Which key design the table's tickets were last moved to: a start with the same one scans nothing. */
const DESIGN = { pk: 'KEYS#TICKETS', sk: 'KEYS' };
const SHARDED_KEYS = ['statusKey', 'allKey', 'attentionPartition', 'deadlinePartition'];

/**
 * Gives ticket items written with other index keys than today's (the unsharded `TICKET`, `DUE`,
 * ... of earlier versions, or another shard count) today's, each by a conditional update of
 * those keys alone (a concurrent write of the ticket, which writes today's keys, wins). Run
 * before lists are read; it scans the table once per key design (recorded in the table), so a
 * start after that reads one item. Returns how many it moved.
 */
export async function rekeyTickets(db: DynamoDBDocumentClient, table: string): Promise<number> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: DESIGN, ConsistentRead: true }));
  if (Item?.shards === SHARDS) return 0;
  let rekeyed = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'sk = :ticket',
        ExpressionAttributeValues: { ':ticket': TICKET_SK },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const keys = ticketItem(fromItem(item));
      const moved = SHARDED_KEYS.filter((k) => k in keys && keys[k] !== item[k]);
      if (moved.length === 0) continue;
      await db
        .send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: item.pk, sk: TICKET_SK },
            UpdateExpression: `SET ${moved.map((k) => `${k} = :${k}`).join(', ')}`,
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: {
              ':version': item.version,
              ...Object.fromEntries(moved.map((k) => [`:${k}`, keys[k]])),
            },
          }),
        )
        .then(
          () => rekeyed++,
          (error) => {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          },
        );
    }
    start = page.LastEvaluatedKey;
  } while (start);
  await db.send(new PutCommand({ TableName: table, Item: { ...DESIGN, shards: SHARDS } }));
  return rekeyed;
}
