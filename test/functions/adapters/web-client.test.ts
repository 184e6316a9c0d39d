// Outbound requests to other systems. GET: the body of a 2xx, nothing else, at most 64 KB,
// never following a redirect (an SNS URL must stay SNS's). POST (webhooks): the body and
// headers as given, the receiver's status as it answered, a redirect not followed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchWebClient } from '../../../functions/adapters/web-client';

let server: Server;
let base: string;
const posted: { body: string; headers: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        posted.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        if (req.url === '/hook') res.writeHead(204).end();
        else if (req.url === '/moved') res.writeHead(307, { location: '/hook' }).end();
        else res.writeHead(503).end('down'.repeat(100_000));
      });
    } else if (req.url === '/ok') res.end('-----BEGIN PUBLIC KEY-----');
    else if (req.url === '/big') res.end('x'.repeat(64 * 1024 + 1));
    else if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
    else res.writeHead(500).end('no');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

describe('FetchWebClient', () => {
  const web = new FetchWebClient();
  it('returns a 2xx body and refuses errors, redirects and bodies over 64 KB', async () => {
    expect(await web.get(`${base}/ok`)).toBe('-----BEGIN PUBLIC KEY-----');
    await expect(web.get(`${base}/fail`)).rejects.toThrow(/answered 500/);
    await expect(web.get(`${base}/big`)).rejects.toThrow(/over 65536 bytes/);
    await expect(web.get(`${base}/redirect`)).rejects.toThrow();
  });
});

describe('FetchWebClient.post', () => {
  const web = new FetchWebClient();
  it('sends the body and headers as given and answers the status, following no redirect', async () => {
    const body = JSON.stringify({ id: 'evt_1', text: 'ünïcødé 🧊 "quoted"' });
    const headers = { 'content-type': 'application/json', 'sla-desk-signature': 't=1,v1=ab' };
    expect(await web.post(`${base}/hook`, body, headers)).toEqual({ status: 204 });
    expect(posted[0]!.body).toBe(body);
    expect(posted[0]!.headers).toMatchObject(headers);
    expect(await web.post(`${base}/moved`, body, headers)).toEqual({ status: 307 });
    expect(posted).toHaveLength(2); // the redirect was not followed
    expect(await web.post(`${base}/down`, body, headers)).toEqual({ status: 503 });
    await expect(web.post('http://127.0.0.1:1/hook', body, headers)).rejects.toThrow();
  });
});
