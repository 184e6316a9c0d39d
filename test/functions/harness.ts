// A test's own sla-desk: fresh tables in the shared DynamoDB Local, a virtual clock, the
// presets, an admin key, and `call` that goes through the same gateway as the local runtime.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { VirtualClock } from '../../functions/adapters/local/clock';
import { buildLocalDeps } from '../../functions/adapters/local/deps';
import type { LocalOutbox } from '../../functions/adapters/local/outbox';
import type { LocalScheduler } from '../../functions/adapters/local/scheduler';
import { seedPresets } from '../../functions/app/presets';
import { ensureFirstAdmin } from '../../functions/app/staff';
import { type Config, config, firstAdmin, resetConfig } from '../../functions/config';
import { handlers, ROUTES } from '../../functions/http/routes/index';
import type { Deps } from '../../functions/ports';
import { setDeps } from '../../functions/wiring';
import { createTables } from '../../infra/local/dynamodb-local';
import { Gateway } from '../../infra/local/gateway';
import { DeadlineFiring, type FiredEvent, localTables } from '../../infra/local/runtime';
import { responseChecker } from './contract';

export interface Response {
  status: number;
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in assertions
  body: any;
}

export interface Person {
  id: string;
  email: string;
  name: string;
  key: string;
  /** The session cookie the invitation opened. */
  cookie: string;
}

export interface Harness {
  deps: Deps;
  clock: VirtualClock;
  adminKey: string;
  call(
    method: string,
    url: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string>; sourceIp?: string },
  ): Promise<Response>;
  customer(
    planId: string,
    contacts?: { email: string; name: string; mayOpenTickets?: boolean }[],
  ): Promise<{ id: string; key: string }>;
  key(role: 'admin' | 'agent' | 'customer', customerId?: string): Promise<string>;
  /**
   * A staff member as an admin makes one: invited (POST /staff), the invitation finished by its
   * mailed link, and a key of their own.
   */
  person(role: 'admin' | 'agent', name?: string): Promise<Person>;
  /** Moves the virtual clock to `to`, firing every due deadline event at its own time, then sweeping. */
  advance(to: number): Promise<FiredEvent[]>;
  outbox: LocalOutbox;
  scheduler: LocalScheduler;
}

/** The deadlines' events among those fired (not the escalation steps'). */
export const deadlineEvents = (fired: FiredEvent[]) => fired.filter((f) => f.kind !== undefined);

