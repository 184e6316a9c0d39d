// Words a search matched, marked in the text shown: a word is marked when it begins with one of
// the index's matched terms (the terms are stems: "invoic" marks "invoices" and "Invoice").
import { html } from 'htm/preact';
import { escapeRegExp } from '../../domain/text';

export function Highlighted({ text, terms }: { text: string; terms: string[] }) {
  if (!terms.length) return html`${text}`;
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])((?:${terms.map(escapeRegExp).join('|')})[\\p{L}\\p{N}]*)`,
    'giu',
  );
  const parts = text.split(pattern);
  // split() with one capturing group: odd indexes are the matches.
  return html`${parts.map((part, i) => (i % 2 ? html`<mark>${part}</mark>` : part))}`;
}
