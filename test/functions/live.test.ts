// The live console: one-time tokens, presences (who views, who writes, gone after 45 s), ticket
// changes published to open consoles (locally replayed after a reconnect, or a resync), and on
// AWS the WebSocket adapter (the connections kept against DynamoDB Local, the posts asserted
// with aws-sdk-client-mock) and its $connect function.
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/aws/dynamodb';
import { WebSocketLive } from '../../functions/adapters/aws/websocket-live';
import type { LocalLive } from '../../functions/adapters/local/live';
import { config } from '../../functions/config';
import { handleLive } from '../../functions/live/handler';
import { harness } from './harness';

const tokenOf = (url: string) => new URL(url, 'http://x').searchParams.get('token')!;

describe('live tokens and presences', () => {
  it('hands a person a one-time token that lives 60 s', async () => {
    const h = await harness('2026-12-07T10:00:00Z');
    const maja = await h.person('agent', 'Maja Lind');
    const opened = await h.call('POST', '/live/tickets', { key: maja.key });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ transport: 'sse', expiresAt: '2026-12-07T10:01:00.000Z' });
    const { takeLiveToken } = await import('../../functions/app/live');
    const token = tokenOf(opened.body.url);
    expect(await takeLiveToken(h.deps, token)).toBe(maja.id);
    expect(await takeLiveToken(h.deps, token)).toBeNull(); // once
    const late = tokenOf((await h.call('POST', '/live/tickets', { key: maja.key })).body.url);
    h.clock.set(Date.parse('2026-12-07T10:01:01Z'));
    expect(await takeLiveToken(h.deps, late)).toBeNull(); // expired
    expect((await h.call('POST', '/live/tickets', { key: await h.key('agent') })).status).toBe(422); // a system's key
  });

  it('tells who else views or writes, publishes each change, and forgets one unsaid for 45 s', async () => {
    const h = await harness('2026-12-07T10:00:00Z');
    const [maja, lev] = [await h.person('agent', 'Maja Lind'), await h.person('agent', 'Lev Ek')];
    const live = h.deps.live as LocalLive;
    const from = live.latest;
    const say = (key: string, state: string) =>
      h.call('POST', '/tickets/TKT-0000000001/presence', { key, body: { state } });
    expect((await say(maja.key, 'viewing')).body.items).toEqual([]);
    const seen = (await say(lev.key, 'writing')).body.items;
    expect(seen).toEqual([
      { staffId: maja.id, name: 'Maja Lind', state: 'viewing', at: '2026-12-07T10:00:00.000Z' },
    ]);
    const theirs = await h.call('GET', '/tickets/TKT-0000000001/presence', { key: maja.key });
    expect(theirs.body.items.map((p: { name: string; state: string }) => [p.name, p.state])).toEqual([
      ['Lev Ek', 'writing'],
    ]);
    expect(live.since(from)!.map((n) => n.event)).toMatchObject([
      { type: 'presence', staffId: maja.id, state: 'viewing' },
      { type: 'presence', staffId: lev.id, state: 'writing' },
    ]);
    h.clock.set(Date.parse('2026-12-07T10:00:46Z'));
    expect((await h.call('GET', '/tickets/TKT-0000000001/presence', { key: maja.key })).body.items).toEqual(
      [],
    );
    await say(lev.key, 'viewing');
    await say(lev.key, 'left');
    expect((await h.call('GET', '/tickets/TKT-0000000001/presence', { key: maja.key })).body.items).toEqual(
      [],
    );
    expect((await say(maja.key, 'dancing')).status).toBe(400);
  });

  it('publishes a ticket change to open consoles, and replays what a reconnect missed, or resyncs', async () => {
    const h = await harness('2026-12-07T10:00:00Z');
    const customer = await h.customer('sourcegraph-premium-24x7');
    const live = h.deps.live as LocalLive;
    const before = live.latest;
    const opened = await h.call('POST', '/tickets', {
      key: customer.key,
      body: { subject: 'Live', description: 'x', priority: 'P3', channel: 'form' },
    });
    const events = live
      .since(before)!
      .map((n) => n.event)
      .filter((e) => e.type === 'ticket');
    // The creation; the acknowledgement marked sent is the desk's bookkeeping: no event.
    expect(events).toEqual([
      {
        type: 'ticket',
        ticketId: opened.body.id,
        revision: 1,
        customerId: customer.id,
        at: '2026-12-07T10:00:00.000Z',
      },
    ]);
    expect(live.since(live.latest)).toEqual([]);
    for (let i = 0; i < 1000; i++) await live.publish([{ ...events[0]!, revision: i }]);
    expect(live.since(before)).toBeNull(); // no longer kept: the console reads everything again
  });
});

