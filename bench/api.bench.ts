// `npm run bench:api`: the local runtime over real HTTP (DynamoDB Local, the same handlers),
// loaded by autocannon from this process: tickets created per second with p50/p99 latency,
// then reads of one ticket. Then the store's limit on this machine: the very transaction a
// creation writes, sent raw to the same DynamoDB Local by as many concurrent senders, and our
// creations per second as a share of it (target: at least 50 %). One JSON line per case.
import '../infra/local/powertools';
import { randomBytes } from 'node:crypto';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { documentClient } from '../functions/adapters/aws/dynamodb';
import { config } from '../functions/config';
import { startLocalRuntime } from '../infra/local/runtime';

/** The input of the first TransactWriteItems the store sends from now on. */
function captureTransaction(): Promise<ConstructorParameters<typeof TransactWriteCommand>[0]> {
  const send = DynamoDBDocumentClient.prototype.send;
  return new Promise((resolve) => {
    DynamoDBDocumentClient.prototype.send = function (
      this: DynamoDBDocumentClient,
      command: unknown,
      ...rest
    ) {
      if (command instanceof TransactWriteCommand) {
        DynamoDBDocumentClient.prototype.send = send;
        resolve(structuredClone(command.input));
      }
      return (send as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
    } as typeof send;
  });
}

/** Transactions like `input`, each under fresh keys, from `connections` senders for `seconds`. */
async function rawTransactions(input: object, ticketId: string, connections: number, seconds: number) {
  const db = documentClient(config());
  const template = JSON.stringify(input);
  const until = Date.now() + seconds * 1000;
  let done = 0;
  const sender = async () => {
    while (Date.now() < until) {
      const id = `TKT-${randomBytes(5).toString('hex').toUpperCase()}`;
      await db.send(new TransactWriteCommand(JSON.parse(template.replaceAll(ticketId, id))));
      done++;
    }
  };
  await Promise.all(Array.from({ length: connections }, sender));
  return done / seconds;
}

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

const runtime = await startLocalRuntime({ port: 0, dataDir: null, clock: 'system' });
try {
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
  const captured = captureTransaction();
  const { id } = await post('/tickets', ticket, auth);
  const transaction = await captured;

  const cases: [string, autocannon.Options][] = [
    [
      'create-ticket',
      { url: `${runtime.url}/tickets`, method: 'POST', headers: auth, body: JSON.stringify(ticket) },
    ],
    ['get-ticket', { url: `${runtime.url}/tickets/${id}`, method: 'GET', headers: auth }],
    [
      'create-ticket-request-path',
      { url: `${runtime.url}/tickets`, method: 'POST', headers: auth, body: JSON.stringify(ticket) },
    ],
  ];
  let createdPerSecond = 0;
  for (const [name, options] of cases) {
    if (name === 'create-ticket-request-path') {
      // As on AWS: the stream publishes (mail, webhooks) in another function after the request,
      // and schedules go to EventBridge, not to this DynamoDB Local; both are left out here.
      runtime.deps.tickets = Object.getPrototypeOf(runtime.deps.tickets);
      runtime.deps.scheduler = {
        schedule: async () => {},
        cancel: async () => {},
        scheduleSteps: async () => {},
      };
    }
    const result = await autocannon({ ...options, connections: CONNECTIONS, duration: DURATION_S });
    if (name === 'create-ticket-request-path') createdPerSecond = result.requests.average;
    console.log(
      JSON.stringify({
        case: name,
        connections: CONNECTIONS,
        seconds: DURATION_S,
        requests: result.requests.total,
        perSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
      }),
    );
  }
  const raw = await rawTransactions(transaction, id!, CONNECTIONS, DURATION_S);
  console.log(
    JSON.stringify({
      case: 'raw-creation-transaction',
      connections: CONNECTIONS,
      seconds: DURATION_S,
      perSecond: Math.round(raw),
      items: (transaction.TransactItems ?? []).length,
    }),
  );
  const share = Math.round((createdPerSecond / raw) * 100);
  console.log(
    JSON.stringify({ case: 'creation-share-of-store-limit', percent: share, target: 50, met: share >= 50 }),
  );
} finally {
  await runtime.stop();
}
