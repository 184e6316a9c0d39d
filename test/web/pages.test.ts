// What every page downloads stays under 100 KB gzipped (the bundle, the stylesheet and the
// HTML together), and the files the CDK deployment copies are the ones the runtime serves.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildWeb, writeWeb } from '../../web/build';

describe('the web pages', () => {
  it('weigh under 100 KB gzipped each, and are written for the bucket as served', async () => {
    const assets = await buildWeb();
    const shared = ['/assets/app.js', '/assets/styles.css'].map((p) => gzipSync(assets.get(p)!.body).length);
    for (const page of ['/', '/embed.html']) {
      const total = gzipSync(assets.get(page)!.body).length + shared.reduce((a, b) => a + b, 0);
      expect(total, page).toBeLessThan(100 * 1024);
    }
    const dir = writeWeb(mkdtempSync(join(tmpdir(), 'sla-desk-web-')));
    expect(readFileSync(join(dir, 'index.html'))).toEqual(Buffer.from(assets.get('/')!.body));
    expect(readFileSync(join(dir, 'embed.html'))).toEqual(Buffer.from(assets.get('/embed.html')!.body));
    expect(readFileSync(join(dir, 'assets', 'app.js')).length).toBe(
      assets.get('/assets/app.js')!.body.length,
    );
  });
});
