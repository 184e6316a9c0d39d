// Slack support over the Events API, with Slack's own payload shapes: every request's v0
// signature is checked before anything is believed; a member's message in a linked channel
// opens a chat ticket after the answer, its thread adds the customer's messages, Slack's retries
// add nothing, and agents' public replies are posted back into the thread.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordingChat } from '../../functions/adapters/local/chat';
import { fileSlackMessage } from '../../functions/app/slack';
import { type Harness, harness } from './harness';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TEAM = 'T123ABC456';
const CHANNEL = 'C123ABC456';
const fixture = (name: string) =>
  readFileSync(join(__dirname, '..', 'fixtures', 'slack', `${name}.json`), 'utf8');

let h: Harness;
let chat: RecordingChat;
let acme: { id: string; key: string };
let agent: string;

/** Signs a body as Slack does, at `at` (unix seconds; now by the real clock, as Slack signs). */
function slackHeaders(body: string, at = Math.floor(Date.now() / 1000), secret = SECRET) {
  const signature = createHmac('sha256', secret).update(`v0:${at}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(at), 'x-slack-signature': `v0=${signature}` };
}

const send = (body: string, headers: Record<string, string> = slackHeaders(body)) =>
  h.call('POST', '/integrations/slack/events', { key: null, body, headers });

/** Runs the jobs the answers queued, as the queue would right after. */
const runJobs = () => h.advance(h.clock.now());

async function ticketsOf(customerKey: string) {
  return (await h.call('GET', '/tickets?limit=100', { key: customerKey })).body.items as {
    id: string;
    channel: string;
    priority: string;
    subject: string;
  }[];
}

beforeAll(async () => {
  h = await harness('2026-11-23T08:00:00Z');
  h.deps.secrets = { get: async (name) => (name === 'slack-signing-secret' ? SECRET : null) };
  chat = h.deps.chat as RecordingChat;
  agent = await h.key('agent');
  acme = await h.customer('sourcegraph-premium-24x7', [
    { email: 'ana@acme.test', name: 'Ana Berg', mayOpenTickets: true },
    { email: 'ola@acme.test', name: 'Ola Nord', mayOpenTickets: false },
  ]);
  chat.addMember(TEAM, 'U123ABC456', 'ana@acme.test');
  chat.addMember(TEAM, 'U0OLA00001', 'ola@acme.test');
  const linked = await h.call('POST', `/customers/${acme.id}/slack-channels`, {
    body: { teamId: TEAM, channelId: CHANNEL },
  });
  expect(linked.status).toBe(201);
});

describe('Slack request verification', () => {
  it('answers url_verification with the challenge when signed', async () => {
    const body = fixture('url-verification');
    const res = await send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('refuses a wrong signature, another secret, a changed body, a stale or missing timestamp (401)', async () => {
    const body = fixture('url-verification');
    const now = Math.floor(h.clock.now() / 1000);
    const cases: Record<string, string>[] = [
      slackHeaders(body, now, 'another-secret'),
      { ...slackHeaders(body), 'x-slack-signature': 'v0=00' },
      slackHeaders(body.replace('url_verification', 'url_verification ')),
      slackHeaders(body, now - 301),
      slackHeaders(body, now + 301),
      { 'x-slack-signature': slackHeaders(body)['x-slack-signature'] },
      { 'x-slack-request-timestamp': String(now) },
      { ...slackHeaders(body), 'x-slack-request-timestamp': `${now}.5` },
    ];
    for (const headers of cases) {
      const res = await send(body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body.error.code).toBe('slack-refused');
    }
    // A body signed then re-serialised differently is another body.
    const res = await send(JSON.stringify(JSON.parse(body)), slackHeaders(body));
    expect(res.status).toBe(401);
  });

  it('takes a timestamp 5 minutes off, not more', async () => {
    const body = fixture('url-verification');
    const now = Math.floor(Date.now() / 1000);
    expect((await send(body, slackHeaders(body, now - 299))).status).toBe(200);
    expect((await send(body, slackHeaders(body, now - 302))).status).toBe(401);
  });

  it('checks the timestamp against the real clock, not the desk’s (a virtual clock days behind)', async () => {
    const body = fixture('url-verification');
    // The harness's virtual clock stands on 23 Nov 2026; Slack signs by the real clock.
    expect(Math.abs(Date.now() - h.clock.now())).toBeGreaterThan(10 * 60_000);
    expect((await send(body, slackHeaders(body, Math.floor(Date.now() / 1000)))).status).toBe(200);
    expect((await send(body, slackHeaders(body, Math.floor(h.clock.now() / 1000)))).status).toBe(401);
  });

  it('refuses everything when no signing secret is configured', async () => {
    const before = h.deps.secrets;
    h.deps.secrets = { get: async () => null };
    const body = fixture('url-verification');
    const res = await send(body);
    h.deps.secrets = before;
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/no Slack signing secret/);
  });
});

describe('a linked channel', () => {
  let ticketId: string;

  it('acknowledges at once and opens the ticket after: channel chat, P1 from the text, plain subject', async () => {
    const body = fixture('message');
    const res = await send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(await ticketsOf(acme.key)).toHaveLength(0); // the work comes after the answer
    await runJobs();
    const tickets = await ticketsOf(acme.key);
    expect(tickets).toHaveLength(1);
    ticketId = tickets[0]!.id;
    expect(tickets[0]).toMatchObject({ channel: 'chat', priority: 'P1' });
    expect(tickets[0]!.subject).toBe('P1 checkout is down for all stores & kiosks, see status page');
    const ticket = (await h.call('GET', `/tickets/${ticketId}`, { key: agent })).body;
    expect(ticket.requesterEmail).toBe('ana@acme.test');
    // The thread hears the ticket's number and when the answer is due.
    const posts = chat.posts.filter((p) => p.threadTs === '1795420800.000100');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ teamId: TEAM, channelId: CHANNEL });
    expect(posts[0]!.text).toContain(`Opened ticket ${ticketId}, P1`);
    expect(posts[0]!.text).toMatch(/we respond by/);
  });

  it('opens nothing more for Slack retries of the same event', async () => {
    const body = fixture('message');
    for (const retry of ['1', '2', '3']) {
      const res = await send(body, {
        ...slackHeaders(body),
        'x-slack-retry-num': retry,
        'x-slack-retry-reason': 'http_timeout',
      });
      expect(res.status).toBe(200);
    }
    await runJobs();
    expect(await ticketsOf(acme.key)).toHaveLength(1);
    expect(chat.posts.filter((p) => p.threadTs === '1795420800.000100')).toHaveLength(1);
  });

  it('adds thread replies as the customer’s messages, once however often Slack sends them', async () => {
    const body = fixture('thread-reply');
    await send(body);
    await send(body, { ...slackHeaders(body), 'x-slack-retry-num': '1' });
    await runJobs();
    const ticket = (await h.call('GET', `/tickets/${ticketId}`, { key: acme.key })).body;
    const messages = ticket.timeline.filter((e: { type: string }) => e.type === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ author: 'customer', body: 'Still down in Oslo @U0BOT00001' });
    // The member has one name: the contact's, as on the ticket's creation.
    const created = ticket.timeline.find((e: { type: string }) => e.type === 'created');
    expect([created.actor.name, messages[0].actor.name]).toEqual(['Ana Berg', 'Ana Berg']);
  });

  it('makes one ticket and one message of copies filed at the same time (two workers)', async () => {
    const event = { channel: CHANNEL, user: 'U123ABC456', text: 'Kiosk 7 reboots', ts: '1795423000.000700' };
    const job = {
      kind: 'slack-event' as const,
      eventId: 'Ev0TWIN001',
      teamId: TEAM,
      event: { ...event, threadTs: null },
    };
    const opened = await Promise.all([fileSlackMessage(h.deps, job), fileSlackMessage(h.deps, job)]);
    expect(opened.filter((o) => o === 'ticket').length).toBeGreaterThanOrEqual(1);
    const mine = (await ticketsOf(acme.key)).filter((t) => t.subject === 'Kiosk 7 reboots');
    expect(mine).toHaveLength(1);
    const reply = {
      ...job,
      eventId: 'Ev0TWIN002',
      event: { ...event, text: 'and again', ts: '1795423060.000800', threadTs: event.ts },
    };
    await Promise.all([
      fileSlackMessage(h.deps, reply),
      fileSlackMessage(h.deps, reply),
      fileSlackMessage(h.deps, reply),
    ]);
    const ticket = (await h.call('GET', `/tickets/${mine[0]!.id}`, { key: acme.key })).body;
    expect(ticket.timeline.filter((e: { type: string }) => e.type === 'message')).toHaveLength(1);
    await runJobs();
  });

  it('files a file shared without text: a ticket named after it, the file attached, what is too big said', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    chat.addFile(TEAM, 'F0SCREEN01', Buffer.concat([png, Buffer.alloc(2040, 7)]));
    const body = fixture('file-share');
    expect((await send(body)).status).toBe(200);
    await runJobs();
    const ticket = (await ticketsOf(acme.key)).find((t) => t.subject.includes('Screenshot'));
    expect(ticket).toMatchObject({
      subject: 'Shared 2 files: Screenshot 2026-11-23 at 09.58.png, kiosk-dump.bin',
    });
    const full = (await h.call('GET', `/tickets/${ticket!.id}`, { key: acme.key })).body;
    expect(full.timeline[0].attachments).toEqual([
      expect.objectContaining({ name: 'Screenshot 2026-11-23 at 09.58.png', type: 'image/png', size: 2048 }),
    ]);
    const download = await h.call('GET', full.timeline[0].attachments[0].href, { key: acme.key });
    expect(download.status).toBe(302);
    const posts = chat.posts.filter((p) => p.threadTs === '1795424400.000300').map((p) => p.text);
    expect(posts.some((t) => t.startsWith(`Opened ticket ${ticket!.id}`))).toBe(true);
    expect(posts).toContain('Not attached: kiosk-dump.bin (over 10 MB, or no longer in Slack).');
  });

  it('ignores bot messages (its own posts among them)', async () => {
    const body = fixture('bot-message');
    expect((await send(body)).status).toBe(200);
    await runJobs();
    const ticket = (await h.call('GET', `/tickets/${ticketId}`, { key: acme.key })).body;
    expect(ticket.timeline.filter((e: { type: string }) => e.type === 'message')).toHaveLength(1);
  });

  it('posts agents’ public replies into the thread, never internal notes', async () => {
    const before = chat.posts.length;
    await h.call('POST', `/tickets/${ticketId}/messages`, {
      key: agent,
      body: { body: 'Internal: looks like the payment gateway', internal: true },
    });
    await h.call('POST', `/tickets/${ticketId}/messages`, {
      key: agent,
      body: { body: 'We are failing over to the second gateway now.' },
    });
    await runJobs();
    const posted = chat.posts.slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ threadTs: '1795420800.000100', channelId: CHANNEL });
    expect(posted[0]!.text).toContain('We are failing over to the second gateway now.');
    expect(JSON.stringify(chat.posts)).not.toContain('payment gateway');
  });

  it('says the promise the ticket was opened with, even when its opening is published after a reply', async () => {
    // A stream publishes after the fact: by then an agent may have answered already.
    const { chatText } = await import('../../functions/app/outbound');
    const opened = await h.call('POST', '/tickets', {
      key: agent,
      body: { customerId: acme.id, subject: 'Slow', description: 'x', priority: 'P2' },
    });
    await h.call('POST', `/tickets/${opened.body.id}/messages`, { key: agent, body: { body: 'On it.' } });
    const found = (await h.deps.tickets.get(opened.body.id))!;
    const created = found.timeline.find((e) => e.type === 'created')!;
    expect(await chatText(h.deps, opened.body.id, created)).toMatch(
      new RegExp(`^Opened ticket ${opened.body.id}, P2 \\(.*\\): we respond by `),
    );
  });

  it('tells a member without a seat that no ticket was opened', async () => {
    const before = (await ticketsOf(acme.key)).length;
    const event = JSON.parse(fixture('message'));
    event.event_id = 'Ev0OLA0001';
    event.event = { ...event.event, user: 'U0OLA00001', ts: '1795422000.000400', text: 'Printer jammed' };
    const body = JSON.stringify(event);
    await send(body);
    await runJobs();
    expect(await ticketsOf(acme.key)).toHaveLength(before);
    const post = chat.posts.find((p) => p.threadTs === '1795422000.000400');
    expect(post?.text).toMatch(
      /No ticket was opened: only contacts of .* with a support seat.*ola@acme\.test/,
    );
  });

  it('acknowledges events of other shapes and files nothing from them', async () => {
    const before = (await ticketsOf(acme.key)).length;
    for (const event of [
      { type: 'user_change', user: { id: 'U123ABC456', profile: { email: 'ana@acme.test' } } },
      {
        type: 'message',
        subtype: 'message_changed',
        channel: CHANNEL,
        message: { text: 'edited' },
        ts: '1.2',
      },
      {
        type: 'message',
        channel: CHANNEL,
        user: 'U123ABC456',
        text: 'x'.repeat(50_001),
        ts: '1795429000.000100',
      },
    ]) {
      const body = JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: 'Ev0SHAPE01', event });
      expect((await send(body)).status).toBe(200);
    }
    await runJobs();
    expect(await ticketsOf(acme.key)).toHaveLength(before);
  });

  it('files nothing from a channel no customer linked', async () => {
    const before = (await ticketsOf(acme.key)).length;
    const event = JSON.parse(fixture('message'));
    event.event_id = 'Ev0OTHER01';
    event.event = { ...event.event, channel: 'C0OTHER001', ts: '1795422100.000500' };
    const body = JSON.stringify(event);
    expect((await send(body)).status).toBe(200);
    await runJobs();
    expect(await ticketsOf(acme.key)).toHaveLength(before);
    expect(chat.posts.some((p) => p.channelId === 'C0OTHER001')).toBe(false);
  });
});

describe('channel links', () => {
  it('lists, refuses another customer’s channel (409), and unlinks', async () => {
    const other = await h.customer('sourcegraph-premium-24x7');
    const taken = await h.call('POST', `/customers/${other.id}/slack-channels`, {
      body: { teamId: TEAM, channelId: CHANNEL },
    });
    expect(taken.status).toBe(409);
    const list = await h.call('GET', `/customers/${acme.id}/slack-channels`);
    expect(list.body.items).toEqual([expect.objectContaining({ teamId: TEAM, channelId: CHANNEL })]);
    const bad = await h.call('POST', `/customers/${acme.id}/slack-channels`, {
      body: { teamId: 't-lower', channelId: CHANNEL },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('teamId');
    expect(
      (await h.call('POST', `/customers/${acme.id}/slack-channels`, { key: agent, body: {} })).status,
    ).toBe(403);
    const gone = await h.call('DELETE', `/customers/${acme.id}/slack-channels/${TEAM}/${CHANNEL}`);
    expect(gone.status).toBe(200);
    expect((await h.call('DELETE', `/customers/${acme.id}/slack-channels/${TEAM}/${CHANNEL}`)).status).toBe(
      404,
    );
    expect((await h.call('GET', `/customers/${acme.id}/slack-channels`)).body.items).toEqual([]);
  });
});
