// The load generator of `npm run bench:api`, in a process of its own (so that it takes no CPU
// from the server it measures): one case per run, its figures as one JSON line on stdout.
//   http: autocannon against a URL (method, headers, body).
//   raw:  DynamoDB commands sent straight to DynamoDB Local by as many concurrent senders, each
//         a template whose `@@ID@@` is replaced by a fresh ticket id and `@@SHARD@@` by its
//         shard (writes), or kept (reads); sent in parallel (a list's shard queries), or one
//         after the other with `inSequence` (a creation, then the mark of its mail).
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { shardOf } from '../domain/shards';

type Raw = { kind: 'transact' | 'update' | 'get' | 'query'; input: unknown };
type Case =
  | { mode: 'http'; url: string; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }
  | { mode: 'raw'; endpoint: string; commands: Raw[]; inSequence?: boolean };

const { connections, seconds, ...spec } = JSON.parse(process.argv[2]!) as Case & {
  connections: number;
  seconds: number;
};

if (spec.mode === 'http') {
  const result = await autocannon({ ...spec, connections, duration: seconds });
  console.log(
    JSON.stringify({
      requests: result.requests.total,
      ok: result['2xx'],
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
    }),
  );
} else {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: spec.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const templates = spec.commands.map((c) => ({ kind: c.kind, text: JSON.stringify(c.input) }));
  const until = Date.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  const latencies: number[] = [];
  const COMMANDS = {
    transact: TransactWriteCommand,
    update: UpdateCommand,
    get: GetCommand,
    query: QueryCommand,
  };
  const one = async () => {
    const id = `TKT-${randomBytes(5).toString('hex').toUpperCase()}`;
    const send = ({ kind, text }: (typeof templates)[number]) =>
      db.send(
        new COMMANDS[kind](
          JSON.parse(text.replaceAll('@@ID@@', id).replaceAll('@@SHARD@@', String(shardOf(id)))),
        ) as never,
      );
    // One "request": every command of the case, at once or in turn.
    if (spec.inSequence) for (const template of templates) await send(template);
    else await Promise.all(templates.map(send));
  };
  const sender = async () => {
    while (Date.now() < until) {
      const started = performance.now();
      try {
        await one();
        done++;
        latencies.push(performance.now() - started);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, sender));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.floor(q * (latencies.length - 1))] ?? 0);
  console.log(JSON.stringify({ requests: done, ok: done, p50Ms: at(0.5), p99Ms: at(0.99), errors }));
  db.destroy();
}
