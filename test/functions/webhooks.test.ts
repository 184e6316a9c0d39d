// Outbound webhooks: a customer's subscriptions get its ticket events as signed JSON, with
// what the customer may see only; a receiver that fails is tried again with back-off for a day,
// then the delivery is listed as failed and can be redelivered; publishing twice delivers once.
import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_EVENTS } from '../../domain/integrations';
import { FetchWebClient } from '../../functions/adapters/web-client';
import { checkWebhookUrl, publish } from '../../functions/app/outbound';
import type { WebClient } from '../../functions/ports';
import { INSIDE_HOSTS } from '../support';
import { type Harness, harness } from './harness';

interface Received {
  url: string;
  body: string;
  headers: Record<string, string>;
}

let h: Harness;
let agent: string;
let acme: { id: string; key: string };
const received: Received[] = [];
/** What the receiver answers, by URL (200 unless set). */
const answers = new Map<string, number | 'unreachable'>();

const receiver: WebClient = {
  async get(url) {
    throw new Error(`unexpected GET ${url}`);
  },
  async post(url, body, headers) {
    const answer = answers.get(url) ?? 200;
    received.push({ url, body, headers });
    if (answer === 'unreachable') throw new Error('connect ECONNREFUSED');
    return { status: answer };
  },
  async refused() {
    return null;
  },
};

const runJobs = () => h.advance(h.clock.now());
const eventsAt = (url: string) =>
  // biome-ignore lint/suspicious/noExplicitAny: event bodies are read field by field in assertions
  received.filter((r) => r.url === url).map((r) => JSON.parse(r.body) as Record<string, any>);

async function subscribe(url: string, events: string[]) {
  const res = await h.call('POST', `/customers/${acme.id}/webhooks`, { body: { url, events } });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

beforeAll(async () => {
  h = await harness('2026-11-23T08:00:00Z');
  h.deps.web = receiver;
  agent = await h.key('agent');
  acme = await h.customer('ombori-production', [
    { email: 'ana@acme.test', name: 'Ana Berg', mayOpenTickets: true },
  ]);
});

describe('subscriptions', () => {
  it('shows the secret once, lists without it, deletes', async () => {
    const made = await subscribe('https://desk.acme.test/hooks/a', ['ticket.created']);
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const list = await h.call('GET', `/customers/${acme.id}/webhooks`);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: made.id,
        url: 'https://desk.acme.test/hooks/a',
        events: ['ticket.created'],
      }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(made.secret);
    expect((await h.call('DELETE', `/customers/${acme.id}/webhooks/${made.id}`)).status).toBe(200);
    expect((await h.call('DELETE', `/customers/${acme.id}/webhooks/${made.id}`)).status).toBe(404);
  });

  it('refuses unknown events, no events, a URL with a password or another scheme, and an 11th webhook', async () => {
    const bad = async (body: unknown) =>
      (await h.call('POST', `/customers/${acme.id}/webhooks`, { body })).body;
    expect(
      (await bad({ url: 'https://x.test/', events: ['ticket.deleted'] })).error.details[0].field,
    ).toMatch(/^events/);
    expect((await bad({ url: 'https://x.test/', events: [] })).error.details[0].field).toBe('events');
    expect((await bad({ url: 'https://u:p@x.test/', events: ['ticket.created'] })).error.code).toBe(
      'bad-webhook-url',
    );
    expect((await bad({ url: 'ftp://x.test/', events: ['ticket.created'] })).error.code).toBe(
      'bad-webhook-url',
    );
    expect(
      (await bad({ url: `https://x.test/${'é'.repeat(2000)}`, events: ['ticket.created'] })).error.details[0]
        .field,
    ).toBe('url');
    // On AWS (no WEBHOOKS_ALLOW_HTTP) only https:// is taken.
    expect(() => checkWebhookUrl('http://desk.acme.test/hook', false)).toThrow(/https:\/\/host\/path/);
    expect(() => checkWebhookUrl('https://desk.acme.test/hook', false)).not.toThrow();
    const other = await h.customer('ombori-production');
    for (let i = 0; i < 10; i++) {
      const res = await h.call('POST', `/customers/${other.id}/webhooks`, {
        body: { url: `https://x.test/${i}`, events: ['ticket.created'] },
      });
      expect(res.status).toBe(201);
    }
    const eleventh = await h.call('POST', `/customers/${other.id}/webhooks`, {
      body: { url: 'https://x.test/10', events: ['ticket.created'] },
    });
    expect(eleventh.status).toBe(422);
    expect(eleventh.body.error.code).toBe('too-many-webhooks');
    expect((await h.call('GET', `/customers/${acme.id}/webhooks`, { key: agent })).status).toBe(403);
    expect(
      (
        await h.call('POST', '/customers/CUS-NOPE/webhooks', {
          body: { url: 'https://x.test/', events: ['ticket.created'] },
        })
      ).status,
    ).toBe(404);
  });
});

