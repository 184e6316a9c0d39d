// HTTPS requests to other systems. GETs (SNS's own URLs) with fetch: a 5 s limit, no
// redirects, and a 64 KB cap read as it arrives, so a slow or huge answer cannot hold a request
// or its memory. POSTs (webhooks, to customers' URLs): 10 s, no redirects, the answer's body not
// read, and only to public addresses (domain/addresses.ts): the host is resolved, every address
// checked, and the connection made to the address that was checked, so a name that resolves
// elsewhere a moment later (DNS rebinding) reaches nothing inside. The same locally and on AWS.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { refusedAddress, refusedHost } from '../../domain/addresses';
import type { WebClient } from '../ports';

type Resolve = (host: string, callback: (error: Error | null, addresses: LookupAddress[]) => void) => void;

/** A webhook URL that leads somewhere the desk does not send to. */
export class RefusedTarget extends Error {}

const LIMIT_BYTES = 64 * 1024;

export class FetchWebClient implements WebClient {
  /**
   * `allowLoopback`: this machine may be a receiver (the local runtime's own tests and demos).
   * `resolve`: the DNS the connections use (the system's; tests give names of their own).
   */
  constructor(
    private readonly allowLoopback = false,
    private readonly resolve: Resolve = (host, callback) => dnsLookup(host, { all: true }, callback),
  ) {}

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
    const target = new URL(url);
    const refused = refusedHost(target.hostname, this.allowLoopback);
    if (refused) throw new RefusedTarget(`not sent: ${refused}`);
    const send = target.protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = send(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup: this.checkedLookup,
          signal: AbortSignal.timeout(10_000),
        },
        (res) => {
          res.resume(); // the answer's body is not read
          resolve({ status: res.statusCode ?? 0 });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Why a webhook URL's host is refused now (by name or by what it resolves to), else null. */
  async refused(url: string): Promise<string | null> {
    const { hostname } = new URL(url);
    const byName = refusedHost(hostname, this.allowLoopback);
    if (byName) return byName;
    const addresses = await new Promise<LookupAddress[]>((done) =>
      // Not resolvable now: each delivery resolves and checks again.
      this.resolve(hostname.replace(/^\[|\]$/g, ''), (error, found) => done(error ? [] : found)),
    );
    const why = addresses.map((a) => refusedAddress(a.address, this.allowLoopback)).find(Boolean);
    return why ? `${hostname} resolves to ${why}` : null;
  }

  /** DNS as the connection asks it, refusing every answer that holds an address not to send to. */
  private readonly checkedLookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const why = addresses.map((a) => refusedAddress(a.address, this.allowLoopback)).find(Boolean);
      if (why) return callback(new RefusedTarget(`not sent: ${hostname} resolves to ${why}`), '', 0);
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
