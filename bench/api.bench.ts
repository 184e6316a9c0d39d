// `npm run bench:api`: the local runtime over real HTTP (DynamoDB Local, the same handlers),
// loaded from another process (bench/api-load.ts) at 1, 10 and 50 connections, beside the store's
// own limit measured in the same run: the same DynamoDB calls sent raw by as many senders.
//   creation: the whole path a user gets (the API key's check, the transaction, the deadlines'
//     two schedules, and the publishing after it: the acknowledgement mailed and marked sent,
//     webhooks, live consoles, the search index), counted until the last publishing ended,
//     against the raw creation transaction. Target: at least 60 %. Beside it, the floor of any
//     creation that records its mail went out: the raw transaction, then the mail's mark.
//   read: GET /tickets/{id} against the raw Query of the ticket's partition (and GetItem).
//   list: the agents' queue, GET /tickets?sort=deadline&limit=25, against its 16 shard queries
//     sent raw (and a single Query of 25).
// One JSON line per case, each with the machine's load average.
import '../infra/local/powertools';
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SHARDS, shardKey } from '../domain/shards';
import { publishing, publishingIdle } from '../functions/adapters/local/publishing-tickets';
import { publish } from '../functions/app/outbound';
import { config } from '../functions/config';
import type { TicketStore } from '../functions/ports';
import { startLocalRuntime } from '../infra/local/runtime';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,10,50').split(',').map(Number);
const TARGET = 60;

/** The input of the first command the store sends from now on that `matches`. */
function capture<C extends TransactWriteCommand | UpdateCommand>(
  matches: (command: unknown) => command is C,
): Promise<C['input']> {
  const send = DynamoDBDocumentClient.prototype.send;
  return new Promise((resolve) => {
    DynamoDBDocumentClient.prototype.send = function (
      this: DynamoDBDocumentClient,
      command: unknown,
      ...rest
    ) {
      if (matches(command)) {
        DynamoDBDocumentClient.prototype.send = send;
        resolve(structuredClone(command.input));
      }
      return (send as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
    } as typeof send;
  });
}
const isTransaction = (c: unknown): c is TransactWriteCommand => c instanceof TransactWriteCommand;
const isMailMark = (c: unknown): c is UpdateCommand =>
  c instanceof UpdateCommand && String(c.input.UpdateExpression).startsWith('SET sentAt');

interface Load {
  requests: number;
  ok: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx?: number;
}

/** One case run by the load generator in its own process. */
async function load(spec: object, connections: number): Promise<Load> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'bench/api-load.ts', JSON.stringify({ ...spec, connections, seconds: SECONDS })],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Load;
}

const load1 = () => Number(loadavg()[0]!.toFixed(2));
const print = (fields: object) => console.log(JSON.stringify({ ...fields, loadAverage1m: load1() }));

