// Wiring, once per cold start: the adapters every handler uses, from the environment.
// ADAPTERS=aws on AWS (EventBridge Scheduler, SES); local otherwise (DynamoDB Local
// schedules, the outbox). The local runtime and the tests swap in a virtual clock.

import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDirectory } from './adapters/aws/directory';
import { documentClient } from './adapters/aws/dynamodb';
import { DynamoInboundStore } from './adapters/aws/inbound-store';
import { DynamoIncidentStore } from './adapters/aws/incident-store';
import { DynamoReportStore } from './adapters/aws/report-store';
import { S3BlobStore } from './adapters/aws/s3-blobs';
import { EventBridgeScheduler } from './adapters/aws/scheduler';
import { SesMailer } from './adapters/aws/ses-mailer';
import { DynamoTicketStore } from './adapters/aws/ticket-store';
import { LocalBlobStore } from './adapters/local/blobs';
import { LocalOutbox } from './adapters/local/outbox';
import { LocalScheduler } from './adapters/local/scheduler';
import { type Config, config } from './config';
import type { Clock, Deps } from './ports';

export const systemClock: Clock = { now: () => Date.now() };

let wired: Deps | undefined;

export function deps(): Deps {
  wired ??= buildDeps();
  return wired;
}

function required(
  cfg: Config,
  name: 'ESCALATION_FUNCTION_ARN' | 'SCHEDULER_ROLE_ARN' | 'DEADLINE_DLQ_ARN' | 'MAIL_BUCKET',
): string {
  const value = cfg[name];
  if (!value) throw new Error(`invalid environment: ${name} is required with ADAPTERS=aws`);
  return value;
}

export function buildDeps(
  clock: Clock = systemClock,
  cfg: Config = config(),
  options: { outboxDir?: string | null; blobDir?: string | null } = {},
): Deps {
  const db = documentClient(cfg);
  const aws = cfg.ADAPTERS === 'aws';
  const blobs = aws
    ? new S3BlobStore(new S3Client({ region: cfg.AWS_REGION }), required(cfg, 'MAIL_BUCKET'))
    : new LocalBlobStore(options.blobDir ?? null);
  return {
    tickets: new DynamoTicketStore(db, cfg.TICKETS_TABLE),
    directory: new DynamoDirectory(db, cfg.DIRECTORY_TABLE),
    inbound: new DynamoInboundStore(db, cfg.INBOUND_TABLE),
    blobs,
    incidents: new DynamoIncidentStore(db, cfg.INCIDENTS_TABLE),
    reports: new DynamoReportStore(db, cfg.REPORTS_TABLE, blobs),
    scheduler: aws
      ? new EventBridgeScheduler(new SchedulerClient({ region: cfg.AWS_REGION }), () => ({
          group: cfg.SCHEDULE_GROUP,
          targetArn: required(cfg, 'ESCALATION_FUNCTION_ARN'),
          roleArn: required(cfg, 'SCHEDULER_ROLE_ARN'),
          deadLetterArn: required(cfg, 'DEADLINE_DLQ_ARN'),
        }))
      : new LocalScheduler(db, cfg.SCHEDULES_TABLE),
    mailer: aws
      ? new SesMailer(new SESClient({ region: cfg.AWS_REGION }), cfg.SENDER_EMAIL, cfg.SES_CONFIGURATION_SET)
      : new LocalOutbox(clock, cfg.SENDER_EMAIL, options.outboxDir ?? null),
    clock,
  };
}

/** Replaces the wired dependencies (local runtime, tests). */
export function setDeps(replacement: Deps): void {
  wired = replacement;
}
