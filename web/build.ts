// The web pages built with esbuild: one minified module bundle, the HTML pages and the
// stylesheet. The local runtime builds them in memory when it starts; the CDK app (and
// `npm run build:web`) writes them to web/dist for the S3 bucket behind CloudFront.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, buildSync } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = join(here, 'dist');

export interface WebAsset {
  type: string;
  body: Uint8Array;
  /** Headers of its own (the pages' security headers, set where they are served). */
  headers?: Record<string, string>;
}

const OPTIONS: BuildOptions = {
  entryPoints: [join(here, 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  write: false,
  outfile: 'app.js',
  legalComments: 'none',
  logLevel: 'silent',
};

const HTML = 'text/html; charset=utf-8';

function assets(js: Uint8Array): Map<string, WebAsset> {
  return new Map([
    ['/', { type: HTML, body: readFileSync(join(here, 'index.html')) }],
    ['/embed.html', { type: HTML, body: readFileSync(join(here, 'embed.html')) }],
    ['/assets/app.js', { type: 'text/javascript; charset=utf-8', body: js }],
    ['/assets/styles.css', { type: 'text/css; charset=utf-8', body: readFileSync(join(here, 'styles.css')) }],
  ]);
}

/** URL path → asset: `/` (the app), `/embed.html` (the form alone), the script and the styles. */
export async function buildWeb(): Promise<Map<string, WebAsset>> {
  const result = await build(OPTIONS);
  return assets(result.outputFiles!.find((f) => f.path.endsWith('app.js'))!.contents);
}

/** Writes the pages as files (`/` as index.html) for a static host; synchronous, for CDK synth. */
export function writeWeb(directory = WEB_DIST): string {
  const result = buildSync(OPTIONS);
  rmSync(directory, { recursive: true, force: true });
  for (const [path, asset] of assets(result.outputFiles!.find((f) => f.path.endsWith('app.js'))!.contents)) {
    const file = join(directory, path === '/' ? 'index.html' : path.slice(1));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, asset.body);
  }
  return directory;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(`web pages written to ${writeWeb()}`);
