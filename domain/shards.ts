// Index keys that spread: an index keyed on one value (every ticket's `DUE`) puts every write on
// one partition, and a partition takes about 1 000 writes a second. Sharded, a ticket's item
// goes under `DUE#<shard>` by a hash of its id; a reader reads every shard (in parallel) and
// merges them by the sort key, with a cursor that holds a position per shard. A shard count
// is named in the cursor: a cursor of another count is refused, never misread.
/** The shard count the indexes are written with. */
export const SHARDS = 16;

/** FNV-1a (32 bits) of the id, modulo `shards`: the same id, the same shard, evenly spread. */
export function shardOf(id: string, shards: number = SHARDS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** `DUE#7`: the partition of a shard. */
export const shardKey = (prefix: string, shard: number): string => `${prefix}#${shard}`;

/** One shard's answer: its items in sort order, and where it goes on (null: it has no more). */
export interface ShardRead<T, P> {
  items: T[];
  next: P | null;
}

/** Where a shard stands: not read yet, read to the end, or to go on after a position. */
export type ShardPosition<P> = 'start' | 'done' | { after: P };

/** Where every shard stands, and how many shards the list had when it was given. */
export interface MergeCursor<P> {
  shards: number;
  positions: ShardPosition<P>[];
}

/** The cursor of a first page. */
export const firstPage = <P>(shards: number): MergeCursor<P> => ({
  shards,
  positions: Array.from({ length: shards }, () => 'start' as const),
});

/**
 * Merges one read of every shard not done into the first `limit` items in sort order, and the
 * cursor that goes on. A shard that stopped before its end (`next`) may hold, unread, items that
 * sort after `next` only: items are taken up to the lowest such `next`. A read may stop past its
 * last item (a filter dropped the rest, or all of it): its `next` is where it stopped, so
 * nothing it examined is examined again. `positionOf` is an item's position in its shard (its
 * index key); `order` orders positions across shards (ties by shard).
 */
export function mergeShards<T, P>(
  reads: readonly (ShardRead<T, P> | null)[],
  limit: number,
  order: (a: P, b: P) => number,
  positionOf: (item: T) => P,
  before: MergeCursor<P>,
): { items: T[]; cursor: MergeCursor<P> | null } {
  const tagged = reads.flatMap((read, shard) =>
    read ? read.items.map((item) => ({ item, at: positionOf(item), shard })) : [],
  );
  tagged.sort((a, b) => order(a.at, b.at) || a.shard - b.shard);
  const bound = reads.reduce<P | null>((lowest, read) => {
    if (!read || read.next === null) return lowest;
    return lowest === null || order(read.next, lowest) < 0 ? read.next : lowest;
  }, null);
  const taken = tagged.filter((t) => bound === null || order(t.at, bound) <= 0).slice(0, limit);
  const positions = reads.map((read, shard): ShardPosition<P> => {
    if (!read) return before.positions[shard] ?? 'done'; // done before: not read again
    const mine = taken.filter((t) => t.shard === shard);
    if (mine.length < read.items.length) {
      // Some of its items wait: on after the last one taken, or where it stood if none was.
      return mine.length ? { after: mine.at(-1)!.at } : (before.positions[shard] ?? 'start');
    }
    return read.next === null ? 'done' : { after: read.next };
  });
  const done = positions.every((p) => p === 'done');
  return { items: taken.map((t) => t.item), cursor: done ? null : { shards: reads.length, positions } };
}

/** Whether a cursor read back is one of this list with `shards` shards (a change of count starts over). */
export function isMergeCursor<P>(value: unknown, shards: number): value is MergeCursor<P> {
  const c = value as MergeCursor<P> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    c.shards === shards &&
    Array.isArray(c.positions) &&
    c.positions.length === shards &&
    c.positions.every(
      (p) => p === 'start' || p === 'done' || (typeof p === 'object' && p !== null && 'after' in p),
    )
  );
}
