// The local runtime: DynamoDB Local, the tables, the presets, an admin key, and an HTTP
// server that serves every route through the same handlers as API Gateway would, plus the
// /local/* routes (virtual clock, outbox) that exist only here.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { Duration } from 'luxon';
import * as z from 'zod';
import { VirtualClock } from '../../functions/adapters/local/clock';
import { LocalOutbox } from '../../functions/adapters/local/outbox';
import { createApiKey } from '../../functions/app/directory';
import { seedPresets } from '../../functions/app/plans';
import { type Config, config, resetConfig } from '../../functions/config';
import { errorReply, MAX_BODY_BYTES } from '../../functions/http/middleware';
import { handlers, ROUTES } from '../../functions/http/routes/index';
import type { Clock, Deps } from '../../functions/ports';
import { buildDeps, setDeps, systemClock } from '../../functions/wiring';
import { createTables, type RunningDynamo, startDynamoDbLocal } from './dynamodb-local';
import { Gateway } from './gateway';

export interface LocalOptions {
  port: number;
  /** Where DynamoDB Local keeps its files; null keeps everything in memory (tests). */
  dataDir: string | null;
  adminKey?: string | undefined;
  clock: 'system' | 'virtual';
  clockStart?: number | undefined;
  host?: string;
}

export interface LocalRuntime {
  url: string;
  adminKey: string;
  deps: Deps;
  clock: Clock;
  outbox: LocalOutbox;
  stop(): Promise<void>;
}

// The local server reads at most this much of a body before answering 413 (Lambda's own limit).
const MAX_READ_BYTES = 6 * 1024 * 1024;

const ClockMove = z.union([
  z.object({
    advance: z
      .string()
      .refine(
        (d) => Duration.fromISO(d).isValid && Duration.fromISO(d).as('milliseconds') >= 0,
        'expected an ISO 8601 duration such as PT2H',
      ),
  }),
  z.object({ to: z.iso.datetime({ offset: true }) }),
]);

export async function startLocalRuntime(options: LocalOptions): Promise<LocalRuntime> {
  const dynamo = await startDynamoDbLocal(
    options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {},
  );
  try {
    process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    resetConfig();
    const cfg = config();
    await createTables(dynamo.endpoint, tableNames(cfg));
    const clock =
      options.clock === 'virtual' ? new VirtualClock(options.clockStart ?? Date.now()) : systemClock;
    const deps = buildDeps(clock, cfg);
    setDeps(deps);
    await seedPresets(deps.directory, clock.now());
    const adminKey = options.adminKey ?? `sla_${randomBytes(24).toString('base64url')}`;
    await createApiKey(deps, null, { role: 'admin', name: 'admin' }, adminKey).catch((error) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // the key is stored already
    });
    const outbox = new LocalOutbox();
    const gateway = new Gateway(ROUTES, handlers);
    const server = createServer((req, res) => {
      serve(req, res, gateway, clock, outbox).catch((error) => {
        console.error(error);
        if (!res.headersSent) send(res, errorReply(500, 'internal', 'the local runtime failed'));
      });
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, resolve);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    return { url: `http://${host}:${port}`, adminKey, deps, clock, outbox, stop: () => stop(server, dynamo) };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}

export function tableNames(cfg: Config) {
  return {
    tickets: cfg.TICKETS_TABLE,
    directory: cfg.DIRECTORY_TABLE,
    incidents: cfg.INCIDENTS_TABLE,
    reports: cfg.REPORTS_TABLE,
  };
}

async function stop(server: Server, dynamo: RunningDynamo): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await dynamo.stop();
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  gateway: Gateway,
  clock: Clock,
  outbox: LocalOutbox,
) {
  const body = await readBody(req);
  if (body === null) {
    send(
      res,
      errorReply(413, 'payload-too-large', `the body is over the ${MAX_BODY_BYTES} byte limit`),
      true,
    );
    return;
  }
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/local/clock' && req.method === 'POST') return send(res, moveClock(clock, body));
  if (path === '/local/clock' && req.method === 'GET')
    return send(res, json(200, { now: new Date(clock.now()).toISOString() }));
  if (path === '/local/outbox' && req.method === 'GET') return send(res, json(200, outbox.list()));
  send(
    res,
    await gateway.invoke({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body }),
  );
}

function moveClock(clock: Clock, body: string) {
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
  try {
    clock.set(to);
  } catch (error) {
    return errorReply(422, 'clock-backwards', (error as Error).message, [
      { field: 'to', in: 'body', message: 'before the current time' },
    ]);
  }
  // Deadline events due by now fire here once the scheduler is wired (escalation issue).
  return json(200, { now: new Date(clock.now()).toISOString(), fired: [] });
}

function json(status: number, body: unknown) {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_READ_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  result: { statusCode?: number; headers?: Record<string, unknown>; body?: string },
  close = false,
) {
  res.writeHead(result.statusCode ?? 200, {
    ...(result.headers as Record<string, string>),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(result.body ?? '');
}
