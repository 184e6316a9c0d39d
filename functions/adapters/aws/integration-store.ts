// Integrations in DynamoDB: webhook subscriptions and linked Slack channels per customer, the
// Slack thread each chat ticket came from, and every delivery to another system with its
// attempts. Failed deliveries are also in a sparse index, newest first; deliveries expire a
// month after they were made.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { Duplicate, VersionConflict } from '../../../domain/errors';
import type { Config } from '../../config';
import type {
  ChannelLink,
  ChatThread,
  DeliveryRecord,
  IntegrationStore,
  Page,
  WebhookRecord,
} from '../../ports';
import { cancellationReasons, queryAll, queryPage, withoutKeys } from './dynamodb';

const DELIVERY_DAYS = 30;
const webhooksPk = (customerId: string) => `WEBHOOKS#${customerId}`;
const channelKey = (teamId: string, channelId: string) => ({
  pk: `CHANNEL#${teamId}#${channelId}`,
  sk: 'CHANNEL',
});
const channelsPk = (customerId: string) => `CHANNELS#${customerId}`;
const threadKey = (t: ChatThread) => ({
  pk: `THREAD#${t.teamId}#${t.channelId}#${t.threadTs}`,
  sk: 'THREAD',
});
const deliveryKey = (customerId: string, id: string) => ({ pk: `DELIVERY#${customerId}`, sk: id });

function deliveryItem(d: DeliveryRecord): Record<string, unknown> {
  return {
    ...deliveryKey(d.customerId, d.id),
    ...d,
    expiresAtEpoch: Math.floor(Date.parse(d.createdAt) / 1000) + DELIVERY_DAYS * 86_400,
    // Sparse: only failed deliveries are listed.
    ...(d.status === 'failed'
      ? { failedPartition: d.customerId, failedKey: `${d.lastAttemptAt ?? d.createdAt}#${d.id}` }
      : {}),
  };
}

function fromDelivery(item: Record<string, unknown>): DeliveryRecord {
  const {
    expiresAtEpoch: _e,
    failedPartition: _p,
    failedKey: _k,
    ...rest
  } = withoutKeys<DeliveryRecord & Record<string, unknown>>(item);
  return rest as DeliveryRecord;
}

