// `npm run bench:bundles`: each Lambda as the stack bundles it (esbuild CommonJS, minified,
// node22, the AWS SDK left to the runtime), its size, and its cold init: loading the bundle in
// a fresh Node process, median of five. Targets: every bundle at most 250 KB except inbound
// mail, none carrying date-holidays; cold init at most 150 ms on the SLA path. Printed beside
// it, the floor no bundle goes under: loading the SDK's DynamoDB clients alone, which every
// function does at start (the others' SDK clients load when first used, wiring.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

// Every function of infra/ (entry under functions/), and whether it is on the SLA path.
const FUNCTIONS: [name: string, entry: string, slaPath: boolean][] = [
  ['api-tickets', 'http/entries/tickets.ts', true],
  ['escalation', 'escalation/handler.ts', true],
  ['sweeper', 'escalation/sweeper.ts', true],
  ['api-directory', 'http/entries/directory.ts', false],
  ['api-plans', 'http/entries/plans.ts', false],
  ['api-operations', 'http/entries/operations.ts', false],
  ['api-auth', 'http/entries/auth.ts', false],
  ['api-files', 'http/entries/files.ts', false],
  ['api-integrations', 'http/entries/integrations.ts', false],
  ['api-connections', 'http/entries/connections.ts', false],
  ['api-staff', 'http/entries/staff.ts', false],
  ['api-search', 'http/entries/search.ts', false],
  ['api-workbench', 'http/entries/workbench.ts', false],
  ['api-openapi', 'http/entries/openapi.ts', false],
  ['inbound-mail', 'inbound-mail/handler.ts', false],
  ['monthly-reports', 'reports/handler.ts', false],
  ['integrations-worker', 'integrations/worker.ts', false],
  ['integrations-stream', 'integrations/stream.ts', false],
  ['search-indexer', 'search/indexer.ts', false],
  ['live-connections', 'live/handler.ts', false],
  ['mail-rule-set', 'mail-rule-set/handler.ts', false],
  ['seed', 'seed/handler.ts', false],
];
const SIZE_TARGET = 250 * 1024;
const INIT_TARGET_MS = 150;
const SIZE_EXEMPT = new Set(['inbound-mail']); // mailparser's charset tables
// Inside node_modules so that the externals (@aws-sdk/*) resolve as they do on Lambda.
const out = join(process.cwd(), 'node_modules', '.cache', 'sla-desk-bundles');
mkdirSync(out, { recursive: true });

/** The ms a fresh process takes to run `code` (loading the bundle or the SDK). */
function coldMs(code: string): number {
  const printed = execFileSync(
    process.execPath,
    ['-e', `const t = performance.now(); ${code}; console.log(performance.now() - t);`],
    { encoding: 'utf8', cwd: out, env: { ...process.env, AWS_REGION: 'eu-north-1' } },
  );
  return Number(printed.trim().split('\n').at(-1));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;
const SDK = "require('@aws-sdk/client-dynamodb'); require('@aws-sdk/lib-dynamodb')";
const RUNS = 9;

/**
 * Cold init of a bundle, median of RUNS fresh processes, each run next to one that loads the
 * SDK floor alone: this machine's load varies, and the pairs see the same load.
 */
function coldInit(file: string): { coldInitMs: number; sdkFloorMs: number; ownInitMs: number } {
  const bundle: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(coldMs(SDK));
    bundle.push(coldMs(`require(${JSON.stringify(file)})`));
  }
  return {
    coldInitMs: round(median(bundle)),
    sdkFloorMs: round(median(floor)),
    ownInitMs: round(median(bundle.map((b, i) => b - floor[i]!))),
  };
}

let total = 0;
const misses: string[] = [];
for (const [name, entry, slaPath] of FUNCTIONS) {
  const outfile = join(out, `${name}.js`);
  const result = await build({
    entryPoints: [join('functions', entry)],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'silent',
  });
  const bytes = statSync(outfile).size;
  total += bytes;
  const holidays = Object.keys(result.metafile.inputs).some((f) => f.includes('node_modules/date-holidays'));
  const { coldInitMs, sdkFloorMs, ownInitMs } = coldInit(outfile);
  const overSize = !SIZE_EXEMPT.has(name) && bytes > SIZE_TARGET;
  const slowInit = slaPath && coldInitMs > INIT_TARGET_MS;
  if (overSize) misses.push(`${name}: ${bytes} B`);
  if (holidays) misses.push(`${name}: carries date-holidays`);
  if (slowInit) misses.push(`${name}: cold init ${coldInitMs} ms`);
  console.log(
    JSON.stringify({
      function: name,
      slaPath,
      kb: Math.round(bytes / 102.4) / 10,
      coldInitMs,
      sdkFloorMs,
      ownInitMs,
      dateHolidays: holidays,
      overSize,
      slowInit,
    }),
  );
}
console.log(
  JSON.stringify({
    total: 'all functions',
    kb: Math.round(total / 102.4) / 10,
    targets: { kb: SIZE_TARGET / 1024, slaPathColdInitMs: INIT_TARGET_MS },
    missed: misses,
  }),
);
