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
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SessionRecord, SessionStore, SignInLink, SsoAttempt, StaffSessionRecord } from '../../ports';
import { putNew, queryAll, withoutKeys } from './dynamodb';

const epochSeconds = (at: string) => Math.floor(Date.parse(at) / 1000);
const linkKey = (hash: string) => ({ pk: `LINK#${hash}`, sk: 'LINK' });
const sessionKey = (hash: string) => ({ pk: `SESSION#${hash}`, sk: 'SESSION' });
// A staff member's sessions, listed under them by id (the cookie's hash stays in the item).
const listedPk = (staffId: string) => `STAFFSESSIONS#${staffId}`;
const listedKey = (staffId: string, id: string) => ({ pk: listedPk(staffId), sk: id });
const ssoKey = (hash: string) => ({ pk: `SSO#${hash}`, sk: 'SSO' });

export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putLink(link: SignInLink): Promise<void> {
    await this.putOnce(linkKey(link.tokenHash), link);
  }

  consumeLink(tokenHash: string, now: string): Promise<SignInLink | null> {
    return this.consume<SignInLink>(linkKey(tokenHash), now);
  }

  /** A new item that expires (`expiresAt`, and by TTL). */
  private async putOnce(key: { pk: string; sk: string }, item: { expiresAt: string }): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key, ...item, expiresAtEpoch: epochSeconds(item.expiresAt) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** The item, deleted in the same step: null for a second use, an unknown one, or one past `expiresAt` at `now`. */
  private async consume<T>(key: { pk: string; sk: string }, now: string): Promise<T | null> {
    try {
      const { Attributes } = await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: key,
          ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
          ExpressionAttributeValues: { ':now': now },
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (!Attributes) return null;
      const { expiresAtEpoch: _ttl, ...item } = withoutKeys<T & { expiresAtEpoch: number }>(Attributes);
      return item as T;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  async putSession(session: SessionRecord): Promise<void> {
    const ttl = { expiresAtEpoch: epochSeconds(session.expiresAt) };
    const item = { ...sessionKey(session.sessionHash), ...session, ...ttl };
    const listed = session.listedAs;
    if (!listed) {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return;
    }
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          putNew(this.table, item),
          putNew(this.table, {
            ...listedKey(listed.staffId, listed.id),
            ...listed,
            sessionHash: session.sessionHash,
            ...ttl,
          }),
        ],
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
    const { Attributes } = await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: sessionKey(sessionHash), ReturnValues: 'ALL_OLD' }),
    );
    const listed = Attributes?.listedAs as StaffSessionRecord | undefined;
    if (listed)
      await this.db.send(
        new DeleteCommand({ TableName: this.table, Key: listedKey(listed.staffId, listed.id) }),
      );
  }

  async listStaffSessions(staffId: string, now: string): Promise<StaffSessionRecord[]> {
    const items = await queryAll(this.db, this.table, listedPk(staffId), true);
    return items
      .filter((i) => (i.expiresAt as string) > now)
      .map(
        ({ pk: _pk, sk: _sk, sessionHash: _hash, expiresAtEpoch: _ttl, ...listed }) =>
          listed as unknown as StaffSessionRecord,
      )
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async endStaffSession(staffId: string, id: string): Promise<boolean> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: listedKey(staffId, id), ReturnValues: 'ALL_OLD' }),
    );
    if (!Attributes) return false;
    await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: sessionKey(Attributes.sessionHash as string) }),
    );
    return true;
  }

  async endAllStaffSessions(staffId: string): Promise<number> {
    const items = await queryAll(this.db, this.table, listedPk(staffId), true);
    for (const item of items) await this.endStaffSession(staffId, item.sk as string);
    return items.length;
  }

  async putSsoAttempt(attempt: SsoAttempt): Promise<void> {
    await this.putOnce(ssoKey(attempt.stateHash), attempt);
  }

  consumeSsoAttempt(stateHash: string, now: string): Promise<SsoAttempt | null> {
    return this.consume<SsoAttempt>(ssoKey(stateHash), now);
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
