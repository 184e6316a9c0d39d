// The outbound GET other systems are fetched with: the body of a 2xx, nothing else, at most
// 64 KB, never following a redirect (an SNS URL must stay SNS's).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchWebClient } from '../../../functions/adapters/web-client';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok') res.end('-----BEGIN PUBLIC KEY-----');
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
