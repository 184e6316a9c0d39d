// `npm start`: sla-desk on this machine, no AWS account. Configuration from the environment:
// PORT (3000), DATA_DIR (.sla-desk), ADMIN_API_KEY (generated and printed if unset),
// CLOCK=virtual with CLOCK_START=<iso> to drive time through POST /local/clock.
import { resolve } from 'node:path';
import * as z from 'zod';
import { startLocalRuntime } from './runtime';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('.sla-desk'),
  ADMIN_API_KEY: z.string().min(16, 'ADMIN_API_KEY must be at least 16 characters').optional(),
  CLOCK: z.enum(['system', 'virtual']).default('system'),
  CLOCK_START: z.iso.datetime({ offset: true }).optional(),
  HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
});

async function main() {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  const env = parsed.data;
  const dataDir = resolve(env.DATA_DIR);
  const runtime = await startLocalRuntime({
    port: env.PORT,
    host: env.HOST,
    dataDir,
    adminKey: env.ADMIN_API_KEY,
    clock: env.CLOCK,
    clockStart: env.CLOCK_START ? Date.parse(env.CLOCK_START) : undefined,
    smtpPort: env.SMTP_PORT,
  });
  const keySource = env.ADMIN_API_KEY
    ? ' (from ADMIN_API_KEY)'
    : ' (generated; set ADMIN_API_KEY to choose one)';
  const clockNote =
    env.CLOCK === 'virtual'
      ? ` at ${new Date(runtime.clock.now()).toISOString()} (POST /local/clock moves it)`
      : '';
  // One write, so that a reader of the output sees the whole banner at once.
  console.log(
    [
      `sla-desk is listening on ${runtime.url}`,
      `  admin API key: ${runtime.adminKey}${keySource}`,
      `  inbound mail: SMTP on ${env.HOST}:${runtime.smtpPort} (any recipient)`,
      `  data: ${dataDir}`,
      `  clock: ${env.CLOCK}${clockNote}`,
      `  try: curl -H "Authorization: Bearer ${runtime.adminKey}" ${runtime.url}/plans`,
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping sla-desk and DynamoDB Local…`);
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
