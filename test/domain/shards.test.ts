// Sharded index keys: ids spread evenly over the shards, and a list merged from every shard,
// page by page with a position per shard, is the whole list in order, each item once, whatever
// the page size and however the items fall; a cursor of another shard count is refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  firstPage,
  isMergeCursor,
  type MergeCursor,
  mergeShards,
  SHARDS,
  type ShardRead,
  shardKey,
  shardOf,
} from '../../domain/shards';

interface Item {
  due: number;
  id: string;
}
const key = (i: Item) => `${String(i.due).padStart(6, '0')}#${i.id}`;
// DynamoDB orders sort keys by their bytes: compared as code units here, never by locale.
const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const compare = (a: Item, b: Item) => order(key(a), key(b));

/**
 * A shard as DynamoDB answers a Query: it examines up to `limit` items after a position, returns
 * those that pass the filter, and says where it stopped (LastEvaluatedKey) when there is more.
 */
function read(
  items: Item[],
  limit: number,
  after: string | null,
  keep: (i: Item) => boolean,
): ShardRead<Item, string> {
  const rest = items.filter((i) => after === null || key(i) > after);
  const examined = rest.slice(0, limit);
  return { items: examined.filter(keep), next: rest.length > limit ? key(examined.at(-1)!) : null };
}

/** Every page of the merged list, the way the queue reads it. */
function readAll(shards: Item[][], limit: number, keep: (i: Item) => boolean = () => true): Item[][] {
  const pages: Item[][] = [];
  let cursor: MergeCursor<string> | null = firstPage(shards.length);
  while (cursor && pages.length < 10_000) {
    const before: MergeCursor<string> = cursor;
    const reads = shards.map((items, s) => {
      const p = before.positions[s]!;
      return p === 'done' ? null : read(items, limit, p === 'start' ? null : p.after, keep);
    });
    const page = mergeShards(reads, limit, order, key, before);
    pages.push(page.items);
    cursor = page.cursor;
  }
  return pages;
}

describe('shardOf', () => {
  it('puts the same id in the same shard, and spreads 16 000 ids within 15 % of even', () => {
    expect(shardOf('TKT-7K3QF9M2XA')).toBe(shardOf('TKT-7K3QF9M2XA'));
    const counts = new Array(SHARDS).fill(0);
    for (let i = 0; i < 16_000; i++)
      counts[shardOf(`TKT-${i.toString(36).toUpperCase().padStart(10, '0')}`)]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
    expect(shardKey('DUE', 7)).toBe('DUE#7');
  });
});

describe('mergeShards', () => {
  it('gives the whole list in order, each item once, for any items, shard count and page size', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ due: fc.integer({ min: 0, max: 50 }), id: fc.string({ minLength: 1, maxLength: 4 }) }),
          {
            maxLength: 120,
          },
        ),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 25 }),
        (raw, shardCount, limit) => {
          const unique = [...new Map(raw.map((i) => [key(i), i])).values()];
          const shards = Array.from({ length: shardCount }, (_, s) =>
            unique.filter((i) => shardOf(i.id, shardCount) === s).sort(compare),
          );
          const pages = readAll(shards, limit);
          expect(pages.flat().map(key)).toEqual(unique.sort(compare).map(key));
          for (const page of pages.slice(0, -1)) expect(page.length).toBeGreaterThan(0);
          for (const page of pages) expect(page.length).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives exactly the items a filter keeps, in order, when reads stop past what they return', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 150 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 2, max: 7 }),
        (dues, shardCount, limit, every) => {
          const items = dues.map((due) => ({ due, id: `T${due}` }));
          const keep = (i: Item) => i.due % every === 0;
          const shards = Array.from({ length: shardCount }, (_, s) =>
            items.filter((i) => shardOf(i.id, shardCount) === s).sort(compare),
          );
          const pages = readAll(shards, limit, keep);
          expect(pages.flat().map(key)).toEqual(items.filter(keep).sort(compare).map(key));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stops at once for empty shards, and never reads a shard that is done again', () => {
    expect(readAll([[], [], []], 10)).toEqual([[]]);
    const reads = [null, { items: [{ due: 1, id: 'a' }], next: null }];
    const page = mergeShards(reads, 10, order, key, { shards: 2, positions: ['done', 'start'] });
    expect(page).toEqual({ items: [{ due: 1, id: 'a' }], cursor: null });
  });

  it('refuses a cursor of another shard count or shape', () => {
    const cursor = firstPage<string>(16);
    expect(isMergeCursor(JSON.parse(JSON.stringify(cursor)), 16)).toBe(true);
    expect(isMergeCursor(cursor, 32)).toBe(false);
    expect(isMergeCursor({ shards: 16, positions: [...cursor.positions.slice(1), 'later'] }, 16)).toBe(false);
    expect(isMergeCursor('DUE#3', 16)).toBe(false);
  });
});
