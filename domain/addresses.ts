// Where the desk may send a customer's webhooks: public unicast addresses only, never this
// machine, a private network, link-local space or a cloud's instance metadata service (SSRF).
// Pure: an address or a host name in, why it is refused (or null) out. ipaddr.js parses every
// spelling of an IP address (IPv4-mapped IPv6 included).
import ipaddr from 'ipaddr.js';

/** Why sending to this host (its name as a URL gives it) is refused, or null; loopback where allowed. */
export function refusedHost(hostname: string, allowLoopback: boolean): string | null {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost'))
    return allowLoopback ? null : `${hostname} is this machine (loopback)`;
  return ipaddr.isValid(host) ? refusedAddress(host, allowLoopback) : null;
}

// ipaddr.js's ranges that are not somewhere on the internet.
const REFUSED_RANGES: Record<string, string> = {
  unspecified: 'the unspecified address (this machine)',
  loopback: 'this machine (loopback)',
  private: 'a private network',
  uniqueLocal: 'a private network (unique local)',
  linkLocal: 'link-local (the instance metadata service among others)',
  carrierGradeNat: 'a carrier-grade NAT network',
  broadcast: 'broadcast',
  multicast: 'multicast',
  reserved: 'reserved',
  benchmarking: 'a benchmarking network',
  amt: 'reserved',
  as112: 'reserved',
  deprecated: 'reserved',
  orchid2: 'reserved',
  droneRemoteIdProtocolEntityTags: 'reserved',
  '6to4': 'a transition address',
  teredo: 'a transition address',
  rfc6145: 'a transition address',
  rfc6052: 'a transition address',
  discard: 'reserved',
};
// AWS's metadata service on IPv6 (Nitro) sits in unique-local space; named for the message.
const AWS_METADATA_V6 = ipaddr.parse('fd00:ec2::254');

/** Why an IP address (any spelling) is refused, or null for a public unicast one. */
export function refusedAddress(address: string, allowLoopback: boolean): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address); // ::ffff:127.0.0.1 is 127.0.0.1
  } catch {
    return `${address} is not an IP address`;
  }
  const range = parsed.range();
  if (range === 'loopback' && allowLoopback) return null;
  if (parsed.toString() === '169.254.169.254' || parsed.toString() === AWS_METADATA_V6.toString())
    return `${address} is the instance metadata service`;
  const why = REFUSED_RANGES[range];
  return why ? `${address} is ${why}` : null;
}
