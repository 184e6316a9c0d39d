// Wiring, once per cold start: the AWS adapters every Lambda uses, from the environment.
// The local runtime and the tests build their own set (adapters/local/deps.ts) and install it
// with setDeps, so no local adapter (nor its libraries) is bundled into a Lambda.
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDirectory } from './adapters/aws/directory';
import { documentClient } from './adapters/aws/dynamodb';
import { S3BlobStore } from './adapters/aws/s3-blobs';
import { EventBridgeScheduler } from './adapters/aws/scheduler';
import { SesMailer } from './adapters/aws/ses-mailer';
import { DynamoSessionStore } from './adapters/aws/session-store';
import { DynamoTicketStore } from './adapters/aws/ticket-store';
import { FetchWebClient } from './adapters/web-client';
import { type Config, config, required } from './config';
import type {
  BlobStore,
  Chat,
  Clock,
  Deps,
  InboundStore,
  IncidentStore,
  IntegrationStore,
  JobQueue,
  Mailer,
  Partners,
  ReportQueue,
  ReportStore,
  Scheduler,
  Secrets,
  SharedTickets,
} from './ports';

export const systemClock: Clock = { now: () => Date.now() };

let wired: Deps | undefined;

export function deps(): Deps {
  wired ??= buildAwsDeps();
  return wired;
}

/**
 * Adapters only some functions carry: their entry adds them (before the first request), so the
 * libraries behind them are bundled there alone: the Slack client in the integrations worker,
 * the integrations table in the functions that read it.
 */
export interface Extras {
  chat?: (deps: Deps) => Chat;
  // Stores share the function's one DynamoDB client.
  inbound?: (db: DynamoDBDocumentClient, cfg: Config) => InboundStore;
  incidents?: (db: DynamoDBDocumentClient, cfg: Config) => IncidentStore;
  reports?: (db: DynamoDBDocumentClient, cfg: Config, blobs: BlobStore) => ReportStore;
  integrations?: (db: DynamoDBDocumentClient, cfg: Config) => IntegrationStore;
  jobs?: (cfg: Config) => JobQueue;
  secrets?: (cfg: Config) => Secrets;
  shared?: (db: DynamoDBDocumentClient, cfg: Config) => SharedTickets;
  partners?: (db: DynamoDBDocumentClient, cfg: Config) => Partners;
  reportQueue?: (cfg: Config) => ReportQueue;
}
let extras: Extras = {};

export function addAdapters(more: Extras): void {
  extras = { ...extras, ...more };
}

const absentOnes = new WeakSet<object>();

/** What a function without an extra adapter has instead: any use is a wiring mistake, said so. */
function absent<T extends object>(what: string): T {
  const proxy = new Proxy({} as T, {
    get: (_target, method) => () =>
      Promise.reject(new Error(`this function is not wired with ${what} (${String(method)})`)),
  });
  absentOnes.add(proxy);
  return proxy;
}

/** Whether an adapter is one a function was not wired with (tests of each entry's wiring). */
export const isAbsent = (adapter: object): boolean => absentOnes.has(adapter);

/** Replaces the wired dependencies (local runtime, tests). */
export function setDeps(replacement: Deps): void {
  wired = replacement;
}

/** The stores on DynamoDB (the same code locally, against DynamoDB Local), with the given outside adapters. */
export function buildStores(
  cfg: Config,
  db: DynamoDBDocumentClient,
  outside: {
    clock: Clock;
    blobs: BlobStore;
    scheduler: Scheduler;
    mailer: Mailer;
    jobs: JobQueue;
    chat: Chat;
    inbound: InboundStore;
    incidents: IncidentStore;
    reports: ReportStore;
    secrets: Secrets;
    integrations: IntegrationStore;
    shared: SharedTickets;
    partners: Partners;
    reportQueue: ReportQueue;
  },
): Deps {
  return {
    tickets: new DynamoTicketStore(db, cfg.TICKETS_TABLE),
    directory: new DynamoDirectory(db, cfg.DIRECTORY_TABLE),
    sessions: new DynamoSessionStore(db, cfg.DIRECTORY_TABLE),
    web: new FetchWebClient(),
    ...outside,
  };
}

export function buildAwsDeps(cfg: Config = config()): Deps {
  // Read when first needed: functions that never use the bucket need no setting.
  const blobs = new S3BlobStore(new S3Client({ region: cfg.AWS_REGION }), () => required(cfg, 'MAIL_BUCKET'));
  const db = documentClient(cfg);
  const built: Deps = buildStores(cfg, db, {
    inbound: extras.inbound?.(db, cfg) ?? absent<InboundStore>('the inbound mail table'),
    incidents: extras.incidents?.(db, cfg) ?? absent<IncidentStore>('the incidents table'),
    reports: extras.reports?.(db, cfg, blobs) ?? absent<ReportStore>('the reports table'),
    chat: absent<Chat>('a Slack client (the integrations worker posts)'),
    integrations: extras.integrations?.(db, cfg) ?? absent<IntegrationStore>('the integrations table'),
    jobs: extras.jobs?.(cfg) ?? absent<JobQueue>('the jobs queue'),
    shared: extras.shared?.(db, cfg) ?? absent<SharedTickets>('the shared tickets'),
    partners: extras.partners?.(db, cfg) ?? absent<Partners>('the onsite partners'),
    reportQueue: extras.reportQueue?.(cfg) ?? absent<ReportQueue>('the report queue'),
    secrets: extras.secrets?.(cfg) ?? absent<Secrets>('Secrets Manager'),
    clock: systemClock,
    blobs,
    // Read when first needed: functions that never schedule need no setting.
    scheduler: new EventBridgeScheduler(new SchedulerClient({ region: cfg.AWS_REGION }), () => ({
      group: cfg.SCHEDULE_GROUP,
      targetArn: required(cfg, 'ESCALATION_FUNCTION_ARN'),
      roleArn: required(cfg, 'SCHEDULER_ROLE_ARN'),
      deadLetterArn: required(cfg, 'DEADLINE_DLQ_ARN'),
    })),
    mailer: new SesMailer(
      new SESv2Client({ region: cfg.AWS_REGION }),
      cfg.SENDER_EMAIL,
      cfg.SES_CONFIGURATION_SET,
    ),
  });
  if (extras.chat) built.chat = extras.chat(built);
  return built;
}
