// HTTPS requests to other systems with fetch (Node 18+ and Lambda have it). GETs: a 5 s limit,
// no redirects, and a 64 KB cap read as it arrives, so a slow or huge answer cannot hold a
// request or its memory. POSTs (webhooks): 10 s, no redirects, the answer's body not read.
// The same locally and on AWS.
import type { WebClient } from '../ports';

const LIMIT_BYTES = 64 * 1024;

export class FetchWebClient implements WebClient {
  async get(url: string): Promise<string> {
    const host = new URL(url).host;
    const response = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'error' });
    if (!response.ok) throw new Error(`GET ${host} answered ${response.status}`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > LIMIT_BYTES) {
        await reader.cancel();
        throw new Error(`GET ${host}: over ${LIMIT_BYTES} bytes`);
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number }> {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers,
      signal: AbortSignal.timeout(10_000),
      redirect: 'manual',
    });
    await response.body?.cancel();
    return { status: response.status };
  }
}
