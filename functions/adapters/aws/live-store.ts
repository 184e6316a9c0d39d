// Live tokens and presences in the directory table: a token's hash (`LIVETOKEN#…`), consumed by
// a conditional delete, kept 60 s; a ticket's presences (`PRESENT#<ticket>`, one item per
// person), each expiring PRESENCE_SECONDS after it was said (TTL, and filtered on read: TTL
// deletion is lazy).
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_PRESENT, PRESENCE_SECONDS, type PresenceState } from '../../../domain/presence';
import type { LiveStore } from '../../ports';

const epoch = (at: string) => Math.floor(Date.parse(at) / 1000);

export class DynamoLiveStore implements LiveStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putToken(hash: string, staffId: string, expiresAt: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `LIVETOKEN#${hash}`,
          sk: 'LIVETOKEN',
          staffId,
          expiresAt,
          expiresAtEpoch: epoch(expiresAt),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async takeToken(hash: string, now: string): Promise<string | null> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({
        TableName: this.table,
        Key: { pk: `LIVETOKEN#${hash}`, sk: 'LIVETOKEN' },
        ReturnValues: 'ALL_OLD',
      }),
    );
    if (!Attributes || (Attributes.expiresAt as string) <= now) return null;
    return Attributes.staffId as string;
  }

  async putPresence(
    ticketId: string,
    p: { staffId: string; name: string; state: PresenceState; at: string },
  ): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `PRESENT#${ticketId}`,
          sk: p.staffId,
          ...p,
          expiresAtEpoch: epoch(p.at) + PRESENCE_SECONDS,
        },
      }),
    );
  }

  async removePresence(ticketId: string, staffId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: { pk: `PRESENT#${ticketId}`, sk: staffId } }),
    );
  }

  async presences(ticketId: string) {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `PRESENT#${ticketId}` },
        Limit: MAX_PRESENT * 2,
      }),
    );
    return Items.map((i) => ({
      staffId: i.staffId as string,
      name: i.name as string,
      state: i.state as PresenceState,
      at: i.at as string,
    }));
  }
}
