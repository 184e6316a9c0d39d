// Monthly reports: the JSON in the blob store (a month of 10 000 tickets is megabytes, over
// DynamoDB's 400 KB item limit), its key and mail state in DynamoDB. A re-run replaces both.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BlobStore, ReportStore, StoredReport } from '../../ports';

const key = (customerId: string, month: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `REPORT#${month}` });

export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly blobs: BlobStore,
  ) {}

  async get(customerId: string, month: string): Promise<Record<string, unknown> | null> {
    return (await this.getStored(customerId, month))?.report ?? null;
  }

  async getStored(customerId: string, month: string): Promise<StoredReport | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key(customerId, month), ConsistentRead: true }),
    );
    if (!Item) return null;
    const body = await this.blobs.get(Item.reportKey as string);
    if (!body)
      throw new Error(`report ${customerId}/${month} is missing from the blob store at ${Item.reportKey}`);
    return {
      report: JSON.parse(Buffer.from(body).toString('utf8')),
      mailedAt: (Item.mailedAt as string | null) ?? null,
    };
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
}
