// Outbound requests to other systems. GET: the body of a 2xx, nothing else, at most 64 KB,
// never following a redirect (an SNS URL must stay SNS's). POST (webhooks): the body and
// headers as given, the receiver's status as it answered, a redirect not followed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchWebClient } from '../../../functions/adapters/web-client';
import { INSIDE_HOSTS } from '../../support';

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
  const web = new FetchWebClient(true);
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

describe('where webhooks may go', () => {
  const body = '{}';
  const headers = { 'content-type': 'application/json' };
  const port = () => new URL(base).port;
  // DNS of the test's own: customer.test resolves to this machine (as a rebinding name would).
  const toLoopback = (
    host: string,
    done: (e: Error | null, a: { address: string; family: number }[]) => void,
  ) =>
    host === 'hooks.customer.test'
      ? done(null, [{ address: '127.0.0.1', family: 4 }])
      : done(new Error('ENOTFOUND'), []);

  it('refuses every spelling of this machine, private, link-local and metadata addresses, sending nothing', async () => {
    const web = new FetchWebClient(false, toLoopback);
    const before = posted.length;
    for (const host of [...INSIDE_HOSTS, 'hooks.customer.test']) {
      const url = `http://${host}:${port()}/hook`;
      await expect(web.post(url, body, headers), host).rejects.toThrow(/^not sent: /);
      expect(await web.refused(url), host).not.toBeNull();
    }
    expect(posted.length).toBe(before);
  });

  it('connects to the address it checked: a name resolved for the connection, allowed to loopback locally', async () => {
    const web = new FetchWebClient(true, toLoopback);
    // The system's DNS knows no customer.test: the post reaches the server only through the checked answer.
    expect(await web.post(`http://hooks.customer.test:${port()}/hook`, body, headers)).toEqual({
      status: 204,
    });
    expect(await web.refused(`http://hooks.customer.test:${port()}/hook`)).toBeNull();
    // Loopback allowed does not allow private networks or the metadata service.
    await expect(web.post('http://10.0.0.1/hook', body, headers)).rejects.toThrow(/private network/);
    await expect(web.post('http://169.254.169.254/latest', body, headers)).rejects.toThrow(/metadata/);
  });
});
