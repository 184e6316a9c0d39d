// What the e2e tests share: the runtime's environment, waiting for its banner, and the Java
// processes of a data directory (not the guard that runs them).
import { type ChildProcess, execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
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
