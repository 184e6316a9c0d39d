// What the e2e tests share: the runtime's environment, waiting for its banner, the Java
// processes of a data directory (not the guard that runs them), and axe-core's findings.
import { type ChildProcess, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Page } from 'playwright-core';
import { startLocalRuntime } from '../../infra/local/runtime';

export function localEnv(dataDir: string, adminKey: string, clockStart: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: '0',
    SMTP_PORT: '0',
    DATA_DIR: dataDir,
    ADMIN_API_KEY: adminKey,
    CLOCK: 'virtual',
    CLOCK_START: clockStart,
  };
}

/** The URL the runtime listens on, once its whole banner is out; `output` keeps growing after. */
export function listening(child: ChildProcess): Promise<{ url: string; output: () => string }> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)[\s\S]*try: curl/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, output: () => output });
      }
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
  });
}

/** `ps` lines of the DynamoDB Local Java processes on `dir`. */
export function javaProcessesFor(dir: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal') && line.includes(dir) && !line.includes('java-guard'));
}

/** Calls the runtime's API with a key (the admin's unless given), the JSON answer. */
export function apiOf(runtime: { url: string; adminKey: string }) {
  return async (method: string, path: string, body?: unknown, key = runtime.adminKey) => {
    const res = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return res.json();
  };
}

/** Debian's Chromium (or CHROMIUM_PATH), headless, for the browser tests. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** An in-memory runtime on free ports, its clock virtual from `start`. */
export function virtualRuntime(start: number) {
  return startLocalRuntime({ port: 0, smtpPort: 0, dataDir: null, clock: 'virtual', clockStart: start });
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page as it stands (WCAG 2.1 A and AA rules): `id: targets`. */
export async function violations(p: Page): Promise<string[]> {
  await p.evaluate(AXE);
  return p.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(o: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map(
      (v) =>
        `${v.id}: ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
  });
}
