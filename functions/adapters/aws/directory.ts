// Plans, customers, contacts and API keys in DynamoDB. A contact's e-mail address is claimed
// by its own item in the same transaction as the customer, so it belongs to one customer.

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Device } from '../../../domain/billing';
import { Duplicate, RuleViolation, VersionConflict } from '../../../domain/errors';
import type { Plan } from '../../../domain/plans';
import { MAX_API_KEYS } from '../../../domain/staff';
import type { ApiKeyRecord, CustomerRecord, Directory, Page } from '../../ports';
import {
  cancellationReasons,
  countUp,
  decodeCursor,
  encodeCursor,
  putNew,
  queryAll,
  queryPage,
  withoutKeys,
} from './dynamodb';

const PLANS_PK = 'PLAN';
const CUSTOMERS_PK = 'CUSTOMERS';
const customerPk = (id: string) => `CUSTOMER#${id}`;
const emailPk = (email: string) => `EMAIL#${email.toLowerCase()}`;
const keyPk = (hash: string) => `KEY#${hash}`;
const KEYS_PK = 'KEYS';
// Devices sort by registration: DEVICE#0000001, DEVICE#0000002, …
const MAX_DEVICE_SEQ = 9_999_999;
const deviceSk = (seq: number) => `DEVICE#${String(seq).padStart(7, '0')}`;

export class DynamoDirectory implements Directory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getPlan(id: string): Promise<Plan | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: PLANS_PK, sk: id } }),
    );
    return (Item?.plan as Plan | undefined) ?? null;
  }

  async listPlans(): Promise<Plan[]> {
    return (await queryAll(this.db, this.table, PLANS_PK)).map((i) => i.plan as Plan);
  }

  async putPlan(plan: Plan, options: { replace?: boolean } = {}): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: PLANS_PK, sk: plan.id, plan },
          ...(options.replace ? {} : { ConditionExpression: 'attribute_not_exists(sk)' }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new Duplicate('plan', 'id', plan.id);
      throw error;
    }
  }

  async createCustomer(customer: CustomerRecord): Promise<void> {
    const claims = customer.contacts.map((c) =>
      putNew(this.table, { pk: emailPk(c.email), sk: 'CONTACT', customerId: customer.id }),
    );
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            putNew(this.table, { pk: customerPk(customer.id), sk: 'CUSTOMER', ...customer }),
            // Listing customers (monthly reports) reads this partition, a page at a time.
            putNew(this.table, { pk: CUSTOMERS_PK, sk: customer.id }),
            ...claims,
          ],
        }),
      );
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      const taken = reasons.slice(2).indexOf('ConditionalCheckFailed');
      if (taken >= 0) throw new Duplicate('contact', 'email', customer.contacts[taken]!.email);
      throw new Duplicate('customer', 'id', customer.id);
    }
  }

  async getCustomer(id: string): Promise<CustomerRecord | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: customerPk(id), sk: 'CUSTOMER' } }),
    );
    return Item ? withoutKeys<CustomerRecord>(Item) : null;
  }

  async customerByEmail(email: string): Promise<string | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: emailPk(email), sk: 'CONTACT' } }),
    );
    return (Item?.customerId as string | undefined) ?? null;
  }

  async updateCustomer(customer: CustomerRecord, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: customerPk(customer.id), sk: 'CUSTOMER', ...customer },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new VersionConflict('customer', customer.id, expectedVersion);
      throw error;
    }
  }

  async listCustomers(limit: number, cursor?: string): Promise<Page<CustomerRecord>> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': CUSTOMERS_PK },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(CUSTOMERS_PK, cursor),
      }),
    );
    const customers = await Promise.all((page.Items ?? []).map((i) => this.getCustomer(i.sk as string)));
    return {
      items: customers.filter((c): c is CustomerRecord => c !== null),
      nextCursor: encodeCursor(CUSTOMERS_PK, page.LastEvaluatedKey),
    };
  }

  async addDevice(customer: CustomerRecord, device: Device): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: { pk: customerPk(customer.id), sk: 'CUSTOMER' },
                UpdateExpression: 'SET deviceCount = :count, version = :next',
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: {
                  ':count': device.seq,
                  ':next': customer.version + 1,
                  ':expected': customer.version,
                },
              },
            },
            putNew(this.table, { pk: customerPk(customer.id), sk: deviceSk(device.seq), ...device }),
          ],
        }),
      );
    } catch (error) {
      if (cancellationReasons(error)) throw new VersionConflict('customer', customer.id, customer.version);
      throw error;
    }
  }

  async listDevices(customerId: string, limit: number, cursor?: string, afterSeq = 0): Promise<Page<Device>> {
    return queryPage<Device>(
      this.db,
      `DEVICES#${customerId}`,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': customerPk(customerId),
          ':from': deviceSk(afterSeq + 1),
          ':to': deviceSk(MAX_DEVICE_SEQ),
        },
        Limit: limit,
      },
      cursor,
    );
  }

  async putApiKey(key: ApiKeyRecord): Promise<void> {
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            putNew(this.table, { pk: keyPk(key.hash), sk: 'KEY', ...key }),
            // The list of keys: by id, pointing at the key's item.
            putNew(this.table, { pk: KEYS_PK, sk: key.id, hash: key.hash }),
            countUp(this.table, 'KEYCOUNT', MAX_API_KEYS),
          ],
        }),
      )
      .catch((error) => {
        const reasons = cancellationReasons(error);
        if (reasons?.[0] === 'ConditionalCheckFailed') throw new Duplicate('API key', 'hash', key.id);
        if (reasons?.[2] === 'ConditionalCheckFailed')
          throw new RuleViolation('too-many-keys', `the desk keeps at most ${MAX_API_KEYS} API keys`, 'name');
        throw error;
      });
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const listed = await queryAll(this.db, this.table, KEYS_PK, true);
    const keys: ApiKeyRecord[] = [];
    for (let i = 0; i < listed.length; i += 100) {
      let wanted: Record<string, unknown>[] = listed
        .slice(i, i + 100)
        .map((l) => ({ pk: keyPk(l.hash as string), sk: 'KEY' }));
      while (wanted.length) {
        const got = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: wanted, ConsistentRead: true } } }),
        );
        keys.push(...(got.Responses?.[this.table] ?? []).map((item) => withoutKeys<ApiKeyRecord>(item)));
        wanted = (got.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return keys.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  async getApiKeyById(id: string): Promise<ApiKeyRecord | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: KEYS_PK, sk: id }, ConsistentRead: true }),
    );
    return Item ? this.getApiKey(Item.hash as string) : null;
  }

  async revokeApiKey(hash: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: keyPk(hash), sk: 'KEY' },
          UpdateExpression: 'SET revokedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(revokedAt) OR revokedAt = :null)',
          ExpressionAttributeValues: { ':at': at, ':null': null },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async touchApiKey(hash: string, at: string, since: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: keyPk(hash), sk: 'KEY' },
          UpdateExpression: 'SET lastUsedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt = :null OR lastUsedAt < :since)',
          ExpressionAttributeValues: { ':at': at, ':since': since, ':null': null },
        }),
      )
      .catch((error) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async getApiKey(hash: string): Promise<ApiKeyRecord | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: keyPk(hash), sk: 'KEY' } }),
    );
    return Item ? withoutKeys<ApiKeyRecord>(Item) : null;
  }
}
