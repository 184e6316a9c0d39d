// Teams' on-call in the directory table: one item per team (`ONCALL#<team>`), replaced at its
// version; the first write of a team's needs none to exist.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { VersionConflict } from '../../../domain/errors';
import type { OnCallRecord, OnCallStore } from '../../ports';
import { withoutKeys } from './dynamodb';

const key = (teamId: string) => ({ pk: `ONCALL#${teamId}`, sk: 'ONCALL' });

export class DynamoOnCall implements OnCallStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(teamId: string): Promise<OnCallRecord | null> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: key(teamId) }));
    return Item ? withoutKeys<OnCallRecord>(Item) : null;
  }

  async put(record: OnCallRecord, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key(record.teamId), ...record },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new VersionConflict('on-call of team', record.teamId, expectedVersion);
      throw error;
    }
  }
}
