// Text as patterns and markup: a word or an address put into a regular expression matches only
// itself; user text put into HTML is only text.
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `<b>"x"</b>` → `&lt;b&gt;&quot;x&quot;&lt;/b&gt;`. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
