// Where the desk may send a customer's webhooks: public unicast addresses only, never this
// machine, a private network, link-local space or a cloud's instance metadata service (SSRF).
// Pure: an address or a host name in, why it is refused (or null) out. The ranges are the IANA
// special-purpose registries' (RFC 6890 and successors); Node's BlockList does the matching,
// IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4 ranges.
import { BlockList, isIP } from 'node:net';

const LOOPBACK = 'this machine (loopback)';
const PRIVATE = 'a private network';
const LINK_LOCAL = 'link-local (the instance metadata service among others)';
const RESERVED = 'reserved, not on the internet';

const RANGES: [address: string, prefix: number, why: string][] = [
  ['0.0.0.0', 8, 'the unspecified address (this machine)'],
  ['10.0.0.0', 8, PRIVATE],
  ['100.64.0.0', 10, 'a carrier-grade NAT network'],
  ['127.0.0.0', 8, LOOPBACK],
  ['169.254.0.0', 16, LINK_LOCAL],
  ['172.16.0.0', 12, PRIVATE],
  ['192.0.0.0', 24, RESERVED],
  ['192.0.2.0', 24, RESERVED],
  ['192.88.99.0', 24, RESERVED],
  ['192.168.0.0', 16, PRIVATE],
  ['198.18.0.0', 15, 'a benchmarking network'],
  ['198.51.100.0', 24, RESERVED],
  ['203.0.113.0', 24, RESERVED],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, RESERVED],
  ['::', 128, 'the unspecified address (this machine)'],
  ['::1', 128, LOOPBACK],
  ['64:ff9b::', 96, 'NAT64, which reaches IPv4 inside'],
  ['64:ff9b:1::', 48, 'NAT64, which reaches IPv4 inside'],
  ['100::', 64, RESERVED],
  ['2001::', 32, 'Teredo, which reaches IPv4 inside'],
  ['2001:db8::', 32, RESERVED],
  ['2002::', 16, '6to4, which reaches IPv4 inside'],
  ['fc00::', 7, 'a private network (unique local)'],
  ['fe80::', 10, LINK_LOCAL],
  ['ff00::', 8, 'multicast'],
];
const LISTS = RANGES.map(([address, prefix, why]) => {
  const list = new BlockList();
  list.addSubnet(address, prefix, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  return { list, why };
});
// The metadata services, named for the message: AWS's on IPv4 (GCP's and Azure's too) and IPv6 (Nitro).
const METADATA = new BlockList();
METADATA.addAddress('169.254.169.254', 'ipv4');
METADATA.addAddress('fd00:ec2::254', 'ipv6');

/** Why sending to this host (its name as a URL gives it) is refused, or null; loopback where allowed. */
export function refusedHost(hostname: string, allowLoopback: boolean): string | null {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost'))
    return allowLoopback ? null : `${hostname} is ${LOOPBACK}`;
  return isIP(host) ? refusedAddress(host, allowLoopback) : null;
}

/** Why an IP address (as a URL or DNS gives it) is refused, or null for a public unicast one. */
export function refusedAddress(address: string, allowLoopback: boolean): string | null {
  const family = isIP(address);
  if (!family) return `${address} is not an IP address`;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (METADATA.check(address, type)) return `${address} is the instance metadata service`;
  const hit = LISTS.find(({ list }) => list.check(address, type));
  if (!hit || (hit.why === LOOPBACK && allowLoopback)) return null;
  return `${address} is ${hit.why}`;
}