describe('events', () => {
  const URL_ALL = 'https://desk.acme.test/hooks/all';
  let hook: { id: string; secret: string };
  let ticketId: string;

  beforeAll(async () => {
    hook = await subscribe(URL_ALL, [...WEBHOOK_EVENTS]);
    const created = await h.call('POST', '/tickets', {
      key: acme.key,
      body: {
        subject: 'Kiosk 12 frozen',
        description: 'The screen does not react — 🧊 “frozen”',
        priority: 'P2',
      },
    });
    ticketId = created.body.id;
    await runJobs();
  });

  it('refuses to subscribe this machine in any spelling, private networks and metadata (422, the url)', async () => {
    const before = h.deps.web;
    h.deps.web = new FetchWebClient(false); // as on AWS: loopback not allowed
    try {
      for (const host of INSIDE_HOSTS) {
        const res = await h.call('POST', `/customers/${acme.id}/webhooks`, {
          body: { url: `http://${host}:8080/hook`, events: ['ticket.created'] },
        });
        expect(res.status, host).toBe(422);
        expect(res.body.error).toMatchObject({ code: 'webhook-url-refused', details: [{ field: 'url' }] });
      }
      h.deps.web = new FetchWebClient(true); // the local runtime's setting
      const local = await h.call('POST', `/customers/${acme.id}/webhooks`, {
        body: { url: 'http://127.0.0.1:4000/hook', events: ['ticket.created'] },
      });
      expect(local.status).toBe(201);
      await h.call('DELETE', `/customers/${acme.id}/webhooks/${local.body.id}`);
      const metadata = await h.call('POST', `/customers/${acme.id}/webhooks`, {
        body: { url: 'http://169.254.169.254/latest/meta-data', events: ['ticket.created'] },
      });
      expect(metadata.status).toBe(422);
    } finally {
      h.deps.web = before;
    }
  });

  it('POSTs ticket.created, signed over timestamp and body, with the event id in a header', async () => {
    const [first] = received.filter((r) => r.url === URL_ALL);
    expect(first).toBeDefined();
    const event = JSON.parse(first!.body);
    expect(event).toMatchObject({
      id: `evt_${ticketId}_1`,
      type: 'ticket.created',
      customerId: acme.id,
      ticket: {
        id: ticketId,
        subject: 'Kiosk 12 frozen',
        priority: 'P2',
        description: 'The screen does not react — 🧊 “frozen”',
      },
    });
    expect(first!.headers['sla-desk-event-id']).toBe(event.id);
    expect(first!.headers['content-type']).toBe('application/json');
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(first!.headers['sla-desk-signature']!)!;
    // By the real clock (the harness's virtual one is days behind): a receiver checks t against its own.
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60);
    expect(Math.abs(Number(t) - h.clock.now() / 1000)).toBeGreaterThan(600);
    // The event id is the event's in every delivery; the delivery id is this webhook's alone.
    expect(first!.headers['sla-desk-delivery-id']).toMatch(new RegExp(`^${event.id}\\.WHK-`));
    expect(v1).toBe(createHmac('sha256', hook.secret).update(`${t}.${first!.body}`).digest('hex'));
  });

  it('sends what the customer sees: no assignee address, no internal notes, no mail', async () => {
    const kim = await h.person('agent', 'Kim Lund');
    await h.call('PATCH', `/tickets/${ticketId}`, { key: agent, body: { assigneeId: kim.id } });
    await h.call('POST', `/tickets/${ticketId}/messages`, {
      key: agent,
      body: { body: 'note: customer is on the old firmware', internal: true },
    });
    await h.call('POST', `/tickets/${ticketId}/messages`, {
      key: agent,
      body: { body: 'Restarting kiosk 12 now.' },
    });
    await runJobs();
    const events = eventsAt(URL_ALL);
    const all = JSON.stringify(events);
    expect(all).not.toContain(kim.email);
    expect(all).not.toContain('old firmware');
    const updated = events.find((e) => e.type === 'ticket.updated');
    expect(updated?.ticket.assignee).toBe('Kim Lund');
    const messages = events.filter((e) => e.type === 'message.created');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.message).toMatchObject({ author: 'agent', body: 'Restarting kiosk 12 now.' });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('sends sla.warning and sla.breached as the deadlines pass, and ticket.resolved', async () => {
    const second = await h.call('POST', '/tickets', {
      key: acme.key,
      body: { subject: 'Scanner offline', description: 'Store 3', priority: 'P1' },
    });
    await h.advance(h.clock.now() + 3 * 24 * 3600_000);
    const mine = eventsAt(URL_ALL).filter((e) => e.ticket.id === second.body.id);
    const warning = mine.find((e) => e.type === 'sla.warning');
    const breach = mine.find((e) => e.type === 'sla.breached');
    expect(warning?.sla).toMatchObject({ clock: 'response' });
    expect(breach?.sla).toMatchObject({ clock: 'response', dueAt: expect.any(String) });
    await h.call('POST', `/tickets/${second.body.id}/status`, { key: agent, body: { status: 'resolved' } });
    await runJobs();
    expect(
      eventsAt(URL_ALL).some((e) => e.type === 'ticket.resolved' && e.ticket.id === second.body.id),
    ).toBe(true);
  });

  it('delivers a published event once however often it is published', async () => {
    const found = await h.deps.tickets.get(ticketId);
    const before = received.length;
    await publish(h.deps, found!.ticket, found!.timeline);
    await publish(h.deps, found!.ticket, found!.timeline);
    await runJobs();
    expect(received.length).toBe(before);
  });
});

