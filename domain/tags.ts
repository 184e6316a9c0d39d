// Free tags on tickets: how a tag is written (lower case, words joined by hyphens, letters of
// any script), and how many a ticket carries.
export const MAX_TAGS_PER_TICKET = 20;
export const MAX_TAG_LENGTH = 40;

const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u;

/** The tag as stored, or null when it cannot be one (empty, too long, other characters). */
export function normalTag(input: string): string | null {
  const tag = input.normalize('NFC').trim().toLocaleLowerCase('en').replace(/\s+/gu, '-');
  if (!tag || [...tag].length > MAX_TAG_LENGTH || !TAG.test(tag)) return null;
  return tag;
}

/** A ticket's tags after adding and removing some: each once, in the order first given. */
export function changedTags(current: readonly string[], add: readonly string[], remove: readonly string[]) {
  const removed = new Set(remove);
  return [...new Set([...current, ...add])].filter((tag) => !removed.has(tag));
}
