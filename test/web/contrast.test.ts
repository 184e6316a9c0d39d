// WCAG AA in both themes: every pairing of text and background the stylesheet uses has a
// contrast ratio of at least 4.5:1 (normal text), and the focus ring and field borders 3:1
// against the page (WCAG 1.4.11), computed from the tokens in web/styles.css itself: the light
// theme's :root and the dark theme's (prefers-color-scheme: dark).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(import.meta.dirname, '..', '..', 'web', 'styles.css'), 'utf8');
const dark = css.slice(css.indexOf('@media (prefers-color-scheme: dark)'));
const themes = { light: css, dark };
const tokenOf = (theme: string) => (name: string) => {
  const match = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(theme);
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
  it.each(Object.entries(themes))(
    'meet WCAG AA in the %s theme, text 4.5:1, focus and borders 3:1',
    (_, theme) => {
      const v = tokenOf(theme);
      const pairs: [string, string, string][] = [
        ['body text', v('ink'), v('bg')],
        ['text on panels', v('ink'), v('panel')],
        ['hints and meta', v('muted'), v('bg')],
        ['hints on panels', v('muted'), v('panel')],
        ['links, secondary buttons', v('accent'), v('bg')],
        ['button text', v('on-accent'), v('accent')],
        ['errors, breached', v('bad'), v('bad-bg')],
        ['warnings', v('warn'), v('warn-bg')],
        ['notices, met', v('ok'), v('ok-bg')],
        ['badges', v('ink'), v('chip')],
        ['internal notes', v('ink'), v('internal-bg')],
        ['hints on internal notes', v('muted'), v('internal-bg')],
        ['the internal label', v('warn'), v('internal-bg')],
        ['search marks', v('ink'), v('mark')],
        ['selected rows', v('ink'), v('selected')],
        ['muted on selected rows', v('muted'), v('selected')],
      ];
      for (const [what, text, background] of pairs) {
        expect(ratio(text, background), `${what}: ${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
      }
      for (const [what, colour] of [
        ['the focus ring', v('focus')],
        ['field borders', v('field-line')],
      ] as const) {
        for (const background of [v('bg'), v('panel')])
          expect(ratio(colour, background), `${what}: ${colour} on ${background}`).toBeGreaterThanOrEqual(3);
      }
      // The check itself: grey on white fails.
      expect(ratio('#999999', '#ffffff')).toBeLessThan(4.5);
    },
  );

  it('draws the focus with the token, never a fixed colour', () => {
    expect(css).toMatch(/:focus-visible \{\n {2}outline: 3px solid var\(--focus\);/);
  });
});
