// Wiring, once per cold start: the AWS adapters every Lambda uses, from the environment.
// The local runtime and the tests build their own set (adapters/local/deps.ts) and install it
// with setDeps, so no local adapter (nor its libraries) is bundled into a Lambda.
// DynamoDB is loaded at start; S3, Scheduler and SES (and their SDK clients, 20-60 ms each
// to load) when a function first uses them, so a read or an escalation never loads them.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RegionHolidays } from '../domain/holidays';
import { DynamoDirectory } from './adapters/aws/directory';
import { documentClient } from './adapters/aws/dynamodb';
import { DynamoLiveStore } from './adapters/aws/live-store';
import { DynamoNotifications } from './adapters/aws/notification-store';
import { DynamoOnCall } from './adapters/aws/on-call-store';
import { DynamoSavedItems } from './adapters/aws/saved-items';
import { DynamoSessionStore } from './adapters/aws/session-store';
import { DynamoStaff } from './adapters/aws/staff';
import { DynamoTicketStore } from './adapters/aws/ticket-store';
import { holidayFiles } from './adapters/holiday-files';
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
  Live,
  MacroRecord,
  Mailer,
  Pager,
  Partners,
  ReportQueue,
  ReportStore,
  SavedView,
  Scheduler,
  Secrets,
  SharedTickets,
  TicketSearch,
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
  /** The search index (MiniSearch and the stemmers): the workbench and the indexer only. */
  search?: (blobs: BlobStore, clock: Clock) => TicketSearch;
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

/**
 * A port whose adapter, and the SDK client behind it, is loaded on its first call (every port
 * method returns a promise). A failed load is tried again on the next call.
 */
export function lazy<T extends object>(load: () => Promise<T>): T {
  let loading: Promise<T> | undefined;
  const loaded = () => {
    loading ??= load().catch((error) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return new Proxy({} as T, {
    get: (_target, method) =>
      // Not a promise itself: `await port` must not call into the adapter.
      method === 'then' || typeof method === 'symbol'
        ? undefined
        : (...args: unknown[]) =>
            loaded().then((port) =>
              (port as Record<PropertyKey, (...a: unknown[]) => unknown>)[method]!(...args),
            ),
  });
}

// The escalation function schedules escalation steps that invoke itself: its own ARN comes from
// its invocation (an environment variable naming it would make the stack a cycle).
let ownArn: string | undefined;

/** The ARN the running function was invoked by (the escalation function's step schedules target it). */
export function useOwnArn(arn: string): void {
  ownArn = arn;
}

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
    holidays: RegionHolidays;
    search: TicketSearch;
    pager: Pager;
    live: Live;
  },
): Deps {
  return {
    tickets: new DynamoTicketStore(db, cfg.TICKETS_TABLE),
    directory: new DynamoDirectory(db, cfg.DIRECTORY_TABLE),
    staff: new DynamoStaff(db, cfg.DIRECTORY_TABLE),
    sessions: new DynamoSessionStore(db, cfg.DIRECTORY_TABLE),
    web: new FetchWebClient(cfg.WEBHOOKS_ALLOW_LOOPBACK),
    views: new DynamoSavedItems<SavedView>(db, cfg.DIRECTORY_TABLE, 'VIEW'),
    macros: new DynamoSavedItems<MacroRecord>(db, cfg.DIRECTORY_TABLE, 'MACRO'),
    onCall: new DynamoOnCall(db, cfg.DIRECTORY_TABLE),
    notifications: new DynamoNotifications(db, cfg.DIRECTORY_TABLE),
    liveStore: new DynamoLiveStore(db, cfg.DIRECTORY_TABLE),
    ...outside,
  };
}

export function buildAwsDeps(cfg: Config = config()): Deps {
  const region = cfg.AWS_REGION;
  // Settings read when first needed: functions that never use the bucket need none.
  const blobs = lazy<BlobStore>(async () => {
    const [{ S3Client }, { S3BlobStore }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('./adapters/aws/s3-blobs'),
    ]);
    return new S3BlobStore(new S3Client({ region }), () => required(cfg, 'MAIL_BUCKET'));
  });
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
    search: extras.search?.(blobs, systemClock) ?? absent<TicketSearch>('the search index'),
    // Shipped next to the code of the functions that store plans (infra: withHolidayData).
    holidays: holidayFiles(() => required(cfg, 'HOLIDAY_DATA_DIR')),
    // Settings read when first needed: functions that never schedule need none.
    scheduler: lazy<Scheduler>(async () => {
      const [{ SchedulerClient }, { EventBridgeScheduler }] = await Promise.all([
        import('@aws-sdk/client-scheduler'),
        import('./adapters/aws/scheduler'),
      ]);
      return new EventBridgeScheduler(new SchedulerClient({ region }), () => ({
        group: cfg.SCHEDULE_GROUP,
        targetArn: cfg.ESCALATION_FUNCTION_ARN ?? ownArn ?? required(cfg, 'ESCALATION_FUNCTION_ARN'),
        roleArn: required(cfg, 'SCHEDULER_ROLE_ARN'),
        deadLetterArn: required(cfg, 'DEADLINE_DLQ_ARN'),
      }));
    }),
    // Whoever publishes stored writes or presences tells the live consoles (the WebSocket API).
    live: lazy<Live>(async () => {
      const [{ ApiGatewayManagementApiClient }, { WebSocketLive }] = await Promise.all([
        import('@aws-sdk/client-apigatewaymanagementapi'),
        import('./adapters/aws/websocket-live'),
      ]);
      const client = new ApiGatewayManagementApiClient({ region, endpoint: required(cfg, 'LIVE_ENDPOINT') });
      return new WebSocketLive(db, cfg.DIRECTORY_TABLE, () => client);
    }),
    // Any function that writes a ticket may page (a key-word in a mail, a P1 on a 24/7 level).
    pager: lazy<Pager>(async () => {
      const [{ PinpointSMSVoiceV2Client }, { endUserMessaging }, { pagingSecrets }, pagers] =
        await Promise.all([
          import('@aws-sdk/client-pinpoint-sms-voice-v2'),
          import('./adapters/aws/sms'),
          import('./adapters/aws/secrets'),
          import('./adapters/pagers'),
        ]);
      const web = new FetchWebClient(false);
      const secrets = pagingSecrets(cfg);
      return new pagers.RoutingPager({
        pagerDuty: new pagers.PagerDutyEvents(web),
        opsgenie: new pagers.OpsgenieAlerts(web, () => secrets.get('opsgenie-api-key'), cfg.OPSGENIE_API_URL),
        sendText: endUserMessaging(new PinpointSMSVoiceV2Client({ region }), () => ({
          originationIdentity: cfg.SMS_ORIGINATION_IDENTITY,
          configurationSet: cfg.SMS_CONFIGURATION_SET,
        })),
        // One call of Slack's Web API: the Slack client is bundled in the integrations worker alone.
        direct: pagers.slackDirect(() => secrets.get('slack-bot-token')),
        mailer: built.mailer,
      });
    }),
    mailer: lazy<Mailer>(async () => {
      const [{ SESv2Client }, { SesMailer }] = await Promise.all([
        import('@aws-sdk/client-sesv2'),
        import('./adapters/aws/ses-mailer'),
      ]);
      return new SesMailer(new SESv2Client({ region }), cfg.SENDER_EMAIL, cfg.SES_CONFIGURATION_SET);
    }),
  });
  if (extras.chat) built.chat = extras.chat(built);
  return built;
}
