// The local runtime: DynamoDB Local, the tables, the presets, an admin key, and an HTTP
// server that serves every route through the same handlers as API Gateway would, plus the
// /local/* routes (virtual clock, outbox) that exist only here.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { Duration } from 'luxon';
import { retryDelay } from '../../domain/integrations';
import * as z from '../../domain/zod';
import { localMonth, monthAfter } from '../../domain/zone';
import { documentClient } from '../../functions/adapters/aws/dynamodb';
import { LOCAL_TABLES, TABLES, type TableSpec } from '../../functions/adapters/aws/tables';
import { rekeyTickets } from '../../functions/adapters/aws/ticket-rekey';
import type { LocalBlobStore } from '../../functions/adapters/local/blobs';
import { RecordingChat } from '../../functions/adapters/local/chat';
import { VirtualClock } from '../../functions/adapters/local/clock';
import { buildLocalDeps } from '../../functions/adapters/local/deps';
import type { LocalJobQueue, QueuedJob } from '../../functions/adapters/local/jobs';
import type { LocalOutbox } from '../../functions/adapters/local/outbox';
import type { RecordingPager } from '../../functions/adapters/local/pager';
import { publishingIdle } from '../../functions/adapters/local/publishing-tickets';
import type { LocalScheduler } from '../../functions/adapters/local/scheduler';
import { MAX_ATTACHMENT_BYTES } from '../../functions/app/attachments';
import { sweep } from '../../functions/app/attend';
import { isSendableKey } from '../../functions/app/directory';
import { runJob } from '../../functions/app/jobs';
import { seedPresets } from '../../functions/app/presets';
import { startMonthlyReports } from '../../functions/app/reports';
import { rebuildSearch } from '../../functions/app/search';
import { forgetProvider, ssoMapping } from '../../functions/app/sso';
import { ensureFirstAdmin } from '../../functions/app/staff';
import { type Config, config, firstAdmin, portalAt, resetConfig } from '../../functions/config';
import { handleDeadlineEvent } from '../../functions/escalation/handler';
import { errorReply, json, MAX_BODY_BYTES } from '../../functions/http/middleware';
import { handlers, ROUTES } from '../../functions/http/routes/index';
import type { Clock, Deps } from '../../functions/ports';
import { setDeps, systemClock } from '../../functions/wiring';
import { buildWeb, type WebAsset } from '../../web/build';
import { contentSecurityPolicy, embedAncestors, PAGE_HEADERS } from '../../web/headers';
import { createTables, expireItems, type SupervisedDynamo, superviseDynamoDbLocal } from './dynamodb-local';
import { Gateway } from './gateway';
import { streamLive } from './live-stream';
import { startLocalOidc } from './oidc-provider';
import { startSmtp } from './smtp';

export interface LocalOptions {
  port: number;
  /** Where DynamoDB Local keeps its files; null keeps everything in memory (tests). */
  dataDir: string | null;
  adminKey?: string | undefined;
  clock: 'system' | 'virtual';
  clockStart?: number | undefined;
  host?: string;
  /** The SMTP port for inbound mail (0: any free one). */
  smtpPort?: number;
  /** Where mail links point (sign-in, embed confirmation, reports): the runtime's own address unless set. */
  portalUrl?: string | undefined;
  /** Origins that may frame the embeddable form (/embed.html): `*` (default) or a list. */
  embedOrigins?: string;
  /**
   * Staff sign in through an OpenID provider on this machine (oidc-provider) unless OIDC_ISSUER
   * names a real one: its login page takes any address; the directory decides who that is.
   */
  localSso?: boolean;
  /** DynamoDB Local died and could not be started again (npm start exits non-zero). */
  onFatal?: (error: Error) => void;
}

export interface LocalRuntime {
  url: string;
  adminKey: string;
  deps: Deps;
  clock: Clock;
  outbox: LocalOutbox;
  events: DeadlineFiring;
  smtpPort: number;
  /** The local OpenID provider's address, where one runs. */
  ssoIssuer: string | null;
  /** The Java process of DynamoDB Local now (it changes when it is restarted). */
  javaPid(): number | null;
  stop(): Promise<void>;
}

