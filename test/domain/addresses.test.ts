// Where webhooks may go (domain/addresses.ts): every spelling of loopback, private and
// link-local space and the metadata services refused; public addresses and names taken.
import { describe, expect, it } from 'vitest';
import { refusedAddress, refusedHost } from '../../domain/addresses';

// As a URL gives the host: the WHATWG parser writes 127.1, 2130706433 and 0x7f000001 as 127.0.0.1.
const hostOf = (spelling: string) => new URL(`http://${spelling}/hook`).hostname;

describe('a webhook host', () => {
  it.each([
    ['localhost', /loopback/],
    ['[::1]', /loopback/],
    ['127.1', /loopback/],
    ['2130706433', /loopback/],
    ['0x7f000001', /loopback/],
    ['[::ffff:127.0.0.1]', /loopback/],
    ['0.0.0.0', /unspecified/],
    ['api.localhost', /loopback/],
    ['10.0.0.1', /private/],
    ['192.168.4.20', /private/],
    ['172.31.255.1', /private/],
    ['[fd12:3456::1]', /private/],
    ['100.64.1.1', /carrier-grade/],
    ['169.254.169.254', /metadata/],
    ['[fd00:ec2::254]', /metadata/],
    ['169.254.10.10', /link-local/],
    ['[fe80::1]', /link-local/],
    ['[::ffff:10.0.0.1]', /private/],
  ])('refuses %s', (spelling, why) => {
    expect(refusedHost(hostOf(spelling), false)).toMatch(why);
  });

  it('takes public addresses and names (names are checked again once resolved)', () => {
    for (const spelling of ['hooks.acme.example', '93.184.216.34', '[2606:4700::1111]'])
      expect(refusedHost(hostOf(spelling), false), spelling).toBeNull();
  });

  it('allows loopback only where the setting says so, and nothing else with it', () => {
    expect(refusedHost(hostOf('127.1'), true)).toBeNull();
    expect(refusedHost('localhost', true)).toBeNull();
    expect(refusedHost(hostOf('10.0.0.1'), true)).toMatch(/private/);
    expect(refusedHost(hostOf('169.254.169.254'), true)).toMatch(/metadata/);
    expect(refusedAddress('not an address', true)).toMatch(/not an IP address/);
  });
});