const runtime = await startLocalRuntime({ port: 0, dataDir: null, clock: 'system' });
try {
  const cfg = config();
  const endpoint = cfg.DYNAMODB_ENDPOINT!;
  const admin = { authorization: `Bearer ${runtime.adminKey}`, 'content-type': 'application/json' };
  const post = (path: string, body: unknown, headers = admin): Promise<Record<string, string>> =>
    fetch(`${runtime.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }).then(
      (r) => r.json() as Promise<Record<string, string>>,
    );
  const customer = await post('/customers', {
    name: 'Bench AB',
    planId: 'ombori-enterprise',
    contacts: [{ email: 'bench@example.test', name: 'Bench' }],
  });
  const { key } = await post('/api-keys', { role: 'customer', customerId: customer.id!, name: 'bench' });
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const ticket = {
    subject: 'Screen 4 is black',
    description: 'Since the update this morning.',
    priority: 'P2',
    channel: 'form',
  };
  const captured = capture(isTransaction);
  const { id } = await post('/tickets', ticket, auth);
  // Each raw creation under a fresh id, in that id's shards (else they would all pile on one).
  const transaction = JSON.parse(
    JSON.stringify(await captured)
      .replaceAll(id!, '@@ID@@')
      .replace(/"((?:TICKET|DUE|ATTENTION|OUTBOX|new)#)\d+"/g, '"$1@@SHARD@@"'),
  );
  // The acknowledgement's mark, as the publisher sends it after the mail went out.
  const marked = capture(isMailMark);
  await post('/tickets', ticket, auth);
  const { pk } = (await marked).Key as { pk: string };
  await publishingIdle();
  const mark = JSON.parse(JSON.stringify(await marked).replaceAll(pk.replace('TICKET#', ''), '@@ID@@'));

  const table = cfg.TICKETS_TABLE;
  const readRaw = {
    kind: 'query',
    input: {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `TICKET#${id}` },
      ConsistentRead: true,
    },
  };
  const getRaw = { kind: 'get', input: { TableName: table, Key: { pk: `TICKET#${id}`, sk: 'TICKET' } } };
  const shardQuery = (shard: number, limit: number) => ({
    kind: 'query',
    input: {
      TableName: table,
      IndexName: 'byDeadline',
      KeyConditionExpression: 'deadlinePartition = :p',
      ExpressionAttributeValues: { ':p': shardKey('DUE', shard) },
      Limit: limit,
    },
  });
  // What the queue reads at least for a page of 25: 5 of each shard, at once.
  const listRaw = Array.from({ length: SHARDS }, (_, s) =>
    shardQuery(s, Math.max(5, Math.ceil(50 / SHARDS))),
  );

  /** Creations over HTTP for SECONDS, counted until the publishing behind them ended. */
  const creations = async (connections: number) => {
    const started = performance.now();
    const created = await load(
      {
        mode: 'http',
        url: `${runtime.url}/tickets`,
        method: 'POST',
        headers: auth,
        body: JSON.stringify(ticket),
      },
      connections,
    );
    const loaded = (performance.now() - started) / 1000;
    await publishingIdle();
    const drainS = (performance.now() - started) / 1000 - loaded;
    return {
      ...created,
      perSecond: Math.round(created.ok / (SECONDS + drainS)),
      publishingDrainS: Number(drainS.toFixed(2)),
    };
  };

  // The caller's check, in the function that serves the route (there is no authorizer): a key's
  // first request reads it (and its person, for a person's key), the next ones find it cached.
  const timed = async (headers: Record<string, string>) => {
    const started = performance.now();
    const res = await fetch(`${runtime.url}/tickets/${id}`, { headers });
    await res.arrayBuffer();
    return performance.now() - started;
  };
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) {
    const fresh = await post('/api-keys', { role: 'customer', customerId: customer.id!, name: `bench ${i}` });
    const headers = { authorization: `Bearer ${fresh.key}` };
    cold.push(await timed(headers));
    warm.push(await timed(headers));
  }
  const median = (xs: number[]) => Number(xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1));
  print({
    case: 'GET /tickets/{id}, a key’s first request (read) and its next (cached)',
    coldMs: median(cold),
    warmMs: median(warm),
  });

  for (const connections of CONNECTIONS) {
    // Creation, the whole path: the rate counts the time the publishing behind it took to end.
    const whole = await creations(connections);
    print({ case: 'create-ticket, whole path', connections, seconds: SECONDS, ...whole });
    // The same without the two parts that on AWS are not this store's load: the schedules (here a
    // table in the same DynamoDB Local; EventBridge Scheduler there) and the search index (here
    // indexed in this process; its own function there, from the stream).
    const { scheduler, tickets } = runtime.deps;
    runtime.deps.scheduler = { ...scheduler, schedule: async () => {}, scheduleSteps: async () => {} };
    runtime.deps.tickets = publishing(
      Object.getPrototypeOf(tickets) as TicketStore,
      (t, entries) => publish(runtime.deps, t, entries),
      true,
    );
    const apart = await creations(connections);
    Object.assign(runtime.deps, { scheduler, tickets });
    print({
      case: 'create-ticket, without the local schedules table and search index',
      connections,
      ...apart,
    });
    const raw = await load(
      { mode: 'raw', endpoint, commands: [{ kind: 'transact', input: transaction }] },
      connections,
    );
    const rawPerSecond = raw.ok / SECONDS;
    print({
      case: 'raw creation transaction',
      connections,
      items: transaction.TransactItems.length,
      ...raw,
      perSecond: Math.round(rawPerSecond),
    });
    // The floor of any creation that records its mail went out: the transaction, then the mark.
    const floor = await load(
      {
        mode: 'raw',
        endpoint,
        commands: [
          { kind: 'transact', input: transaction },
          { kind: 'update', input: mark },
        ],
        inSequence: true,
      },
      connections,
    );
    print({
      case: 'raw creation transaction, then its mail marked sent (one update)',
      connections,
      ...floor,
      perSecond: Math.round(floor.ok / SECONDS),
      percentOfRawTransaction: Math.round((floor.ok / SECONDS / rawPerSecond) * 100),
    });
    for (const [path, figure] of [
      ['whole path', whole],
      ['without the local stand-ins', apart],
    ] as const) {
      const share = Math.round((figure.perSecond / rawPerSecond) * 100);
      print({
        case: `creation share of the raw transaction, ${path}`,
        connections,
        percent: share,
        target: TARGET,
        met: share >= TARGET,
      });
    }

    const read = await load(
      { mode: 'http', url: `${runtime.url}/tickets/${id}`, method: 'GET', headers: auth },
      connections,
    );
    print({ case: 'get-ticket', connections, ...read, perSecond: Math.round(read.ok / SECONDS) });
    const rawRead = await load({ mode: 'raw', endpoint, commands: [readRaw] }, connections);
    print({
      case: 'raw Query of the ticket partition',
      connections,
      ...rawRead,
      perSecond: Math.round(rawRead.ok / SECONDS),
    });
    const rawGet = await load({ mode: 'raw', endpoint, commands: [getRaw] }, connections);
    print({
      case: 'raw GetItem of the ticket item',
      connections,
      ...rawGet,
      perSecond: Math.round(rawGet.ok / SECONDS),
    });
    print({
      case: 'read share of the raw Query',
      connections,
      percent: Math.round((read.ok / rawRead.ok) * 100),
    });

    const list = await load(
      { mode: 'http', url: `${runtime.url}/tickets?sort=deadline&limit=25`, method: 'GET', headers: admin },
      connections,
    );
    print({ case: 'list the queue (25)', connections, ...list, perSecond: Math.round(list.ok / SECONDS) });
    const rawList = await load({ mode: 'raw', endpoint, commands: listRaw }, connections);
    print({
      case: 'raw queries of the 16 shards',
      connections,
      ...rawList,
      perSecond: Math.round(rawList.ok / SECONDS),
    });
    const rawOne = await load({ mode: 'raw', endpoint, commands: [shardQuery(0, 25)] }, connections);
    print({
      case: 'raw single Query of 25',
      connections,
      ...rawOne,
      perSecond: Math.round(rawOne.ok / SECONDS),
    });
    print({
      case: 'list share of the raw shard queries',
      connections,
      percent: Math.round((list.ok / rawList.ok) * 100),
    });
  }
} finally {
  await runtime.stop();
}
