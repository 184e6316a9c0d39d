// WCAG AA: every pairing of text and background the stylesheet uses has a contrast ratio of
// at least 4.5:1 (normal text), computed from the colours in web/styles.css itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(import.meta.dirname, '..', '..', 'web', 'styles.css'), 'utf8');
const variable = (name: string) => {
  const match = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(css);
  if (!match) throw new Error(`--${name} is not in styles.css`);
  return match[1]!;
};

/** WCAG 2 relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const ratio = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('colours', () => {
  it('meet WCAG AA (4.5:1) for every text on its background', () => {
    const white = '#ffffff';
    const pairs: [string, string, string][] = [
      ['body text', variable('ink'), white],
      ['hints and meta', variable('muted'), white],
      ['links, secondary buttons', variable('accent'), white],
      ['button text', white, variable('accent')],
      ['errors, breached', variable('bad'), variable('bad-bg')],
      ['warnings', variable('warn'), variable('warn-bg')],
      ['notices, met', variable('ok'), variable('ok-bg')],
      ['badges', variable('ink'), '#e4e7eb'],
      ['internal notes', variable('ink'), '#fffbea'],
      ['hints on internal notes', variable('muted'), '#fffbea'],
    ];
    for (const [what, text, background] of pairs) {
      expect(ratio(text, background), `${what}: ${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
    }
    // The check itself: grey on white fails.
    expect(ratio('#999999', white)).toBeLessThan(4.5);
  });
});
