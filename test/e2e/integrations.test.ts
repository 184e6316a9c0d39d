// Slack and a webhook receiver on the local runtime, over HTTP, with the virtual clock: a
// member's Slack message opens a ticket after the answer, an agent's reply goes back into the
// thread (GET /local/chat), and a real HTTP receiver gets every event signed, once it is up
// again after a day down (failed, then redelivered).
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../infra/local/runtime';
import { apiOf, virtualRuntime } from './support';

const SIGNING_SECRET = 'e2e-slack-signing-secret';
let runtime: LocalRuntime;
let receiver: Server;
let hookUrl: string;
let hookSecret = '';
let receiverUp = true;
const received: { id: string; type: string; valid: boolean }[] = [];
const admin: ReturnType<typeof apiOf> = (...args) => apiOf(runtime)(...args);

function slack(body: unknown) {
  const text = JSON.stringify(body);
  const at = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', SIGNING_SECRET).update(`v0:${at}:${text}`).digest('hex');
  return fetch(`${runtime.url}/integrations/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(at),
      'x-slack-signature': `v0=${signature}`,
    },
    body: text,
  });
}

/** Waits for what the jobs run after an answer (a few hundred ms at most). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    if (done(value) || i > 200) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (!receiverUp) return res.writeHead(503).end();
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(String(req.headers['sla-desk-signature'])) ?? [];
      // README's sample receiver: the signature, and t within 5 minutes of the receiver's (real) clock.
      const valid =
        v1 === createHmac('sha256', hookSecret).update(`${t}.${body}`).digest('hex') &&
        Math.abs(Date.now() / 1000 - Number(t)) < 300;
      const event = JSON.parse(body);
      received.push({ id: event.id, type: event.type, valid });
      res.writeHead(valid ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sla-desk`;
  process.env.SLACK_SIGNING_SECRET = SIGNING_SECRET;
  runtime = await virtualRuntime(Date.parse('2026-11-23T09:00:00Z'));
}, 60_000);
afterAll(async () => {
  delete process.env.SLACK_SIGNING_SECRET;
  receiver?.close();
  await runtime?.stop();
});

describe('integrations on the local runtime', () => {
  it('files a Slack message, answers in its thread, and sends every event to the receiver, signed', async () => {
    const acme = await admin('POST', '/customers', {
      name: 'Acme',
      planId: 'sourcegraph-premium-24x7',
      contacts: [{ email: 'ana@acme.test', name: 'Ana Berg' }],
    });
    const agent = (await admin('POST', '/api-keys', { role: 'agent', name: 'Kim' })).key;
    const hook = await admin('POST', `/customers/${acme.id}/webhooks`, {
      url: hookUrl,
      events: ['ticket.created', 'message.created', 'ticket.resolved'],
    });
    hookSecret = hook.secret;
    await admin('POST', `/customers/${acme.id}/slack-channels`, { teamId: 'T0ACME', channelId: 'C0SUPPORT' });
    await admin('POST', '/local/chat/members', { teamId: 'T0ACME', userId: 'U0ANA', email: 'ana@acme.test' });

    const answer = await slack({
      type: 'event_callback',
      team_id: 'T0ACME',
      event_id: 'Ev0E2E0001',
      event: {
        type: 'message',
        channel: 'C0SUPPORT',
        user: 'U0ANA',
        text: 'P2 search is slow',
        ts: '1795424400.000100',
      },
    });
    expect(answer.status).toBe(200);
    const tickets = await eventually(
      () => admin('GET', `/tickets?customerId=${acme.id}`),
      (t) => t.items.length > 0,
    );
    expect(tickets.items[0]).toMatchObject({ channel: 'chat', priority: 'P2', subject: 'P2 search is slow' });
    const ticketId = tickets.items[0].id;

    await admin('POST', `/tickets/${ticketId}/messages`, { body: 'Reindexing now.' }, agent);
    const posts = await eventually(
      () => fetch(`${runtime.url}/local/chat`).then((r) => r.json()),
      (p: { text: string; threadTs: string }[]) => p.length >= 2,
    );
    expect(posts.map((p) => p.text)).toEqual([
      expect.stringMatching(new RegExp(`^Opened ticket ${ticketId}, P2 \\(Major\\): we respond by`)),
      expect.stringContaining('Reindexing now.'),
    ]);
    expect(posts.map((p) => p.threadTs)).toEqual(['1795424400.000100', '1795424400.000100']);

    const events = await eventually(
      async () => received,
      (r) => r.length >= 2,
    );
    // At least once, in no promised order (as on SQS): the receiver sorts by the ticket's state.
    expect(events.map((e) => [e.type, e.valid]).sort()).toEqual([
      ['message.created', true],
      ['ticket.created', true],
    ]);
  }, 60_000);

  it('retries a receiver that is down for a day, lists the delivery as failed, and redelivers it', async () => {
    const [customer] = (await admin('GET', '/customers')).items;
    const [ticket] = (await admin('GET', `/tickets?customerId=${customer.id}`)).items;
    receiverUp = false;
    await admin('POST', `/tickets/${ticket.id}/status`, { status: 'resolved' });
    // Publishing runs beside the request: the day starts once the delivery exists (its log says so).
    const [hook] = (await admin('GET', `/customers/${customer.id}/webhooks`)).items;
    await eventually(
      async () => (await admin('GET', `/customers/${customer.id}/webhooks/${hook.id}/deliveries`)).items,
      (items: { eventType: string; attempts: number }[]) =>
        items.some((d) => d.eventType === 'ticket.resolved' && d.attempts > 0),
    );
    await admin('POST', '/local/clock', { advance: 'P1DT1H' });
    const failed = await admin('GET', `/customers/${customer.id}/failed-deliveries`);
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]).toMatchObject({ eventType: 'ticket.resolved', lastError: 'HTTP 503' });
    expect(failed.items[0].attempts).toBeGreaterThan(10);
    receiverUp = true;
    await admin('POST', `/customers/${customer.id}/failed-deliveries/${failed.items[0].id}/redeliver`);
    const events = await eventually(
      async () => received,
      (r) => r.some((e) => e.type === 'ticket.resolved'),
    );
    expect(events.filter((e) => e.type === 'ticket.resolved')).toEqual([
      { id: failed.items[0].eventId, type: 'ticket.resolved', valid: true },
    ]);
    expect((await admin('GET', `/customers/${customer.id}/failed-deliveries`)).items).toEqual([]);
  }, 60_000);
});