describe('at the limits', () => {
  it('delivers events of the largest ticket and message, in the characters JSON makes biggest', async () => {
    const url = 'https://desk.acme.test/hooks/large';
    await subscribe(url, ['ticket.created', 'message.created']);
    // Of what a description may hold (no control characters but line breaks, no lone
    // surrogates), a line break and a quote are 2 bytes in JSON, a CJK character 3, an emoji 4.
    const worst = `x${'\n中🧊"'.repeat(15_999)}x`;
    const created = await h.call('POST', '/tickets', {
      key: acme.key,
      body: { subject: `${'"'.repeat(199)}x`, description: worst, priority: 'P3' },
    });
    expect(created.status).toBe(201);
    await h.call('POST', `/tickets/${created.body.id}/messages`, { key: agent, body: { body: worst } });
    await runJobs();
    const events = eventsAt(url).filter((e) => e.ticket.id === created.body.id);
    expect(events.map((e) => e.type)).toEqual(['ticket.created', 'message.created']);
    const body = received.find((r) => r.url === url && r.body.includes('message.created'))!.body;
    expect(Buffer.byteLength(body)).toBeGreaterThan(150_000);
    expect(Buffer.byteLength(body)).toBeLessThan(400 * 1024);
    expect([...events[1]!.message.body].length).toBe(30_000);
  });
});

