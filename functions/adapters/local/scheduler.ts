// The local runtime's EventBridge Scheduler: one-shot schedules kept in DynamoDB Local, fired
// by the runtime (a timer on the real clock; every due one, in time order, when the virtual
// clock moves) through the same escalation handler, with the same input.

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ScheduledDeadline, scheduleName } from '../../../domain/deadlines';
import { stepScheduleName } from '../../../domain/escalation-policy';
import type { DeadlineEvent, Scheduler, StepEvent } from '../../ports';

/** The earliest items of a partition of the local `byDue` index due at or before `upTo`. */
export async function dueItems(
  db: DynamoDBDocumentClient,
  table: string,
  partition: string,
  upTo: number,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const page = await db.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'byDue',
      KeyConditionExpression: 'duePartition = :p AND dueKey <= :upTo',
      ExpressionAttributeValues: { ':p': partition, ':upTo': `${iso(upTo)}#~` },
      Limit: limit,
    }),
  );
  return page.Items ?? [];
}

export interface DueSchedule {
  name: string;
  at: number;
  input: DeadlineEvent | StepEvent;
}

const iso = (t: number) => new Date(t).toISOString();

export class LocalScheduler implements Scheduler {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  // Side by side, as the AWS adapter sends its CreateSchedule calls.
  async schedule(ticketId: string, deadlines: readonly ScheduledDeadline[]): Promise<void> {
    await Promise.all(
      deadlines.map((d) => {
        const input: DeadlineEvent = { ticketId, clock: d.clock, kind: d.kind, generation: d.generation };
        return this.create(scheduleName(ticketId, d), d.at, input);
      }),
    );
  }

  async scheduleSteps(steps: readonly (StepEvent & { at: number })[]): Promise<void> {
    await Promise.all(
      steps.map(({ at, ...input }) =>
        this.create(stepScheduleName(input.ticketId, input.chain, input.step), at, input),
      ),
    );
  }

  private async create(name: string, at: number, input: DeadlineEvent | StepEvent): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: name, sk: 'SCHEDULE', at, input, duePartition: 'DUE', dueKey: `${iso(at)}#${name}` },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async cancel(ticketId: string, deadlines: readonly ScheduledDeadline[]): Promise<void> {
    await Promise.all(
      deadlines.map((d) =>
        this.db.send(
          new DeleteCommand({
            TableName: this.table,
            Key: { pk: scheduleName(ticketId, d), sk: 'SCHEDULE' },
          }),
        ),
      ),
    );
  }

  /** The earliest schedules due at or before `upTo`. */
  async due(upTo: number, limit = 25): Promise<DueSchedule[]> {
    return (await dueItems(this.db, this.table, 'DUE', upTo, limit)).map((i) => ({
      name: i.pk as string,
      at: i.at as number,
      input: i.input as DeadlineEvent | StepEvent,
    }));
  }

  /** Takes a schedule off the table before firing it: true for the one caller that got it. */
  async claim(name: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: name, sk: 'SCHEDULE' },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
