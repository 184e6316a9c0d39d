// `npm run bench:mail`: reading received mail as the inbound function does (repairs, mailsplit's
// text parts in UTF-8, mailparser, HTML as text, uuencoded files, the quoted history cut off),
// over the 301 real-world messages of test/fixtures/mail-corpus and over mail at the 10 MB limit
// (HTML alone, the worst for the text: html-to-text reads the first 1 MB). Prints the median,
// p99 and longest message, and the peak memory. Target: every message under 1 s, the function's
// 1 024 MB never near.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newTextOfReply } from '../domain/mail';
import { readMail, Unreadable } from '../functions/app/mail-reading';

const DIR = join(import.meta.dirname, '../test/fixtures/mail-corpus');
const corpus = readdirSync(DIR)
  .filter((f) => f.includes('__'))
  .map((f) => ({ name: f, raw: readFileSync(join(DIR, f)) }));

const limit = 10 * 1024 * 1024;
const paragraph =
  '<p>The kiosk in store 7 shows <b>error E451</b> &mdash; see <a href="https://x.test">the log</a>.</p>\n';
const bigHtml = Buffer.from(
  `From: ann@acme.test\r\nSubject: Big\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>${paragraph.repeat(Math.floor((limit - 200) / paragraph.length))}</body></html>`,
);
const bigText = Buffer.from(
  `From: ann@acme.test\r\nSubject: Big\r\n\r\n${'> quoted line of an old thread, again and again\r\n'.repeat(limit / 50 - 10)}`,
);

let peak = 0;
async function time(name: string, raw: Buffer): Promise<{ name: string; ms: number }> {
  const started = performance.now();
  try {
    const read = await readMail(raw);
    newTextOfReply(read.text);
  } catch (error) {
    if (!(error instanceof Unreadable)) throw error;
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { name, ms: performance.now() - started };
}

for (const m of corpus.slice(0, 20)) await time(m.name, m.raw); // warm-up
const runs: { name: string; ms: number }[] = [];
for (const m of corpus) runs.push(await time(m.name, m.raw));
runs.sort((a, b) => a.ms - b.ms);
const at = (q: number) => runs[Math.min(runs.length - 1, Math.floor(q * runs.length))]!;
const total = runs.reduce((sum, r) => sum + r.ms, 0);
console.log(
  JSON.stringify({
    corpus: runs.length,
    totalMs: Math.round(total),
    medianMs: +at(0.5).ms.toFixed(2),
    p99Ms: +at(0.99).ms.toFixed(1),
    longest: { file: runs.at(-1)!.name, ms: +runs.at(-1)!.ms.toFixed(1) },
  }),
);
for (const [name, raw] of [
  ['10 MB of HTML alone', bigHtml],
  ['10 MB of quoted text', bigText],
] as const) {
  const { ms } = await time(name, raw);
  console.log(JSON.stringify({ mail: name, bytes: raw.length, ms: Math.round(ms) }));
}
console.log(JSON.stringify({ peakRssMb: Math.round(peak / 1024 / 1024), target: { perMessageMs: 1000 } }));