export class DynamoIntegrationStore implements IntegrationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putWebhook(webhook: WebhookRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: webhooksPk(webhook.customerId), sk: webhook.id, ...webhook },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async replaceWebhook(webhook: WebhookRecord, secretBefore: string): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: webhooksPk(webhook.customerId), sk: webhook.id, ...webhook },
          // The secret is the webhook's version: a rotation made meanwhile is not overwritten.
          ConditionExpression: 'attribute_exists(pk) AND secret = :before',
          ExpressionAttributeValues: { ':before': secretBefore },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new VersionConflict('webhook', webhook.id, 0);
      throw error;
    }
  }

  async listWebhooks(customerId: string): Promise<WebhookRecord[]> {
    const items = await queryAll(this.db, this.table, webhooksPk(customerId), true);
    return items.map((i) => withoutKeys<WebhookRecord>(i));
  }

  async deleteWebhook(customerId: string, id: string): Promise<boolean> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({
        TableName: this.table,
        Key: { pk: webhooksPk(customerId), sk: id },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }

  async linkChannel(link: ChannelLink): Promise<void> {
    const key = channelKey(link.teamId, link.channelId);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...key, ...link },
                // Linking again to the same customer is fine; another customer's channel is not.
                ConditionExpression: 'attribute_not_exists(pk) OR customerId = :c',
                ExpressionAttributeValues: { ':c': link.customerId },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { pk: channelsPk(link.customerId), sk: `${link.teamId}#${link.channelId}`, ...link },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed')
        throw new Duplicate('channel', 'channelId', link.channelId);
      throw error;
    }
  }

  async getChannel(teamId: string, channelId: string): Promise<ChannelLink | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: channelKey(teamId, channelId), ConsistentRead: true }),
    );
    return Item ? withoutKeys<ChannelLink>(Item) : null;
  }

  async listChannels(customerId: string): Promise<ChannelLink[]> {
    const items = await queryAll(this.db, this.table, channelsPk(customerId), true);
    return items.map((i) => withoutKeys<ChannelLink>(i));
  }

  async unlinkChannel(customerId: string, teamId: string, channelId: string): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.table,
                Key: channelKey(teamId, channelId),
                ConditionExpression: 'customerId = :c',
                ExpressionAttributeValues: { ':c': customerId },
              },
            },
            {
              Delete: {
                TableName: this.table,
                Key: { pk: channelsPk(customerId), sk: `${teamId}#${channelId}` },
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

  async putThread(thread: ChatThread, ticketId: string): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...threadKey(thread), ticketId } }));
  }

  async getThread(thread: ChatThread): Promise<string | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: threadKey(thread), ConsistentRead: true }),
    );
    return (Item?.ticketId as string | undefined) ?? null;
  }

  async addDelivery(delivery: DeliveryRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: deliveryItem(delivery),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getDelivery(customerId: string, id: string): Promise<DeliveryRecord | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: deliveryKey(customerId, id), ConsistentRead: true }),
    );
    return Item ? fromDelivery(Item) : null;
  }

  async updateDelivery(delivery: DeliveryRecord, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: deliveryItem(delivery),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new VersionConflict('delivery', delivery.id, expectedVersion);
      throw error;
    }
  }

  async claimNotice(key: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `NOTICE#${key}`, sk: 'NOTICE', claimedAt: at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releaseNotice(key: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: { pk: `NOTICE#${key}`, sk: 'NOTICE' } }),
    );
  }

  async listFailed(customerId: string, limit: number, cursor?: string): Promise<Page<DeliveryRecord>> {
    const page = await queryPage<Record<string, unknown>>(
      this.db,
      `failed:${customerId}`,
      {
        TableName: this.table,
        IndexName: 'byFailed',
        KeyConditionExpression: 'failedPartition = :c',
        ExpressionAttributeValues: { ':c': customerId },
        ScanIndexForward: false,
        Limit: limit,
      },
      cursor,
    );
    return { items: page.items.map(fromDelivery), nextCursor: page.nextCursor };
  }

  async listDeliveries(customerId: string, webhookId: string, limit: number): Promise<DeliveryRecord[]> {
    // The customer's deliveries of the last DELIVERY_DAYS, read without their bodies, at most
    // DELIVERY_LOG_READ of them: the log is what a developer looks at, not an archive.
    const found: DeliveryRecord[] = [];
    let start: Record<string, unknown> | undefined;
    let read = 0;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: '#target.webhookId = :w',
          ProjectionExpression:
            'id, customerId, ticketId, #target, eventId, eventType, createdAt, #status, attempts, firstAttemptAt, lastAttemptAt, lastError, lastStatus, lastDurationMs, version',
          ExpressionAttributeNames: { '#target': 'target', '#status': 'status' },
          ExpressionAttributeValues: { ':pk': deliveryKey(customerId, '').pk, ':w': webhookId },
          ExclusiveStartKey: start,
          Limit: 500,
        }),
      );
      read += page.ScannedCount ?? 0;
      found.push(...(page.Items ?? []).map((item) => ({ payload: '', ...item }) as DeliveryRecord));
      start = page.LastEvaluatedKey;
    } while (start && read < DELIVERY_LOG_READ);
    return found
      .sort((a, b) => (b.lastAttemptAt ?? b.createdAt).localeCompare(a.lastAttemptAt ?? a.createdAt))
      .slice(0, limit);
  }
}

const DELIVERY_LOG_READ = 5000;

/** The store on the configured table (for addAdapters in the functions that use it). */
export const integrationStore = (db: DynamoDBDocumentClient, cfg: Config): IntegrationStore =>
  new DynamoIntegrationStore(db, cfg.INTEGRATIONS_TABLE);
