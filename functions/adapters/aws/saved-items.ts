// Saved views and macros in the directory table: a partition per kind and owner, listed whole
// (each owner's are capped by a counter that the same transaction moves), replaced at a version.
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { RuleViolation, VersionConflict } from '../../../domain/errors';
import type { SavedItems } from '../../ports';
import { cancellationReasons, countUp, putAtVersion, putNew, queryAll, withoutKeys } from './dynamodb';

export class DynamoSavedItems<T extends { id: string; version: number; name: string }>
  implements SavedItems<T>
{
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** `VIEW` or `MACRO`: the partitions' prefix, and how errors name them. */
    private readonly kind: string,
  ) {}

  private pk = (owner: string) => `${this.kind}#${owner}`;
  private counter = (owner: string) => `${this.kind}COUNT#${owner}`;

  async list(owners: string[]): Promise<T[]> {
    const parts = await Promise.all(owners.map((o) => queryAll(this.db, this.table, this.pk(o), true)));
    return parts.flat().map((i) => withoutKeys<T>(i));
  }

  async create(owner: string, item: T, max: number): Promise<void> {
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            putNew(this.table, { pk: this.pk(owner), sk: item.id, ...item }),
            countUp(this.table, this.counter(owner), max),
          ],
        }),
      )
      .catch((error) => {
        if (cancellationReasons(error)?.[1] === 'ConditionalCheckFailed')
          throw new RuleViolation('too-many', `at most ${max} of these may be saved here`, 'name');
        throw error;
      });
  }

  async update(owner: string, item: T, expectedVersion: number): Promise<void> {
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            putAtVersion(this.table, { pk: this.pk(owner), sk: item.id, ...item }, expectedVersion),
          ],
        }),
      )
      .catch((error) => {
        if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed')
          throw new VersionConflict(this.kind.toLowerCase(), item.id, expectedVersion);
        throw error;
      });
  }

  async remove(owner: string, id: string): Promise<void> {
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.table,
                Key: { pk: this.pk(owner), sk: id },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: { pk: this.counter(owner), sk: this.counter(owner) },
                UpdateExpression: 'ADD #n :less',
                ExpressionAttributeNames: { '#n': 'count' },
                ExpressionAttributeValues: { ':less': -1 },
              },
            },
          ],
        }),
      )
      .catch((error) => {
        // Removed already: nothing to do (the counter moved with the first removal).
        if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed') return;
        throw error;
      });
  }
}
