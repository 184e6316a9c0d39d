// Monthly reports: the JSON in the blob store (a month of 10 000 tickets is megabytes, over
// DynamoDB's 400 KB item limit), its key and mail state in DynamoDB. A re-run replaces both.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config';
import type { BlobStore, Page, ReportRun, ReportStore, StoredReport, StoredReportIndex } from '../../ports';
import { BadCursor, decodeCursor, encodeCursor, isBadStartKey } from './dynamodb';

const key = (customerId: string, month: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `REPORT#${month}` });
const runKey = (month: string) => ({ pk: `RUN#${month}`, sk: 'RUN' });
/** Failures a run keeps the reasons of (its count goes on): the item stays small. */
export const MAX_RUN_FAILURES = 50;

export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly blobs: BlobStore,
  ) {}

  async getStored(
    customerId: string,
    month: string,
  ): Promise<{ report: Record<string, unknown> | null; mailedAt: string | null } | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key(customerId, month), ConsistentRead: true }),
    );
    if (!Item) return null;
    const body = await this.blobs.get(Item.reportKey as string);
    const mailedAt = (Item.mailedAt as string | null) ?? null;
    // A body lost from the blob store, or cut short, is rebuilt by the caller: a report
    // derives from the tickets.
    try {
      return { report: body ? JSON.parse(Buffer.from(body).toString('utf8')) : null, mailedAt };
    } catch {
      return { report: null, mailedAt };
    }
  }

  async startRun(month: string, at: string): Promise<void> {
    const run: ReportRun = {
      month,
      customers: 0,
      done: 0,
      mailed: 0,
      failed: 0,
      failures: [],
      startedAt: at,
      updatedAt: at,
    };
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...runKey(month), ...run } }));
  }

  async addCustomers(month: string, count: number, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: runKey(month),
        UpdateExpression: 'ADD customers :n SET updatedAt = :at',
        ExpressionAttributeValues: { ':n': count, ':at': at },
      }),
    );
  }

  async countUnit(
    month: string,
    outcome: 'done' | 'mailed' | 'failed',
    at: string,
    failure?: { customerId: string; error: string },
  ): Promise<void> {
    // Counters only (ADD): units finishing together never lose one another's count.
    const counters = outcome === 'mailed' ? 'done :one, mailed :one' : `${outcome} :one`;
    const values = { ':one': 1, ':at': at };
    if (failure) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: runKey(month),
            UpdateExpression: `ADD ${counters} SET updatedAt = :at, failures = list_append(failures, :f)`,
            ConditionExpression: 'size(failures) < :max',
            ExpressionAttributeValues: { ...values, ':f': [failure], ':max': MAX_RUN_FAILURES },
          }),
        );
        return;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: runKey(month),
        UpdateExpression: `ADD ${counters} SET updatedAt = :at`,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async getRun(month: string): Promise<ReportRun | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: runKey(month), ConsistentRead: true }),
    );
    if (!Item) return null;
    const { pk: _pk, sk: _sk, ...run } = Item;
    return run as ReportRun;
  }

  async put(customerId: string, month: string, stored: StoredReport): Promise<void> {
    const reportKey = `reports/${customerId}/${month}.json`;
    await this.blobs.put(reportKey, Buffer.from(JSON.stringify(stored.report)), 'application/json');
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key(customerId, month), reportKey, mailedAt: stored.mailedAt },
      }),
    );
  }

  async list(customerId: string, limit: number, cursor?: string): Promise<Page<StoredReportIndex>> {
    const scope = `reports:${customerId}`;
    const page = await this.db
      .send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: { ':pk': `CUSTOMER#${customerId}`, ':sk': 'REPORT#' },
          ProjectionExpression: 'sk, mailedAt',
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: decodeCursor(scope, cursor),
        }),
      )
      .catch((error) => {
        throw isBadStartKey(error) ? new BadCursor() : error;
      });
    return {
      items: (page.Items ?? []).map((i) => ({
        month: (i.sk as string).slice('REPORT#'.length),
        mailedAt: (i.mailedAt as string | null | undefined) ?? null,
      })),
      nextCursor: encodeCursor(scope, page.LastEvaluatedKey),
    };
  }
}

/** The store on the configured table, its large bodies in the blob store (for addAdapters). */
export const reportStore = (db: DynamoDBDocumentClient, cfg: Config, blobs: BlobStore): ReportStore =>
  new DynamoReportStore(db, cfg.REPORTS_TABLE, blobs);