// The local server reads at most this much of a body before answering 413 (Lambda's own limit).
const MAX_READ_BYTES = 6 * 1024 * 1024;

const ClockMove = z.union([
  z.object({
    advance: z
      .string()
      .check(
        z.refine(
          (d) => Duration.fromISO(d).isValid && Duration.fromISO(d).as('milliseconds') >= 0,
          'expected an ISO 8601 duration such as PT2H',
        ),
      ),
  }),
  z.object({ to: z.iso.datetime({ offset: true }) }),
]);

export async function startLocalRuntime(options: LocalOptions): Promise<LocalRuntime> {
  if (options.adminKey !== undefined && !isSendableKey(options.adminKey)) {
    throw new Error('the admin API key must be 8-200 characters with no white space');
  }
  const dynamo = await superviseDynamoDbLocal(
    options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {},
    {
      onFatal: options.onFatal ?? ((error) => console.error(error.message)),
    },
  );
  try {
    process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    // A webhook receiver on this machine is http://localhost:…
    process.env.WEBHOOKS_ALLOW_HTTP ??= 'true';
    process.env.WEBHOOKS_ALLOW_LOOPBACK ??= 'true';
    resetConfig();
    const cfg = config();
    await createTables(dynamo.endpoint, localTables(cfg));
    // Tickets a DATA_DIR kept from before the sharded indexes get their keys.
    const db = documentClient(cfg);
    await rekeyTickets(db, cfg.TICKETS_TABLE).finally(() => db.destroy());
    const clock =
      options.clock === 'virtual'
        ? new VirtualClock(
            options.clockStart ?? Date.now(),
            options.dataDir ? join(options.dataDir, 'clock.json') : null,
          )
        : systemClock;
    const deps = buildLocalDeps(clock, cfg, {
      outboxDir: options.dataDir ? join(options.dataDir, 'outbox') : null,
      // Reports, raw mail, quarantine and attachments survive a restart with the tables.
      blobDir: options.dataDir ? join(options.dataDir, 'blobs') : null,
      publishInBackground: true,
    });
    setDeps(deps);
    await seedPresets(deps, clock.now());
    const adminKey = options.adminKey ?? `sla_${randomBytes(24).toString('base64url')}`;
    await ensureFirstAdmin(deps, { key: adminKey, ...firstAdmin(cfg) });
    // Tickets kept in DATA_DIR from before search was built are indexed once.
    await rebuildSearch(deps);
    const outbox = deps.mailer as LocalOutbox;
    const events = new DeadlineFiring(deps, deps.scheduler as LocalScheduler, (now) =>
      expireItems(dynamo.endpoint, localTables(cfg), now),
    );
    // A queued job (a Slack event, a delivery) runs at once, beside the request that queued it.
    (deps.jobs as LocalJobQueue).onSent = () => {
      events.fireUntil(clock.now()).catch((error) => console.error('running jobs failed', error));
    };
    const gateway = new Gateway(ROUTES, handlers);
    const web = await buildWeb();
    const frameAncestors = { '/embed.html': embedAncestors(options.embedOrigins) };
    for (const [path, page] of web) {
      if (!page.type.startsWith('text/html')) continue;
      page.headers = {
        'content-security-policy': contentSecurityPolicy({
          frameAncestors: frameAncestors[path as '/embed.html'] ?? "'none'",
        }),
      };
    }
    const timer = clock instanceof VirtualClock ? null : events.startTimer();
    const server = createServer((req, res) => {
      if (!dynamo.available()) {
        // Requests wait for the store instead of failing against a dead one.
        req.resume();
        send(
          res,
          errorReply(503, 'store-restarting', 'the local store is restarting; retry in a moment', [], {
            'retry-after': '2',
          }),
        );
        return;
      }
      serve(req, res, gateway, deps, outbox, events, web).catch((error) => {
        console.error(error);
        if (!res.headersSent) send(res, errorReply(500, 'internal', 'the local runtime failed'));
      });
    });
    server.on('clientError', answerClientError);
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, resolve);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    // Links in mail lead back to this runtime, on whatever port it got.
    process.env.PORTAL_URL = options.portalUrl ?? `http://${browsableHost(host)}:${port}`;
    resetConfig();
    const sso = options.localSso && !process.env.OIDC_ISSUER ? await localProvider(host) : null;
    if (config().OIDC_ISSUER) ssoMapping(); // a malformed OIDC_MAPPING stops the start, named
    const smtp = await startSmtp(deps, options.smtpPort ?? 2525, host);
    return {
      url: `http://${host}:${port}`,
      adminKey,
      deps,
      clock,
      outbox,
      events,
      smtpPort: smtp.port,
      ssoIssuer: sso?.issuer ?? null,
      javaPid: () => dynamo.javaPid(),
      stop: async () => {
        if (timer) clearInterval(timer);
        await smtp.stop();
        await sso?.stop();
        await events.idle();
        // Requests still finishing queue their jobs' run and their publishing: both end before the store does.
        await stop(server, dynamo, async () => {
          await publishingIdle();
          await events.idle();
        });
      },
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}

/** Starts the local OpenID provider and points single sign-on at it (for this process). */
async function localProvider(host: string) {
  const op = await startLocalOidc({
    host,
    redirectUri: portalAt(config(), '/auth/sso/callback'),
  });
  const env = {
    OIDC_ISSUER: op.issuer,
    OIDC_CLIENT_ID: op.clientId,
    OIDC_CLIENT_SECRET: op.clientSecret,
    OIDC_LABEL: 'the local OpenID provider',
  };
  Object.assign(process.env, env);
  resetConfig();
  forgetProvider();
  return {
    issuer: op.issuer,
    stop: async () => {
      await op.stop();
      for (const name of Object.keys(env)) delete process.env[name];
      resetConfig();
      forgetProvider();
    },
  };
}

/** The name a browser on this machine reaches `host` by (localhost, as the console is opened). */
function browsableHost(host: string): string {
  if (host === '127.0.0.1' || host === '0.0.0.0' || host === '::' || host === '::1') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Every table the local runtime needs, under the names the handlers read from the environment. */
export function localTables(cfg: Config): [string, TableSpec][] {
  return [
    [cfg.TICKETS_TABLE, TABLES.tickets],
    [cfg.DIRECTORY_TABLE, TABLES.directory],
    [cfg.INCIDENTS_TABLE, TABLES.incidents],
    [cfg.REPORTS_TABLE, TABLES.reports],
    [cfg.INBOUND_TABLE, TABLES.inbound],
    [cfg.INTEGRATIONS_TABLE, TABLES.integrations],
    [cfg.SCHEDULES_TABLE, LOCAL_TABLES.schedules],
  ];
}

export interface FiredEvent {
  name: string;
  at: string;
  ticketId: string;
  outcome: string;
  /** A deadline's event. */
  clock?: string;
  kind?: string;
  generation?: number;
  /** An escalation step's event. */
  chain?: string;
  step?: number;
}

const monthOf = (t: number) => localMonth(config().REPORT_TIME_ZONE, t);

// On the real clock, due events are looked for every second and the sweeper runs every minute.
const POLL_MS = 1000;
const SWEEP_EVERY_MS = 60_000;
const EXPIRE_EVERY_MS = 10 * 60_000;

/**
 * Fires the local scheduler's events through the escalation handler, one at a time and in
 * time order; on the virtual clock, time is moved to each event's own time before it fires.
 */
export class DeadlineFiring {
  private running: Promise<unknown> = Promise.resolve();
  private lastSweep = 0;
  private lastExpiry = Number.NEGATIVE_INFINITY;
  /** The month (in REPORT_TIME_ZONE) the clock was in when last looked at. */
  private month: string;

  private readonly jobs: LocalJobQueue;

  constructor(
    private readonly deps: Deps,
    private readonly scheduler: LocalScheduler,
    /** The local TTL, by the desk's clock (see createTables): run with the sweeper. */
    private readonly expire: (now: number) => Promise<unknown> = async () => {},
  ) {
    this.jobs = deps.jobs as LocalJobQueue;
    this.month = monthOf(deps.clock.now());
  }

  /** Fires everything due by `upTo` (and the sweeper), serialised with any firing under way. */
  fireUntil(upTo: number, moveClock?: (to: number) => void): Promise<FiredEvent[]> {
    const run = this.running.then(() => this.fire(upTo, moveClock));
    this.running = run.catch(() => {});
    return run;
  }

  idle(): Promise<unknown> {
    return this.running;
  }

  startTimer(): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.fireUntil(this.deps.clock.now()).catch((error) =>
        console.error('firing deadline events failed', error),
      );
    }, POLL_MS);
    timer.unref();
    return timer;
  }

  private async fire(upTo: number, moveClock?: (to: number) => void): Promise<FiredEvent[]> {
    const fired: FiredEvent[] = [];
    for (;;) {
      const [next] = await this.scheduler.due(upTo, 1);
      // Jobs (deliveries, Slack events) and deadline events, in time order.
      const [job] = await this.jobs.due(next?.at ?? upTo, 1);
      if (job && (!next || job.at <= next.at)) {
        if (moveClock && job.at > this.deps.clock.now()) moveClock(job.at);
        await this.runJob(job);
        continue;
      }
      if (!next) break;
      if (moveClock && next.at > this.deps.clock.now()) moveClock(next.at);
      if (!(await this.scheduler.claim(next.name))) continue;
      const result = await handleDeadlineEvent(next.input, this.deps);
      fired.push({
        name: next.name,
        at: new Date(next.at).toISOString(),
        ...next.input,
        outcome: result.outcome,
      });
    }
    if (moveClock) moveClock(upTo);
    if (moveClock || this.deps.clock.now() - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = this.deps.clock.now();
      await sweep(this.deps);
      // The local TTL scans every table: garbage collection, so every 10 minutes of desk time
      // is enough (AWS's takes up to days), not on every sweep or move of the clock.
      if (this.deps.clock.now() - this.lastExpiry >= EXPIRE_EVERY_MS) {
        this.lastExpiry = this.deps.clock.now();
        await this.expire(this.lastExpiry);
      }
    }
    await this.reportEndedMonths();
    return fired;
  }

  /** Runs a job as the worker would on SQS: put back for its retry, or off the queue when done. */
  private async runJob(queued: QueuedJob): Promise<void> {
    const now = this.deps.clock.now();
    const receipt = { count: queued.runs + 1, firstAt: queued.firstAt ?? now };
    let delay: number | null;
    try {
      delay = await runJob(this.deps, queued.job, receipt);
    } catch (error) {
      console.error('a job failed', error);
      delay = retryDelay(receipt.count, receipt.firstAt, now);
    }
    if (delay === null) await this.jobs.remove(queued.name);
    else await this.jobs.put({ ...queued, at: now + delay, runs: receipt.count, firstAt: receipt.firstAt });
  }

  /**
   * Crossing into a new month (REPORT_TIME_ZONE) runs the monthly reports of every month that
   * ended, once: a failure is logged (and recorded per customer), never retried on every tick.
   */
  private async reportEndedMonths(): Promise<void> {
    const zone = config().REPORT_TIME_ZONE;
    const current = localMonth(zone, this.deps.clock.now());
    const ended: string[] = [];
    for (let m = this.month; m < current; m = monthAfter(m)) ended.push(m);
    this.month = current;
    for (const month of ended) {
      try {
        await startMonthlyReports(this.deps, month);
      } catch (error) {
        console.error(
          JSON.stringify({ level: 'ERROR', message: 'monthly reports failed', month, error: String(error) }),
        );
      }
    }
  }
}

