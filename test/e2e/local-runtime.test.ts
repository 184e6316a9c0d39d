// The local runtime survives what happens to processes on a laptop: its Java killed under it,
// itself killed with kill -9, a Java left behind by an earlier crash; and keeps everything on
// disk (tables, reports, raw mail) across restarts. One data directory through three starts.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { javaProcessesFor, listening, localEnv } from './support';

const dataDir = mkdtempSync(join(tmpdir(), 'sla-desk-survive-'));
const adminKey = 'survive-admin-key-0123456789';
const auth = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const line of processes('DynamoDBLocal')) process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** `ps` lines of processes on this test's data naming `what`. */
function processes(what: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(what) && line.includes(dataDir));
}
const javas = () => javaProcessesFor(dataDir);
const pidOf = (line: string) => Number(line.trim().split(/\s+/)[0]);

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    if (await check()) return;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The runtime as one node process (no npm or tsx parent), so that kill -9 hits it alone. */
async function start(
  clockStart: string,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    env: localEnv(dataDir, adminKey, clockStart),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return { child, ...(await listening(child)) };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies read back in assertions
const json = async (res: Promise<Response>): Promise<any> => (await res).json();
let customerId = '';
let running: Awaited<ReturnType<typeof start>>;

describe('the local runtime', () => {
  it('answers 503 with Retry-After while its Java is restarted, then serves the same data', async () => {
    running = await start('2026-11-23T08:00:00Z');
    const { url } = running;
    const customer = await json(
      fetch(`${url}/customers`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          name: 'Survivor',
          planId: 'ombori-pilot',
          contacts: [{ email: 's@x.test', name: 'S' }],
        }),
      }),
    );
    customerId = customer.id;
    // A month end runs the reports; their bodies go to disk.
    await json(
      fetch(`${url}/local/clock`, { method: 'POST', headers: auth, body: '{"to":"2026-12-01T01:00:00Z"}' }),
    );
    expect((await fetch(`${url}/customers/${customerId}/reports/2026-11`, { headers: auth })).status).toBe(
      200,
    );

    const java = Number(readFileSync(join(dataDir, 'dynamodb', 'java.pid'), 'utf8'));
    process.kill(java, 'SIGKILL');
    const statuses: number[] = [];
    const retryAfter: string[] = [];
    await until('the store to come back', async () => {
      const res = await fetch(`${url}/customers/${customerId}`, { headers: auth });
      statuses.push(res.status);
      if (res.status === 503) retryAfter.push(res.headers.get('retry-after') ?? '');
      return res.status === 200;
    });
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(statuses).toContain(503);
    expect(retryAfter.every((r) => r === '2')).toBe(true);
    expect(javas()).toHaveLength(1);
    expect(running.child.exitCode).toBeNull();
  }, 45_000); // a month end's reports, then a Java restart: 12 s alone, twice that on a busy machine

  it('answers an over-limit body with 413 and an over-long URL with 431, both as JSON', async () => {
    const big = await fetch(`${running.url}/tickets`, {
      method: 'POST',
      headers: auth,
      body: 'x'.repeat(7 * 1024 * 1024),
    });
    expect(big.status).toBe(413);
    expect((await json(Promise.resolve(big))).error.code).toBe('payload-too-large');
    const long = await fetch(`${running.url}/tickets?q=${'a'.repeat(20_000)}`, { headers: auth });
    expect(long.status).toBe(431);
    expect(long.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await json(Promise.resolve(long))).error).toMatchObject({
      code: 'headers-too-large',
      details: [{ field: 'url' }],
    });
  });

  it('takes its Java with it when killed with kill -9', async () => {
    running.child.kill('SIGKILL');
    await until('Java to end', () => javas().length === 0);
  });

  it('starts again on the same data: one Java, the tables, the stored reports, a month end', async () => {
    running = await start('2026-12-01T02:00:00Z');
    const { url } = running;
    expect(javas()).toHaveLength(1);
    expect((await fetch(`${url}/customers/${customerId}`, { headers: auth })).status).toBe(200);
    const report = await fetch(`${url}/customers/${customerId}/reports/2026-11`, { headers: auth });
    expect(report.status).toBe(200);
    expect((await json(Promise.resolve(report))).month).toBe('2026-11');
    const moved = await fetch(`${url}/local/clock`, {
      method: 'POST',
      headers: auth,
      body: '{"to":"2027-01-01T01:00:00Z"}',
    });
    expect(moved.status).toBe(200);
    expect((await json(Promise.resolve(moved))).now).toBe('2027-01-01T01:00:00.000Z');
    expect((await fetch(`${url}/customers/${customerId}/reports/2026-12`, { headers: auth })).status).toBe(
      200,
    );
  });

  it('ends a Java an earlier crash left running on its data before it starts its own', async () => {
    // Orphan Java as an older version would have: its guard and the runtime gone at once.
    const guard = processes('java-guard').map(pidOf);
    const stale = pidOf(javas()[0]!);
    for (const pid of guard) process.kill(pid, 'SIGKILL');
    running.child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    expect(javas().map(pidOf)).toEqual([stale]);

    running = await start('2027-01-01T02:00:00Z');
    expect(running.output()).toContain(`ending DynamoDB Local ${stale}`);
    expect(javas().map(pidOf)).not.toContain(stale);
    expect(javas()).toHaveLength(1);
    expect((await fetch(`${running.url}/customers/${customerId}`, { headers: auth })).status).toBe(200);
    running.child.kill('SIGINT');
    await until('everything to stop', () => running.child.exitCode !== null && javas().length === 0);
  });
});
