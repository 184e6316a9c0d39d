// `npm run bench:bundles`: each Lambda as the stack bundles it (esbuild ESM, minified, node22,
// the AWS SDK left to the runtime), its size, and its cold-init time: importing the bundle in
// a fresh Node process, median of five. Target: no SLA-path function over 250 KB.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

// Every function of infra/ (entry under functions/), and whether it is on the SLA path.
const FUNCTIONS: [name: string, entry: string, slaPath: boolean][] = [
  ['api-tickets', 'http/entries/tickets.ts', true],
  ['authorizer', 'http/authorizer.ts', true],
  ['escalation', 'escalation/handler.ts', true],
  ['sweeper', 'escalation/sweeper.ts', true],
  ['api-directory', 'http/entries/directory.ts', false],
  ['api-plans', 'http/entries/plans.ts', false],
  ['api-operations', 'http/entries/operations.ts', false],
  ['api-openapi', 'http/entries/openapi.ts', false],
  ['inbound-mail', 'inbound-mail/handler.ts', false],
  ['monthly-reports', 'reports/handler.ts', false],
  ['seed', 'seed/handler.ts', false],
];
const TARGET_BYTES = 250 * 1024;
// Inside node_modules so that the externals (@aws-sdk/*) resolve as they do on Lambda.
const out = join(process.cwd(), 'node_modules', '.cache', 'sla-desk-bundles');
mkdirSync(out, { recursive: true });

let total = 0;
let over = 0;
for (const [name, entry, slaPath] of FUNCTIONS) {
  const outfile = join(out, `${name}.mjs`);
  await build({
    entryPoints: [join('functions', entry)],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  const bytes = statSync(outfile).size;
  total += bytes;
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const ms = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t = performance.now(); await import(${JSON.stringify(outfile)}); console.log(performance.now() - t);`,
      ],
      { encoding: 'utf8', env: { ...process.env, AWS_REGION: 'eu-north-1' } },
    );
    times.push(Number(ms.trim().split('\n').at(-1)));
  }
  times.sort((a, b) => a - b);
  const overTarget = slaPath && bytes > TARGET_BYTES;
  if (overTarget) over++;
  console.log(
    JSON.stringify({
      function: name,
      slaPath,
      kb: Math.round(bytes / 102.4) / 10,
      coldInitMs: Math.round(times[2]! * 10) / 10,
      overTarget,
    }),
  );
}
console.log(
  JSON.stringify({ total: 'all functions', kb: Math.round(total / 102.4) / 10, slaPathOverTarget: over }),
);