async function stop(server: Server, dynamo: SupervisedDynamo, drain: () => Promise<unknown>): Promise<void> {
  // Stop accepting, let requests under way finish (they need DynamoDB Local), then stop it.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const forced = setTimeout(() => server.closeAllConnections(), 5000);
  await closed;
  clearTimeout(forced);
  await drain();
  await dynamo.stop();
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  gateway: Gateway,
  deps: Deps,
  outbox: LocalOutbox,
  events: DeadlineFiring,
  web: Map<string, WebAsset>,
) {
  const { clock } = deps;
  const blobs = deps.blobs as LocalBlobStore;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const page = req.method === 'GET' || req.method === 'HEAD' ? web.get(path) : undefined;
  if (page) {
    res.writeHead(200, { 'content-type': page.type, ...PAGE_HEADERS, ...page.headers });
    res.end(req.method === 'HEAD' ? undefined : page.body);
    return;
  }
  if (path === '/live' && req.method === 'GET') return streamLive(req, res, url, deps);
  if (path === '/local/uploads' && req.method === 'POST') return send(res, await acceptUpload(req, blobs));
  if (path === '/local/blobs' && req.method === 'GET') {
    const file = await blobs.download(url.searchParams);
    if (!file) return send(res, errorReply(404, 'not-found', 'no such file, or the link has expired'));
    res.writeHead(200, file.headers);
    res.end(file.body);
    return;
  }
  const body = await readBody(req);
  if (body === null) {
    send(
      res,
      errorReply(413, 'payload-too-large', `the body is over the ${MAX_BODY_BYTES} byte limit`),
      true,
    );
    return;
  }
  if (path === '/local/clock' && req.method === 'POST')
    return send(res, await moveClock(clock, body, events));
  if (path === '/local/clock' && req.method === 'GET')
    return send(res, json(200, { now: new Date(clock.now()).toISOString() }));
  if (path === '/local/outbox' && req.method === 'GET') return send(res, json(200, outbox.list()));
  // Every page sent, newest last, with its one-time link: a test acknowledges by following it.
  if (path === '/local/pages' && req.method === 'GET')
    return send(res, json(200, (deps.pager as RecordingPager).pages));
  if (path.startsWith('/local/chat')) return send(res, localChat(deps, req.method ?? 'GET', path, body));
  send(
    res,
    await gateway.invoke({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    }),
  );
}

