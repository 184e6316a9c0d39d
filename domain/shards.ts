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
 * cursor that goes on: each shard from just after the last of its items taken. A shard that
 * returned a full page may hold, unread, items that sort before another shard's: items are taken
 * only up to the lowest last item of such a shard. `positionOf` is an item's position in its
 * shard (its index key); `compare` orders items across shards (ties by shard).
 */
export function mergeShards<T, P>(
  reads: readonly (ShardRead<T, P> | null)[],
  limit: number,
  compare: (a: T, b: T) => number,
  positionOf: (item: T) => P,
  before: MergeCursor<P>,
): { items: T[]; cursor: MergeCursor<P> | null } {
  const tagged = reads.flatMap((read, shard) => (read ? read.items.map((item) => ({ item, shard })) : []));
  tagged.sort((a, b) => compare(a.item, b.item) || a.shard - b.shard);
  const bound = reads.reduce<T | null>((lowest, read) => {
    if (!read || read.next === null || read.items.length === 0) return lowest;
    const last = read.items.at(-1)!;
    return lowest === null || compare(last, lowest) < 0 ? last : lowest;
  }, null);
  const taken = tagged.filter((t) => bound === null || compare(t.item, bound) <= 0).slice(0, limit);
  const positions = reads.map((read, shard): ShardPosition<P> => {
    if (!read) return before.positions[shard] ?? 'done'; // done before: not read again
    const mine = taken.filter((t) => t.shard === shard);
    if (mine.length === 0) {
      if (read.items.length) return before.positions[shard] ?? 'start'; // read again from where it stood
      return read.next === null ? 'done' : { after: read.next };
    }
    if (mine.length === read.items.length && read.next === null) return 'done';
    return { after: positionOf(mine.at(-1)!.item) };
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
