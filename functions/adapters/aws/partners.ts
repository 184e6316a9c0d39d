// Onsite partners in the directory table: one partition of partners, a claim per e-mail address
// (one partner per address), and a counter that holds them to MAX_PARTNERS, all written in one
// transaction.
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Duplicate, RuleViolation, VersionConflict } from '../../../domain/errors';
import { MAX_PARTNERS } from '../../../domain/partners';
import type { Config } from '../../config';
import type { Partner, Partners } from '../../ports';
import { cancellationReasons, countUp, putAtVersion, putNew, queryAll, withoutKeys } from './dynamodb';

const PARTNERS_PK = 'PARTNER';
const partnerKey = (id: string) => ({ pk: PARTNERS_PK, sk: id });
const emailKey = (email: string) => ({ pk: `PARTNEREMAIL#${email.toLowerCase()}`, sk: 'PARTNEREMAIL' });
const COUNTER = { pk: 'PARTNERCOUNT', sk: 'PARTNERCOUNT' };

export class DynamoPartners implements Partners {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(partner: Partner): Promise<void> {
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            putNew(this.table, { ...partnerKey(partner.id), ...partner }),
            putNew(this.table, { ...emailKey(partner.email), partnerId: partner.id }),
            countUp(this.table, 'PARTNERCOUNT', MAX_PARTNERS),
          ],
        }),
      )
      .catch((error) => {
        const reasons = cancellationReasons(error);
        if (reasons?.[1] === 'ConditionalCheckFailed') throw new Duplicate('partner', 'email', partner.email);
        if (reasons?.[2] === 'ConditionalCheckFailed') {
          throw new RuleViolation('too-many-partners', `the desk keeps at most ${MAX_PARTNERS} partners`);
        }
        throw error;
      });
  }

  async get(id: string): Promise<Partner | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: partnerKey(id), ConsistentRead: true }),
    );
    return Item ? withoutKeys<Partner>(Item) : null;
  }

  async update(partner: Partner, before: Partner): Promise<void> {
    const expectedVersion = before.version;
    const moved = before.email.toLowerCase() !== partner.email.toLowerCase();
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            putAtVersion(this.table, { ...partnerKey(partner.id), ...partner }, expectedVersion),
            ...(moved
              ? [
                  putNew(this.table, { ...emailKey(partner.email), partnerId: partner.id }),
                  { Delete: { TableName: this.table, Key: emailKey(before.email) } },
                ]
              : []),
          ],
        }),
      )
      .catch((error) => {
        const reasons = cancellationReasons(error);
        if (reasons?.[1] === 'ConditionalCheckFailed') throw new Duplicate('partner', 'email', partner.email);
        if (reasons) throw new VersionConflict('partner', partner.id, expectedVersion);
        throw error;
      });
  }

  async remove(id: string): Promise<boolean> {
    const before = await this.get(id);
    if (!before) return false;
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.table,
                Key: partnerKey(id),
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': before.version },
              },
            },
            { Delete: { TableName: this.table, Key: emailKey(before.email) } },
            {
              Update: {
                TableName: this.table,
                Key: COUNTER,
                UpdateExpression: 'ADD #n :minus',
                ExpressionAttributeNames: { '#n': 'count' },
                ExpressionAttributeValues: { ':minus': -1 },
              },
            },
          ],
        }),
      )
      .catch((error) => {
        // Removed meanwhile (false), or changed meanwhile (read it again).
        if (cancellationReasons(error)) throw new VersionConflict('partner', id, before.version);
        throw error;
      });
    return true;
  }

  async list(): Promise<Partner[]> {
    const items = await queryAll(this.db, this.table, PARTNERS_PK);
    return items.map((i) => withoutKeys<Partner>(i)).sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** The store on the directory table (for addAdapters in the function that serves it). */
export const partnerStore = (db: DynamoDBDocumentClient, cfg: Config): Partners =>
  new DynamoPartners(db, cfg.DIRECTORY_TABLE);
