// The live console locally: GET /live?token=… as server-sent events. The token (one-time, from
// POST /live/tickets) names the person; a reconnect (a new token) with Last-Event-ID, or
// ?lastEventId=, gets what it missed, or `resync` when that is no longer kept. A comment every
// 15 s keeps proxies from closing an idle stream. On AWS the same events go over a WebSocket API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalLive, Numbered } from '../../functions/adapters/local/live';
import { takeLiveToken } from '../../functions/app/live';
import type { Deps } from '../../functions/ports';

const HEARTBEAT_MS = 15_000;

export async function streamLive(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: Deps,
): Promise<void> {
  const token = url.searchParams.get('token') ?? '';
  const staffId = token ? await takeLiveToken(deps, token) : null;
  if (!staffId) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { code: 'unauthorized', message: 'ask POST /live/tickets for a new token', details: [] },
      }),
    );
    return;
  }
  const live = deps.live as LocalLive;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  const write = (n: Numbered) => res.write(`id: ${n.id}\ndata: ${JSON.stringify({ events: [n.event] })}\n\n`);
  res.write(`retry: 1000\n\n`);
  const last = Number(req.headers['last-event-id'] ?? url.searchParams.get('lastEventId') ?? Number.NaN);
  if (Number.isInteger(last) && last >= 0) {
    const missed = live.since(last);
    if (missed === null) res.write(`id: ${live.latest}\nevent: resync\ndata: {}\n\n`);
    else for (const n of missed) write(n);
  } else res.write(`id: ${live.latest}\nevent: ready\ndata: {}\n\n`);
  const stop = live.subscribe(write);
  const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  beat.unref();
  req.on('close', () => {
    stop();
    clearInterval(beat);
  });
}
