// `npm start`: sla-desk on this machine, no AWS account. Configuration from the environment:
// PORT (3000), DATA_DIR (.sla-desk), ADMIN_API_KEY (generated and printed if unset),
// CLOCK=virtual with CLOCK_START=<iso> to drive time through POST /local/clock, EMBED_ORIGINS
// (who may frame the embeddable form at /embed.html; * by default), LOCAL_SSO (true: a local
// OpenID provider for staff sign-in unless OIDC_ISSUER is set).
import './powertools';
import { join, resolve } from 'node:path';
import { config, firstAdmin } from '../../functions/config';
import { readLocalEnv } from './env';
import { startLocalRuntime } from './runtime';

async function main() {
  const read = readLocalEnv(process.env);
  if ('problems' in read) {
    for (const problem of read.problems) console.error(problem);
    process.exit(2);
  }
  const { env } = read;
  const dataDir = resolve(env.DATA_DIR);
  const runtime = await startLocalRuntime({
    port: env.PORT,
    host: env.HOST,
    dataDir,
    adminKey: env.ADMIN_API_KEY,
    clock: env.CLOCK,
    clockStart: env.CLOCK_START ? Date.parse(env.CLOCK_START) : undefined,
    smtpPort: env.SMTP_PORT,
    embedOrigins: env.EMBED_ORIGINS,
    portalUrl: env.PORTAL_URL,
    localSso: env.LOCAL_SSO,
    onFatal: (error) => {
      console.error(`sla-desk cannot go on: ${error.message}`);
      process.exit(1);
    },
  });
  const keySource = env.ADMIN_API_KEY
    ? ' (from ADMIN_API_KEY)'
    : ' (generated; set ADMIN_API_KEY to choose one)';
  const requested = env.CLOCK_START ? Date.parse(env.CLOCK_START) : null;
  const resumed =
    requested !== null && runtime.clock.now() > requested
      ? `; resumed where it stood, kept in ${join(dataDir, 'clock.json')}, as time never goes back`
      : '';
  const clockNote =
    env.CLOCK === 'virtual'
      ? ` at ${new Date(runtime.clock.now()).toISOString()} (POST /local/clock moves it${resumed})`
      : '';
  // One write, so that a reader of the output sees the whole banner at once.
  console.log(
    [
      `sla-desk is listening on ${runtime.url}`,
      `  admin API key: ${runtime.adminKey}${keySource}`,
      `  first admin: ${firstAdmin(config()).email} (sign in as them by link or SSO; set ADMIN_EMAIL to choose)`,
      `  inbound mail: SMTP on ${env.HOST}:${runtime.smtpPort} (any recipient)`,
      runtime.ssoIssuer
        ? `  staff sign-in: ${config().PORTAL_URL}/#/signin, by link or with the local OpenID provider at ${runtime.ssoIssuer} (any address, any password; the staff directory decides who may)`
        : `  staff sign-in: ${config().PORTAL_URL}/#/signin, by link${process.env.OIDC_ISSUER ? ` or with ${process.env.OIDC_ISSUER}` : ''}`,
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
