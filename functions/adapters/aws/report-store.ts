// Monthly reports in DynamoDB, one item per customer and month.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ReportStore } from '../../ports';

export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(customerId: string, month: string): Promise<Record<string, unknown> | null> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `CUSTOMER#${customerId}`, sk: `REPORT#${month}` } }),
    );
    return (Item?.report as Record<string, unknown> | undefined) ?? null;
  }
}
