// `npm run bench:api`: the local runtime over real HTTP (DynamoDB Local, the same handlers),
// loaded by autocannon from this process: tickets created per second with p50/p99 latency,
// then reads of one ticket. One JSON line per case.
import autocannon from 'autocannon';
import { startLocalRuntime } from '../infra/local/runtime';

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
  const { id } = await post('/tickets', ticket, auth);

  const cases: [string, autocannon.Options][] = [
    [
      'create-ticket',
      { url: `${runtime.url}/tickets`, method: 'POST', headers: auth, body: JSON.stringify(ticket) },
    ],
    ['get-ticket', { url: `${runtime.url}/tickets/${id}`, method: 'GET', headers: auth }],
  ];
  for (const [name, options] of cases) {
    const result = await autocannon({ ...options, connections: CONNECTIONS, duration: DURATION_S });
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
} finally {
  await runtime.stop();
}
