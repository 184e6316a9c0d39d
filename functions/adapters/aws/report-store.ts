// Monthly reports: the JSON in the blob store (a month of 10 000 tickets is megabytes, over
// DynamoDB's 400 KB item limit), its key and mail state in DynamoDB. A re-run replaces both.
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config';
import type { BlobStore, Page, ReportStore, StoredReport, StoredReportIndex } from '../../ports';
import { BadCursor, decodeCursor, documentClient, encodeCursor, isBadStartKey } from './dynamodb';

const key = (customerId: string, month: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `REPORT#${month}` });

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
export const reportStore = (cfg: Config, blobs: BlobStore): ReportStore =>
  new DynamoReportStore(documentClient(cfg), cfg.REPORTS_TABLE, blobs);