describe('the WebSocket API on AWS', () => {
  const management = mockClient(ApiGatewayManagementApiClient);

  it('keeps connections, posts each event to every one, and forgets one that is gone', async () => {
    await harness('2026-12-07T10:00:00Z'); // its tables
    management.reset();
    const db = documentClient(config());
    const ws = new WebSocketLive(
      db,
      config().DIRECTORY_TABLE,
      () => new ApiGatewayManagementApiClient({ endpoint: 'https://x.test/live' }),
    );
    await ws.connected('conn-a', 'STF-A', Date.now());
    await ws.connected('conn-b', 'STF-B', Date.now());
    management
      .on(PostToConnectionCommand, { ConnectionId: 'conn-b' })
      .rejects(new GoneException({ message: 'gone', $metadata: {} }));
    management.on(PostToConnectionCommand, { ConnectionId: 'conn-a' }).resolves({});
    const event = {
      type: 'ticket' as const,
      ticketId: 'TKT-1',
      revision: 2,
      customerId: 'CUS-1',
      at: '2026-12-07T10:00:00.000Z',
    };
    await ws.publish([event]);
    const calls = management.commandCalls(PostToConnectionCommand).map((c) => ({
      id: c.args[0].input.ConnectionId,
      data: JSON.parse(new TextDecoder().decode(c.args[0].input.Data as Uint8Array)),
    }));
    expect(calls.sort((a, b) => a.id!.localeCompare(b.id!))).toEqual([
      { id: 'conn-a', data: { events: [event] } },
      { id: 'conn-b', data: { events: [event] } },
    ]);
    management.resetHistory();
    await ws.publish([event]);
    expect(management.commandCalls(PostToConnectionCommand).map((c) => c.args[0].input.ConnectionId)).toEqual(
      ['conn-a'],
    );
  });

  it('connects with a token once, refuses without, and forgets at $disconnect', async () => {
    const h = await harness('2026-12-07T10:00:00Z');
    const maja = await h.person('agent', 'Maja Lind');
    const db = documentClient(config());
    const ws = new WebSocketLive(db, config().DIRECTORY_TABLE, () => new ApiGatewayManagementApiClient({}));
    const d = { ...h.deps, live: ws };
    const token = tokenOf((await h.call('POST', '/live/tickets', { key: maja.key })).body.url);
    const event = (routeKey: string, query?: Record<string, string>) =>
      ({ requestContext: { routeKey, connectionId: 'conn-m' }, queryStringParameters: query }) as never;
    expect((await handleLive(event('$connect'), d)).statusCode).toBe(401);
    expect((await handleLive(event('$connect', { token }), d)).statusCode).toBe(200);
    expect((await handleLive(event('$connect', { token }), d)).statusCode).toBe(401); // once
    const { queryAll } = await import('../../functions/adapters/aws/dynamodb');
    const kept = async () =>
      (await queryAll(db, config().DIRECTORY_TABLE, 'LIVE')).map((i) => [i.sk, i.staffId]);
    expect(await kept()).toContainEqual(['conn-m', maja.id]);
    expect((await handleLive(event('$default'), d)).statusCode).toBe(200);
    await handleLive(event('$disconnect'), d);
    expect(await kept()).not.toContainEqual(['conn-m', maja.id]);
  });
});
