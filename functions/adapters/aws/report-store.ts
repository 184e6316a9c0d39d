// Monthly reports in DynamoDB, one item per customer and month; re-running a month replaces it.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReportStore, StoredReport } from '../../ports';

const key = (customerId: string, month: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `REPORT#${month}` });

export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(customerId: string, month: string): Promise<Record<string, unknown> | null> {
    return (await this.getStored(customerId, month))?.report ?? null;
  }

  async getStored(customerId: string, month: string): Promise<StoredReport | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key(customerId, month), ConsistentRead: true }),
    );
    return Item
      ? { report: Item.report as Record<string, unknown>, mailedAt: (Item.mailedAt as string | null) ?? null }
      : null;
  }

  async put(customerId: string, month: string, stored: StoredReport): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { ...key(customerId, month), ...stored } }),
    );
  }
}
