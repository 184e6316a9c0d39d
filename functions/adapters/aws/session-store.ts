// Sign-in links, browser sessions and sign-in attempt counts in the directory table, each
// expiring by TTL. Only hashes of link tokens and session cookies are stored. A link is
// consumed by a conditional delete: it works once, and not after its expiry even before TTL
// has removed it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SessionRecord, SessionStore, SignInLink } from '../../ports';
import { withoutKeys } from './dynamodb';

const epochSeconds = (at: string) => Math.floor(Date.parse(at) / 1000);
const linkKey = (hash: string) => ({ pk: `LINK#${hash}`, sk: 'LINK' });
const sessionKey = (hash: string) => ({ pk: `SESSION#${hash}`, sk: 'SESSION' });

export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putLink(link: SignInLink): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...linkKey(link.tokenHash), ...link, expiresAtEpoch: epochSeconds(link.expiresAt) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async consumeLink(tokenHash: string, now: string): Promise<SignInLink | null> {
    try {
      const { Attributes } = await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: linkKey(tokenHash),
          ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
          ExpressionAttributeValues: { ':now': now },
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (!Attributes) return null;
      const { expiresAtEpoch: _ttl, ...link } = withoutKeys<SignInLink & { expiresAtEpoch: number }>(
        Attributes,
      );
      return link;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  async putSession(session: SessionRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...sessionKey(session.sessionHash),
          ...session,
          expiresAtEpoch: epochSeconds(session.expiresAt),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getSession(sessionHash: string, now: string): Promise<SessionRecord | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: sessionKey(sessionHash), ConsistentRead: true }),
    );
    if (!Item || (Item.expiresAt as string) <= now) return null;
    const { expiresAtEpoch: _ttl, ...session } = withoutKeys<SessionRecord & { expiresAtEpoch: number }>(
      Item,
    );
    return session;
  }

  async deleteSession(sessionHash: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: sessionKey(sessionHash) }));
  }

  async countAttempt(key: string, window: string, limit: number, expiresAt: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `ATTEMPTS#${key}`, sk: window },
          UpdateExpression: 'ADD attempts :one SET expiresAtEpoch = :expires',
          ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': epochSeconds(expiresAt) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