describe('a failing receiver', () => {
  const URL_DOWN = 'https://down.acme.test/hooks';

  it('is retried with back-off for a day, then the delivery is listed as failed', async () => {
    await subscribe(URL_DOWN, ['ticket.created']);
    answers.set(URL_DOWN, 503);
    const start = h.clock.now();
    await h.call('POST', '/tickets', {
      key: acme.key,
      body: { subject: 'Receiver down', description: 'x', priority: 'P4' },
    });
    await runJobs();
    await h.advance(start + 10 * 60_000);
    const early = received.filter((r) => r.url === URL_DOWN).length;
    expect(early).toBeGreaterThanOrEqual(4); // 0 s, 30 s, 1.5 min, 3.5 min, 7.5 min
    expect(early).toBeLessThanOrEqual(6);
    answers.set(URL_DOWN, 'unreachable');
    await h.advance(start + 25 * 3600_000);
    const attempts = received.filter((r) => r.url === URL_DOWN);
    expect(attempts.length).toBeGreaterThan(10);
    expect(attempts.length).toBeLessThan(25);
    // The same event every time: the receiver dedups by its id.
    expect(new Set(attempts.map((a) => a.headers['sla-desk-event-id'])).size).toBe(1);
    const failed = await h.call('GET', `/customers/${acme.id}/failed-deliveries`);
    expect(failed.body.items).toHaveLength(1);
    expect(failed.body.items[0]).toMatchObject({
      status: 'failed',
      eventType: 'ticket.created',
      attempts: attempts.length,
      lastError: expect.stringMatching(/ECONNREFUSED/),
      target: { type: 'webhook', url: URL_DOWN },
    });
    const last = Date.parse(failed.body.items[0].lastAttemptAt);
    expect(last - Date.parse(failed.body.items[0].firstAttemptAt)).toBeLessThanOrEqual(24 * 3600_000);
  });

  it('redelivers on request, and then lists it no more', async () => {
    answers.set(URL_DOWN, 204);
    const [failed] = (await h.call('GET', `/customers/${acme.id}/failed-deliveries`)).body.items;
    const again = await h.call('POST', `/customers/${acme.id}/failed-deliveries/${failed.id}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'pending', attempts: 0 });
    await runJobs();
    expect((await h.call('GET', `/customers/${acme.id}/failed-deliveries`)).body.items).toEqual([]);
    const twice = await h.call('POST', `/customers/${acme.id}/failed-deliveries/${failed.id}/redeliver`);
    expect(twice.status).toBe(422);
    expect(twice.body.error.code).toBe('not-failed');
    const unknown = await h.call('POST', `/customers/${acme.id}/failed-deliveries/evt_nope.x/redeliver`);
    expect(unknown.status).toBe(404);
  });
});

describe('what a receiver’s developer needs', () => {
  const URL_DEV = 'https://dev.acme.test/hooks';
  // Stripe's own library verifies our signatures: the scheme is Stripe's exactly.
  const stripe = new Stripe('sk_test_unused');
  const verify = (r: Received, secret: string) =>
    stripe.webhooks.constructEvent(r.body, r.headers['sla-desk-signature']!, secret) as unknown as {
      id: string;
      type: string;
    };

  it('is verified by Stripe’s constructEvent, dedups on the signed body id, orders by sequence', async () => {
    const hook = await subscribe(URL_DEV, ['ticket.created', 'message.created']);
    const created = await h.call('POST', '/tickets', {
      key: acme.key,
      body: { subject: 'Order', description: 'd', priority: 'P3' },
    });
    await h.call('POST', `/tickets/${created.body.id}/messages`, { key: agent, body: { body: 'On it' } });
    await runJobs();
    const mine = received.filter((r) => r.url === URL_DEV && r.body.includes(created.body.id));
    expect(mine.length).toBe(2);
    for (const r of mine) expect(verify(r, hook.secret).id).toBe(JSON.parse(r.body).id);
    expect(() => verify(mine[0]!, 'whsec_wrong')).toThrow(/signature/i);
    // The sequence is the entry's place in the ticket: message.created after ticket.created.
    const [opened, answered] = mine.map((r) => JSON.parse(r.body)).sort((a, b) => a.sequence - b.sequence);
    expect([opened.type, answered.type]).toEqual(['ticket.created', 'message.created']);
  });

  it('rolls the secret with both signing for a day, then only the new one', async () => {
    const hook = (await h.call('GET', `/customers/${acme.id}/webhooks`)).body.items.find(
      (w: { url: string }) => w.url === URL_DEV,
    );
    const before = received.length;
    const rolled = await h.call('POST', `/customers/${acme.id}/webhooks/${hook.id}/secret`, { body: {} });
    expect(rolled.status).toBe(201);
    expect(rolled.body.secret).toMatch(/^whsec_/);
    expect(Date.parse(rolled.body.previousSecretUntil) - h.clock.now()).toBe(24 * 3_600_000);
    const listed = (await h.call('GET', `/customers/${acme.id}/webhooks`)).body.items;
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    await h.call('POST', `/customers/${acme.id}/webhooks/${hook.id}/ping`);
    await runJobs();
    const ping = received.slice(before).find((r) => r.url === URL_DEV)!;
    expect(JSON.parse(ping.body)).toMatchObject({ type: 'ping', webhookId: hook.id });
    expect(ping.headers['sla-desk-signature']!.match(/v1=/g)).toHaveLength(2);
    expect(verify(ping, rolled.body.secret).type).toBe('ping');
    const oldSecret = (await h.deps.integrations.listWebhooks(acme.id)).find((w) => w.id === hook.id)!
      .previousSecret!;
    expect(verify(ping, oldSecret).type).toBe('ping');
    // Retired: one signature, the new secret's.
    const retired = await h.call('DELETE', `/customers/${acme.id}/webhooks/${hook.id}/secret/previous`);
    expect(retired.body.previousSecretUntil).toBeNull();
    await h.call('POST', `/customers/${acme.id}/webhooks/${hook.id}/ping`);
    await runJobs();
    const last = received.filter((r) => r.url === URL_DEV).at(-1)!;
    expect(last.headers['sla-desk-signature']!.match(/v1=/g)).toHaveLength(1);
    expect(() => verify(last, oldSecret)).toThrow();
  });

  it('lists a webhook’s recent deliveries, successes too, with the receiver’s answer and time', async () => {
    const hook = (await h.call('GET', `/customers/${acme.id}/webhooks`)).body.items.find(
      (w: { url: string }) => w.url === URL_DEV,
    );
    const log = await h.call('GET', `/customers/${acme.id}/webhooks/${hook.id}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.body.items.length).toBeGreaterThanOrEqual(4);
    const ping = log.body.items.find((d: { eventType: string }) => d.eventType === 'ping');
    expect(ping).toMatchObject({ status: 'delivered', lastStatus: 200, attempts: 1 });
    expect(typeof ping.lastDurationMs).toBe('number');
    expect(log.body.items.map((d: { eventType: string }) => d.eventType)).toEqual(
      expect.arrayContaining(['ticket.created', 'message.created', 'ping']),
    );
    const times = log.body.items.map((d: { lastAttemptAt: string }) => d.lastAttemptAt);
    expect(times).toEqual([...times].sort().reverse());
    expect((await h.call('GET', `/customers/${acme.id}/webhooks/WHK-NONE000000/deliveries`)).status).toBe(
      404,
    );
  });
});
