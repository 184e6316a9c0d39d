// What the e2e tests share: the runtime's environment, waiting for its banner, and the Java
// processes of a data directory (not the guard that runs them).
import { type ChildProcess, execFileSync } from 'node:child_process';

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
