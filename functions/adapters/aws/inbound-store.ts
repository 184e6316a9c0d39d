// What became of each received mail, in DynamoDB: one record per SES message id, a copy of
// quarantined ones under QUARANTINE (newest first), per-sender daily auto-reply counts, and
// which delivery first brought a sender's message (a re-sent copy is not filed twice).
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config';
import type { InboundRecord, InboundStore, Page } from '../../ports';
import { cancellationReasons, putNew, queryPage, withoutKeys } from './dynamodb';

const mailPk = (id: string) => `MAIL#${id}`;
// Hashed: a Message-ID may be 1000 characters, a key at most 2048 bytes.
const originKey = (sender: string, copy: string) => ({
  pk: `ORIGIN#${createHash('sha256').update(`${sender.toLowerCase()}\n${copy}`).digest('hex')}`,
  sk: 'ORIGIN',
});
const QUARANTINE = 'QUARANTINE';

export class DynamoInboundStore implements InboundStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(messageId: string): Promise<InboundRecord | null> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: mailPk(messageId), sk: 'MAIL' },
        ConsistentRead: true,
      }),
    );
    return Item ? withoutKeys<InboundRecord>(Item) : null;
  }

  async put(record: InboundRecord): Promise<boolean> {
    const items = [putNew(this.table, { pk: mailPk(record.messageId), sk: 'MAIL', ...record })];
    if (record.outcome === 'quarantine') {
      items.push(
        putNew(this.table, { pk: QUARANTINE, sk: `${record.receivedAt}#${record.messageId}`, ...record }),
      );
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (cancellationReasons(error)) return false; // another delivery of the same message recorded it
      throw error;
    }
  }

  async listQuarantine(limit: number, cursor?: string): Promise<Page<InboundRecord>> {
    return queryPage<InboundRecord>(
      this.db,
      QUARANTINE,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': QUARANTINE },
        ScanIndexForward: false,
        Limit: limit,
      },
      cursor,
    );
  }

  async allowAutoReply(sender: string, day: string, limit: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `AUTOREPLY#${sender.toLowerCase()}`, sk: day },
          UpdateExpression: 'ADD replies :one SET expiresAtEpoch = :expires',
          ConditionExpression: 'attribute_not_exists(replies) OR replies < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':expires': Math.floor(Date.parse(day) / 1000) + 3 * 86_400,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async firstDelivery(
    sender: string,
    copy: string,
    sesId: string,
    now: number,
    keepUntil: number,
  ): Promise<string> {
    const key = originKey(sender, copy);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, sesId, claimedAt: now, expiresAtEpoch: Math.floor(keepUntil / 1000) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return sesId;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      return (Item?.sesId as string | undefined) ?? sesId;
    }
  }

  async takeOverDelivery(
    sender: string,
    copy: string,
    failed: string,
    sesId: string,
    now: number,
    staleBefore: number,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.table,
                Key: { pk: mailPk(failed), sk: 'MAIL' },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: originKey(sender, copy),
                UpdateExpression: 'SET sesId = :mine, claimedAt = :now',
                ConditionExpression: 'sesId = :failed AND claimedAt < :stale',
                ExpressionAttributeValues: {
                  ':mine': sesId,
                  ':now': now,
                  ':failed': failed,
                  ':stale': staleBefore,
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationReasons(error)) return false;
      throw error;
    }
  }
}

/** The store on the configured table (for addAdapters in the functions that use it). */
export const inboundStore = (db: DynamoDBDocumentClient, cfg: Config): InboundStore =>
  new DynamoInboundStore(db, cfg.INBOUND_TABLE);