const ChatMember = z.object({
  teamId: z.string().check(z.minLength(1), z.maxLength(50)),
  userId: z.string().check(z.minLength(1), z.maxLength(50)),
  email: z.email(),
});

const ChatFile = z.object({
  teamId: z.string().check(z.minLength(1), z.maxLength(50)),
  fileId: z.string().check(z.minLength(1), z.maxLength(50)),
  base64: z.base64().check(z.maxLength(Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 4)),
});

const safeJson = (body: string): unknown => {
  try {
    return JSON.parse(body || 'null');
  } catch {
    return null;
  }
};

/**
 * GET /local/chat: what the desk posted to Slack; POST /local/chat/members: a member's address;
 * POST /local/chat/files: a shared file's bytes, as Slack would serve them to the bot.
 */
function localChat(deps: Deps, method: string, path: string, body: string) {
  const chat = deps.chat;
  if (!(chat instanceof RecordingChat)) {
    return errorReply(409, 'slack-connected', 'SLACK_BOT_TOKEN is set: posts go to the Slack workspace');
  }
  if (path === '/local/chat' && method === 'GET') return json(200, chat.posts);
  if (path === '/local/chat/members' && method === 'POST') {
    let parsed: z.infer<typeof ChatMember>;
    try {
      parsed = ChatMember.parse(JSON.parse(body || 'null'));
    } catch {
      return errorReply(400, 'invalid-input', 'expected {"teamId", "userId", "email"}', [
        { field: 'body', in: 'body', message: 'expected {"teamId", "userId", "email"}' },
      ]);
    }
    chat.addMember(parsed.teamId, parsed.userId, parsed.email);
    return json(200, parsed);
  }
  if (path === '/local/chat/files' && method === 'POST') {
    const parsed = ChatFile.safeParse(safeJson(body));
    if (!parsed.success) {
      return errorReply(400, 'invalid-input', 'expected {"teamId", "fileId", "base64"} (at most 10 MB)', [
        { field: String(parsed.error.issues[0]?.path[0] ?? 'body'), in: 'body', message: 'invalid' },
      ]);
    }
    const bytes = Buffer.from(parsed.data.base64, 'base64');
    chat.addFile(parsed.data.teamId, parsed.data.fileId, bytes);
    return json(200, { teamId: parsed.data.teamId, fileId: parsed.data.fileId, size: bytes.length });
  }
  return errorReply(404, 'not-found', `no local route ${method} ${path}`);
}

