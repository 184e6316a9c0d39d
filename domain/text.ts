// Text as patterns: a word or an address put into a regular expression matches only itself.
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
