// Deadline events on EventBridge Scheduler: one one-shot `at()` schedule per deadline, in the
// app's group, deleted after it fires, retried and dead-lettered, targeting the escalation
// function with {ticketId, clock, kind, generation}; and one per escalation step, with
// {ticketId, chain, chainSeq, step}.
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { type ScheduledDeadline, scheduleName } from '../../../domain/deadlines';
import { stepScheduleName } from '../../../domain/escalation-policy';
import type { DeadlineEvent, Scheduler, StepEvent } from '../../ports';

export interface SchedulerSettings {
  group: string;
  targetArn: string;
  roleArn: string;
  deadLetterArn: string;
}

/** `at(2026-11-23T12:00:01)`: UTC, whole seconds, rounded up so that it never fires early. */
export function atExpression(at: number): string {
  return `at(${new Date(Math.ceil(at / 1000) * 1000).toISOString().slice(0, 19)})`;
}

export class EventBridgeScheduler implements Scheduler {
  constructor(
    private readonly client: SchedulerClient,
    // Read when first needed: the escalation function learns its own ARN from its first invocation.
    private readonly settingsOf: SchedulerSettings | (() => SchedulerSettings),
  ) {}

  private get settings(): SchedulerSettings {
    return typeof this.settingsOf === 'function' ? this.settingsOf() : this.settingsOf;
  }

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
      await this.client.send(
        new CreateScheduleCommand({
          Name: name,
          GroupName: this.settings.group,
          ScheduleExpression: atExpression(at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.settings.targetArn,
            RoleArn: this.settings.roleArn,
            Input: JSON.stringify(input),
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
            DeadLetterConfig: { Arn: this.settings.deadLetterArn },
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error; // same name: scheduled already
    }
  }

  async cancel(ticketId: string, deadlines: readonly ScheduledDeadline[]): Promise<void> {
    await Promise.all(
      deadlines.map(async (d) => {
        try {
          await this.client.send(
            new DeleteScheduleCommand({ Name: scheduleName(ticketId, d), GroupName: this.settings.group }),
          );
        } catch (error) {
          if (!(error instanceof ResourceNotFoundException)) throw error; // fired and deleted, or never created
        }
      }),
    );
  }
}
