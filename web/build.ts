// The web pages built with esbuild: one minified module bundle, the HTML and the stylesheet.
// The local runtime builds them in memory when it starts; `npm run build:web` writes them to
// web/dist for the CDK deployment.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

export interface WebAsset {
  type: string;
  body: Uint8Array;
  /** Headers of its own (the pages' security headers, set where they are served). */
  headers?: Record<string, string>;
}

/** URL path → asset: `/` (the HTML), `/assets/app.js`, `/assets/styles.css`. */
export async function buildWeb(): Promise<Map<string, WebAsset>> {
  const result = await build({
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
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('app.js'))!;
  return new Map([
    ['/', { type: 'text/html; charset=utf-8', body: readFileSync(join(here, 'index.html')) }],
    ['/embed.html', { type: 'text/html; charset=utf-8', body: readFileSync(join(here, 'embed.html')) }],
    ['/assets/app.js', { type: 'text/javascript; charset=utf-8', body: js.contents }],
    ['/assets/styles.css', { type: 'text/css; charset=utf-8', body: readFileSync(join(here, 'styles.css')) }],
  ]);
}
