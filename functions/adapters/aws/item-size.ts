// DynamoDB refuses an item over 400 KB with a ValidationException, which would surface as a
// 500 and lose the write. Every item the desk writes is measured here first, the way DynamoDB
// counts (UTF-8 names and strings, up to 21 bytes a number, 3 bytes a list or map plus 1 per
// element), and one over the budget is a typed error naming the item and its largest attribute.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** DynamoDB's item limit. The desk's limits keep every item type well under it (docs/store.md). */
export const ITEM_LIMIT_BYTES = 400 * 1024;

export class ItemTooLarge extends Error {
  constructor(
    readonly kind: string,
    readonly bytes: number,
    /** The item's largest attribute: what to shorten. */
    readonly field: string,
  ) {
    super(
      `the ${kind} would be ${bytes} bytes, over DynamoDB's ${ITEM_LIMIT_BYTES}-byte item limit; ${field} is the largest part`,
    );
    this.name = 'ItemTooLarge';
  }
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** The stored size of a value, as DynamoDB counts it (numbers at their 21-byte worst). */
export function valueBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return 21;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value) || value instanceof Set)
    return [...value].reduce((sum: number, e) => sum + valueBytes(e) + 1, 3);
  return Object.entries(value as object).reduce((sum, [k, v]) => sum + utf8(k) + valueBytes(v) + 1, 3);
}

export function itemBytes(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueBytes(value), 0);
}

/** `TICKET#…`/`T#0000004` → "ticket timeline entry": what the error message calls an item. */
function kindOf(item: Record<string, unknown>): string {
  const prefix = (key: unknown) => (typeof key === 'string' ? key.split('#')[0]!.toLowerCase() : '');
  const [pk, sk] = [prefix(item.pk), prefix(item.sk)];
  if (pk === 'ticket') return sk === 't' ? 'ticket timeline entry' : 'ticket';
  return sk && sk !== pk ? `${pk} ${sk}` : pk || 'item';
}

/** Throws ItemTooLarge for an item over the limit. */
export function checkItemSize(item: Record<string, unknown>): void {
  const bytes = itemBytes(item);
  if (bytes <= ITEM_LIMIT_BYTES) return;
  let largest = { name: '', bytes: -1 };
  for (const [name, value] of Object.entries(item)) {
    const size = valueBytes(value);
    if (size > largest.bytes) largest = { name, bytes: size };
  }
  throw new ItemTooLarge(kindOf(item), bytes, largest.name);
}

interface WriteInput {
  Item?: Record<string, unknown>;
  TransactItems?: { Put?: { Item?: Record<string, unknown> } }[];
  RequestItems?: Record<string, { PutRequest?: { Item?: Record<string, unknown> } }[]>;
}

/** Every item a Put, a transaction or a batch would write. */
function itemsOf(input: WriteInput): Record<string, unknown>[] {
  return [
    ...(input.Item ? [input.Item] : []),
    ...(input.TransactItems ?? []).flatMap((t) => (t.Put?.Item ? [t.Put.Item] : [])),
    ...Object.values(input.RequestItems ?? {}).flatMap((requests) =>
      Array.isArray(requests) ? requests.flatMap((r) => (r.PutRequest?.Item ? [r.PutRequest.Item] : [])) : [],
    ),
  ];
}

/** Measures every item before the document client marshals and sends it. */
export function enforceItemSizes(client: DynamoDBDocumentClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      for (const item of itemsOf(args.input as WriteInput)) checkItemSize(item);
      return next(args);
    },
    { step: 'initialize', priority: 'high', name: 'itemSizeBudget' },
  );
}
