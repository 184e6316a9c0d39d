// Every item is measured before it is written: over DynamoDB's 400 KB it is a typed error
// naming the item and its largest attribute, never DynamoDB's ValidationException (a 500).
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/aws/dynamodb';
import { ITEM_LIMIT_BYTES, ItemTooLarge, itemBytes } from '../../functions/adapters/aws/item-size';
import { config } from '../../functions/config';
import { type Harness, harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

describe('item sizes', () => {
  it('counts as DynamoDB does: UTF-8 names and strings, 4 bytes an emoji', () => {
    expect(itemBytes({ pk: 'ab', n: 'é😀' })).toBe(2 + 2 + 1 + 6);
    expect(itemBytes({ l: ['a', 'b'] })).toBe(1 + 3 + 2 * 2);
    expect(itemBytes({ m: { k: true } })).toBe(1 + 3 + 1 + 1 + 1);
  });

  it('refuses an item over the limit before DynamoDB sees it, naming its largest attribute', async () => {
    const db = documentClient(config());
    const table = config().TICKETS_TABLE;
    const body = '"'.repeat(ITEM_LIMIT_BYTES);
    const put = db.send(
      new PutCommand({ TableName: table, Item: { pk: 'TICKET#X', sk: 'T#0000001', body } }),
    );
    await expect(put).rejects.toBeInstanceOf(ItemTooLarge);
    await expect(put).rejects.toMatchObject({ kind: 'ticket timeline entry', field: 'body' });
    const transaction = db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { pk: 'TICKET#X', sk: 'TICKET', ok: 'x' } } },
          {
            Put: { TableName: table, Item: { pk: 'CUSTOMER#X', sk: 'CUSTOMER', name: '😀'.repeat(110_000) } },
          },
        ],
      }),
    );
    await expect(transaction).rejects.toMatchObject({ kind: 'customer', field: 'name' });
    // Just under the limit is written.
    const fits = 'x'.repeat(ITEM_LIMIT_BYTES - 100);
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'TICKET#Y', sk: 'T#0000001', fits } }));
    void h;
  });
});