// An upload is a multipart form: the signed fields, then the file (S3's presigned POST shape).
const MAX_UPLOAD_READ = MAX_ATTACHMENT_BYTES + 64 * 1024;

async function acceptUpload(req: IncomingMessage, blobs: LocalBlobStore) {
  const raw = await readBytes(req, MAX_UPLOAD_READ);
  if (raw === null) {
    return errorReply(413, 'payload-too-large', `an upload takes at most ${MAX_ATTACHMENT_BYTES} bytes`);
  }
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': req.headers['content-type'] ?? '' },
    }).formData();
  } catch {
    return errorReply(400, 'invalid-input', 'expected a multipart/form-data upload', [
      { field: 'file', in: 'body', message: 'expected multipart/form-data with the fields and a file' },
    ]);
  }
  const file = form.get('file');
  if (!(file instanceof Blob)) {
    return errorReply(400, 'invalid-input', 'the form has no file', [
      { field: 'file', in: 'body', message: 'expected a file field' },
    ]);
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === 'string') fields[name] = value;
  const refused = await blobs.acceptUpload(fields, new Uint8Array(await file.arrayBuffer()), file.type);
  if (refused) {
    return errorReply(403, 'upload-refused', refused, [{ field: 'file', in: 'body', message: refused }]);
  }
  return { statusCode: 204, headers: {}, body: '' };
}