/** Opens a form ticket with `key` (a customer's): its id. */
export async function openTicket(
  h: Harness,
  key: string,
  priority: string,
  subject: string,
): Promise<string> {
  const res = await h.call('POST', '/tickets', {
    key,
    body: { subject, description: 'd', priority, channel: 'form' },
  });
  if (res.status !== 201) throw new Error(`ticket: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}${counter++}`;

export async function harness(start = '2026-11-23T08:00:00Z'): Promise<Harness> {
  const prefix = `t${unique()}`;
  process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
  process.env.TICKETS_TABLE = `${prefix}-tickets`;
  process.env.DIRECTORY_TABLE = `${prefix}-directory`;
  process.env.INCIDENTS_TABLE = `${prefix}-incidents`;
  process.env.REPORTS_TABLE = `${prefix}-reports`;
  process.env.SCHEDULES_TABLE = `${prefix}-schedules`;
  process.env.INBOUND_TABLE = `${prefix}-inbound`;
  process.env.INTEGRATIONS_TABLE = `${prefix}-integrations`;
  process.env.WEBHOOKS_ALLOW_HTTP = 'true';
  process.env.WEBHOOKS_ALLOW_LOOPBACK = 'true';
  // A local runtime started earlier in this worker points links at its own port: not here.
  delete process.env.PORTAL_URL;
  resetConfig();
  const cfg: Config = config();
  await createTables(cfg.DYNAMODB_ENDPOINT!, localTables(cfg));
  const clock = new VirtualClock(Date.parse(start));
  const deps = buildLocalDeps(clock, cfg);
  setDeps(deps);
  await seedPresets(deps, clock.now());
  const adminKey = `sla_admin_${unique()}`;
  await ensureFirstAdmin(deps, { key: adminKey, ...firstAdmin(cfg) });
  const gateway = new Gateway(ROUTES, handlers);
  const firing = new DeadlineFiring(deps, deps.scheduler as LocalScheduler);
  const advance = (to: number) => firing.fireUntil(to, (t) => clock.set(t));

  // Every response is checked against the document the API serves.
  const served = await gateway.invoke({ method: 'GET', url: '/openapi.json', headers: {} });
  const conforms = responseChecker(JSON.parse(served.body ?? '{}'));

  const call: Harness['call'] = async (method, url, options = {}) => {
    const key = options.key === undefined ? adminKey : options.key;
    const result = await gateway.invoke({
      method,
      url,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        'content-type': 'application/json',
        ...options.headers,
      },
      ...(options.body === undefined
        ? {}
        : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
      ...(options.sourceIp ? { sourceIp: options.sourceIp } : {}),
    });
    const cookies = (result as { cookies?: string[] }).cookies;
    const response = {
      status: result.statusCode ?? 200,
      headers: {
        ...(result.headers as Record<string, string>),
        // Each Set-Cookie on a line of its own (the gateway sends them apart).
        ...(cookies?.length ? { 'set-cookie': cookies.join('\n') } : {}),
      } as Record<string, string>,
      body: !result.body
        ? null
        : String(result.headers?.['content-type']).startsWith('application/json')
          ? JSON.parse(result.body)
          : result.body,
    };
    conforms(method, url, response.status, response.headers, response.body);
    return response;
  };

  const key: Harness['key'] = async (role, customerId) => {
    const res = await call('POST', '/api-keys', {
      body: { role, name: `${role} ${unique()}`, ...(customerId ? { customerId } : {}) },
    });
    if (res.status !== 201) throw new Error(`key: ${JSON.stringify(res.body)}`);
    return res.body.key as string;
  };

  const customer: Harness['customer'] = async (planId, contacts) => {
    const res = await call('POST', '/customers', {
      body: {
        name: `Customer ${unique()}`,
        planId,
        contacts: contacts ?? [{ email: `${unique()}@example.test`, name: 'Contact' }],
      },
    });
    if (res.status !== 201) throw new Error(`customer: ${JSON.stringify(res.body)}`);
    return { id: res.body.id as string, key: await key('customer', res.body.id) };
  };

  const person: Harness['person'] = async (role, name = `Agent ${unique()}`) => {
    const email = `${unique()}@staff.test`;
    const invited = await call('POST', '/staff', {
      body: { email, name, role, timeZone: 'Europe/Stockholm' },
    });
    if (invited.status !== 201) throw new Error(`invite: ${JSON.stringify(invited.body)}`);
    const mail = (deps.mailer as LocalOutbox).list().find((m) => m.to.includes(email));
    const token = /#\/welcome\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
    const finished = await call('POST', '/auth/invitations', {
      key: null,
      body: { token, name, workingHours: invited.body.workingHours },
    });
    if (finished.status !== 201) throw new Error(`invitation: ${JSON.stringify(finished.body)}`);
    const made = await call('POST', '/api-keys', {
      body: { role, name: `${name}'s key`, owner: { staffId: invited.body.id } },
    });
    if (made.status !== 201) throw new Error(`key: ${JSON.stringify(made.body)}`);
    const cookie = /sla_session=([^;]+)/.exec(finished.headers['set-cookie'] ?? '')![1]!;
    return { id: invited.body.id as string, email, name, key: made.body.key as string, cookie };
  };

  return {
    deps,
    clock,
    adminKey,
    call,
    customer,
    key,
    person,
    advance,
    outbox: deps.mailer as LocalOutbox,
    scheduler: deps.scheduler as LocalScheduler,
  };
}
