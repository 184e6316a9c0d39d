// README's walk on a date that is not README's: `npm start`'s runtime on a virtual clock 30 days
// behind the real one, on a port of its own. Sessions and links live by the desk's clock (the
// store's TTL, by the real clock, must not end them), mail links point at the runtime's own
// address, and the clock goes on from where it stood after a restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { listening, localEnv } from './support';

const dataDir = mkdtempSync(join(tmpdir(), 'sla-desk-walk-'));
const adminKey = 'walk-admin-key-0123456789';
const auth = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
const children: ChildProcess[] = [];
// 30 days behind the real date, to the minute.
const clockStart = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 30 * 86_400_000).toISOString();

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function start(port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    env: { ...localEnv(dataDir, adminKey, clockStart), PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return { child, ...(await listening(child)) };
}

async function stopped(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await exited;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies read back in assertions
const json = async (res: Promise<Response>): Promise<any> => (await res).json();

describe('README’s walk with a virtual clock 30 days behind the real date', () => {
  let port = 0;
  let url = '';
  let running: Awaited<ReturnType<typeof start>>;
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = auth) =>
    fetch(`${url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const outbox = async () => (await json(call('GET', '/local/outbox'))) as { to: string[]; text: string }[];
  const linkToken = async (): Promise<string> => {
    const before = (await outbox()).length;
    expect((await call('POST', '/auth/links', { email: 'ann@acme.test' })).status).toBe(202);
    const mail = (await outbox())[before]!;
    expect(mail.text).toContain(`http://localhost:${port}/#/signin/`);
    return /#\/signin\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  };
  const signIn = (token: string) => call('POST', '/auth/sessions', { token });

  it('keeps a session by the desk’s clock after 30 real seconds, and mails links to its own port', async () => {
    port = await freePort();
    running = await start(port);
    url = running.url;
    expect(url).toContain(`:${port}`);
    expect((await json(call('GET', '/local/clock'))).now).toBe(clockStart);
    const customer = await json(
      call('POST', '/customers', {
        name: 'Acme',
        planId: 'ombori-production',
        contacts: [{ email: 'ann@acme.test', name: 'Ann' }],
      }),
    );
    expect(customer.id).toBeTruthy();
    // README's swaks line: a mail from Ann becomes her customer's ticket.
    const smtpPort = Number(/SMTP on [^:]+:(\d+)/.exec(running.output())![1]);
    await createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true }).sendMail({
      from: 'ann@acme.test',
      to: 'support@localhost',
      subject: 'Screens black',
      text: 'all three',
    });
    const mailed = await json(call('GET', `/tickets?customerId=${customer.id}`));
    expect(mailed.items.map((t: { subject: string; channel: string }) => [t.subject, t.channel])).toEqual([
      ['Screens black', 'email'],
    ]);
    const opened = await signIn(await linkToken());
    expect(opened.status).toBe(201);
    const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
    const asAnn = { cookie, 'content-type': 'application/json' };
    expect((await call('GET', '/auth/session', undefined, asAnn)).status).toBe(200);

    // DynamoDB Local's TTL deleted such items within 10-20 s; and a sweep (the local TTL) runs too.
    await new Promise((r) => setTimeout(r, 30_000));
    expect((await call('POST', '/local/clock', { advance: 'PT1M' })).status).toBe(200);
    const session = await call('GET', '/auth/session', undefined, asAnn);
    expect(session.status).toBe(200);
    expect((await json(Promise.resolve(session))).contactEmail).toBe('ann@acme.test');
  }, 120_000);

  it('takes a link 14 virtual minutes after it was sent, and not at 15', async () => {
    const early = await linkToken();
    await call('POST', '/local/clock', { advance: 'PT14M' });
    expect((await signIn(early)).status).toBe(201);

    const late = await linkToken();
    await call('POST', '/local/clock', { advance: 'PT15M' });
    const refused = await signIn(late);
    expect(refused.status).toBe(422);
    expect((await json(Promise.resolve(refused))).error.code).toBe('link-invalid');
  });

  it('goes on from where the clock stood after a restart, so later tickets are never older', async () => {
    const customerId = (await json(call('GET', '/customers'))).items[0].id as string;
    const ticket = { customerId, subject: 'Screens black', description: 'all three', priority: 'P2' };
    const before = await json(call('POST', '/tickets', ticket));
    const stoodAt = (await json(call('GET', '/local/clock'))).now as string;
    expect(Date.parse(stoodAt)).toBeGreaterThan(Date.parse(clockStart));

    await stopped(running.child);
    running = await start(port);
    expect(running.output()).toContain(`at ${stoodAt}`);
    expect((await json(call('GET', '/local/clock'))).now).toBe(stoodAt);
    const after = await json(call('POST', '/tickets', ticket));
    expect(Date.parse(after.createdAt)).toBeGreaterThanOrEqual(Date.parse(before.createdAt));
    await stopped(running.child);
  }, 120_000);
});