async function moveClock(clock: Clock, body: string, events: DeadlineFiring) {
  if (!(clock instanceof VirtualClock)) {
    return errorReply(
      409,
      'clock-not-virtual',
      'the clock is the system clock; start with CLOCK=virtual to move it',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body || 'null');
  } catch {
    return errorReply(400, 'malformed-json', 'the request body is not valid JSON');
  }
  const move = ClockMove.safeParse(parsed);
  if (!move.success) {
    return errorReply(400, 'invalid-input', 'send {"advance": "PT2H"} or {"to": "<ISO date-time>"}', [
      { field: 'advance', in: 'body', message: move.error.issues[0]?.message ?? 'invalid' },
    ]);
  }
  const to =
    'advance' in move.data
      ? clock.now() + Duration.fromISO(move.data.advance).as('milliseconds')
      : Date.parse(move.data.to);
  if (to < clock.now()) {
    return errorReply(
      422,
      'clock-backwards',
      `the clock cannot go back from ${new Date(clock.now()).toISOString()}`,
      [{ field: 'to', in: 'body', message: 'before the current time' }],
    );
  }
  // Every event due by the new time fires, in time order and at its own time, before we answer.
  const fired = await events.fireUntil(to, (t) => clock.set(t));
  return json(200, { now: new Date(clock.now()).toISOString(), fired });
}

// Past the limit a body is read and dropped, so that the client gets its 413 rather than a
// reset connection; a client still sending after this much more is cut off.
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/** The body, or null when it is over the limit (read to its end, kept no further). */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const bytes = await readBytes(req, MAX_READ_BYTES);
  return bytes === null ? null : bytes.toString('utf8');
}

function readBytes(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit + MAX_DRAIN_BYTES) {
        resolve(null);
        req.pause();
      }
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * What Node answers before a request reaches us: a request line or headers over its 16 KB
 * (431), or a request it cannot parse (400), in the API's JSON error shape.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const reply = tooLarge
    ? errorReply(431, 'headers-too-large', 'the URL and headers are over 16 KB together; shorten the URL', [
        { field: 'url', in: 'path', message: 'over 16 KB with the headers' },
      ])
    : errorReply(400, 'malformed-request', `the request could not be parsed: ${error.code ?? 'bad request'}`);
  const body = reply.body ?? '';
  socket.end(
    `HTTP/1.1 ${reply.statusCode} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function send(
  res: ServerResponse,
  result: { statusCode?: number; headers?: Record<string, unknown>; body?: string; cookies?: string[] },
  close = false,
) {
  res.writeHead(result.statusCode ?? 200, {
    ...(result.headers as Record<string, string>),
    ...(result.cookies?.length ? { 'set-cookie': result.cookies } : {}),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(result.body ?? '');
}
