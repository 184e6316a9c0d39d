// HTTPS GETs to other systems with fetch (Node 18+ and Lambda have it): a 5 s limit and a
// 64 KB cap, so a slow or huge answer cannot hold a request. The same locally and on AWS.
import type { WebClient } from '../ports';

const LIMIT_BYTES = 64 * 1024;

export class FetchWebClient implements WebClient {
  async get(url: string): Promise<string> {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'error' });
    if (!response.ok) throw new Error(`GET ${new URL(url).host} answered ${response.status}`);
    const body = new Uint8Array(await response.arrayBuffer());
    if (body.length > LIMIT_BYTES) throw new Error(`GET ${new URL(url).host}: over ${LIMIT_BYTES} bytes`);
    return new TextDecoder().decode(body);
  }
}
