import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHeader, parseSender, SENDER_NAME_MAX, senderProblem } from '../../domain/sender';

/** The display name an RFC 2047 header decodes to (what a mail client shows). */
function decoded(header: string): string {
  const words = header.slice(0, header.lastIndexOf(' <')).split(' ');
  return words
    .map((w) => {
      const m = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/.exec(w);
      if (!m) throw new Error(`not an encoded word: ${w}`);
      return Buffer.from(m[1]!, 'base64').toString('utf8');
    })
    .join('');
}

describe('the sender (senderEmail)', () => {
  it('reads an address, or a display name with its address, quoted or not', () => {
    expect(parseSender('support@vendor.example')).toEqual({ name: null, address: 'support@vendor.example' });
    expect(parseSender('Support Desk <support@vendor.example>')).toEqual({
      name: 'Support Desk',
      address: 'support@vendor.example',
    });
    expect(parseSender('  "Vendor, Support"   <support@vendor.example>  ')).toEqual({
      name: 'Vendor, Support',
      address: 'support@vendor.example',
    });
    expect(parseSender('Åsa från Supporten 🛟 <hjälp@vendor.example>'.replace('hjälp', 'help'))).toEqual({
      name: 'Åsa från Supporten 🛟',
      address: 'help@vendor.example',
    });
  });

  it('refuses what would break the From header or SES, saying why', () => {
    const refused: [string, RegExp][] = [
      ['Support Desk', /neither an address nor Name <address>/],
      ['Support <not an address>', /<not an address> is not an e-mail address/],
      ['Support\r\nBcc: victim@x.example <support@vendor.example>', /control character/],
      ['Sup\u0000port <support@vendor.example>', /control character/],
      ['Say "hi" <support@vendor.example>', /quote or backslash/],
      ['back\\slash <support@vendor.example>', /quote or backslash/],
      ['"" <support@vendor.example>', /empty/],
      [' <support@vendor.example>', /empty/],
      ['<support@vendor.example> <other@vendor.example>', /one address only/],
      [`${'ß'.repeat(SENDER_NAME_MAX + 1)} <support@vendor.example>`, /longer than 64/],
      [`${'a'.repeat(250)}@vendor.example`, /longer than 254/],
      ['support@localhost', /neither an address/],
      ['support@vendor.example\r\nBcc: victim@x.example', /neither an address/],
    ];
    for (const [value, why] of refused) {
      expect(senderProblem(value), value).toMatch(why);
      expect(() => parseSender(value), value).toThrow(why);
    }
    expect(senderProblem(`${'ß'.repeat(SENDER_NAME_MAX)} <support@vendor.example>`)).toBeNull();
  });

  it('writes the From header: plain, quoted where a name has specials, encoded words where not ASCII', () => {
    expect(fromHeader(parseSender('support@vendor.example'))).toBe('support@vendor.example');
    expect(fromHeader(parseSender('Support Desk <support@vendor.example>'))).toBe(
      'Support Desk <support@vendor.example>',
    );
    expect(fromHeader(parseSender('"Vendor, Support" <support@vendor.example>'))).toBe(
      '"Vendor, Support" <support@vendor.example>',
    );
    expect(fromHeader(parseSender('Vendor Inc. <support@vendor.example>'))).toBe(
      '"Vendor Inc." <support@vendor.example>',
    );
    const header = fromHeader(parseSender('Åsa Support <support@vendor.example>'));
    expect(header).toBe('=?UTF-8?B?w4VzYSBTdXBwb3J0?= <support@vendor.example>');
  });

  it('encodes any name in words of at most 75 characters that decode to it, never splitting a character', () => {
    const name = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: SENDER_NAME_MAX })
      .map((s) =>
        [...s]
          .slice(0, SENDER_NAME_MAX)
          .join('')
          .replace(/["\\\p{Cc}]/gu, 'x'),
      )
      .filter((s) => s.trim() === s && s.length > 0 && /[^\x20-\x7e]/.test(s));
    fc.assert(
      fc.property(name, (n) => {
        const header = fromHeader({ name: n, address: 'support@vendor.example' });
        for (const word of header.split(' <')[0]!.split(' ')) expect(word.length).toBeLessThanOrEqual(75);
        expect(decoded(header)).toBe(n);
        expect(header).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 300 },
    );
  });
});
