// `npm start` as a user runs it: a child process, real HTTP, data on disk, Ctrl-C stops all.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { javaProcessesFor, listening, localEnv } from './support';

const dataDir = mkdtempSync(join(tmpdir(), 'sla-desk-e2e-'));
const adminKey = 'e2e-admin-key-0123456789';
let child: ChildProcess | undefined;

afterAll(() => {
  // The whole process group: npm, node and DynamoDB Local's Java, even after a failed run.
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('serves the API over HTTP on DynamoDB Local and stops everything on Ctrl-C', async () => {
    child = spawn('npm', ['start'], {
      env: localEnv(dataDir, adminKey, '2026-11-23T08:00:00Z'),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const started = await listening(child);
    const { url } = started;
    const output = started.output();
    expect(output).toContain(`admin API key: ${adminKey}`);
    expect(output).toContain(dataDir);

    // biome-ignore lint/suspicious/noExplicitAny: JSON bodies read back in assertions
    const body = async (res: Response | Promise<Response>): Promise<any> => (await res).json();
    const auth = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    const customer = await body(
      fetch(`${url}/customers`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          name: 'E2E AB',
          planId: 'ombori-pilot',
          contacts: [{ email: 'e2e@example.test', name: 'E' }],
        }),
      }),
    );
    const created = await fetch(`${url}/tickets`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        subject: 'Display frozen',
        description: 'since 08:55',
        priority: 'P1',
        customerId: customer.id,
        channel: 'form',
      }),
    });
    expect(created.status).toBe(201);
    const { id } = await body(created);
    const read = await body(fetch(`${url}/tickets/${id}`, { headers: auth }));
    expect(read).toMatchObject({
      id,
      subject: 'Display frozen',
      sla: { responseDueAt: '2026-11-23T12:00:00.000Z' },
    });

    const moved = await body(
      fetch(`${url}/local/clock`, { method: 'POST', headers: auth, body: '{"advance":"PT5H"}' }),
    );
    expect(moved.now).toBe('2026-11-23T13:00:00.000Z');
    const late = await body(fetch(`${url}/tickets/${id}`, { headers: auth }));
    expect(late.sla.breaches).toEqual([
      { clock: 'response', dueAt: '2026-11-23T12:00:00.000Z', breachedAt: '2026-11-23T12:00:00.000Z' },
    ]);
    const outbox = await body(fetch(`${url}/local/outbox`));
    expect(outbox.map((m: { subject: string }) => m.subject)).toEqual(
      expect.arrayContaining([
        `[${id}] We received your request: Display frozen`,
        expect.stringMatching(/SLA breach: P1 response/),
      ]),
    );
    expect(existsSync(join(dataDir, 'outbox'))).toBe(true);

    // Inbound mail: any SMTP client against npm start opens a ticket (Ombori Production takes e-mail).
    await body(
      fetch(`${url}/customers`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          name: 'Mail AB',
          planId: 'ombori-production',
          contacts: [{ email: 'e2e-mail@example.test', name: 'M' }],
        }),
      }),
    );
    const smtpPort = Number(/SMTP on [\d.]+:(\d+)/.exec(output)![1]);
    const transport = createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    const info = await transport.sendMail({
      from: 'E2E Contact <e2e-mail@example.test>',
      to: 'support@vendor.test',
      subject: '[P2] Printer offline',
      text: 'The receipt printer in store 3 is offline.',
    });
    expect(info.response).toMatch(/^250 Accepted as \w+: ticket$/);
    const listed = await body(fetch(`${url}/tickets?limit=10`, { headers: auth }));
    expect(listed.items.find((t: { subject: string }) => t.subject === 'Printer offline')).toMatchObject({
      channel: 'email',
      priority: 'P2',
    });

    // The virtual clock crossing into December produces and mails November's reports.
    const december = await body(
      fetch(`${url}/local/clock`, { method: 'POST', headers: auth, body: '{"to":"2026-12-01T00:10:00Z"}' }),
    );
    expect(december.now).toBe('2026-12-01T00:10:00.000Z');
    const report = await body(fetch(`${url}/customers/${customer.id}/reports/2026-11`, { headers: auth }));
    expect(report).toMatchObject({
      month: '2026-11',
      tickets: { total: 1 },
      clocks: { response: { breached: 1 } },
    });
    const mails = await body(fetch(`${url}/local/outbox`));
    expect(mails.map((m: { subject: string }) => m.subject)).toContain(
      'Support report November 2026: E2E AB',
    );

    expect(javaProcessesFor(dataDir)).toHaveLength(1);
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    process.kill(-child.pid!, 'SIGINT'); // Ctrl-C reaches the whole process group
    await exited;
    for (let i = 0; i < 50 && javaProcessesFor(dataDir).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(javaProcessesFor(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'dynamodb', 'shared-local-instance.db'))).toBe(true);
  }, 120_000);
});
