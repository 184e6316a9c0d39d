import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { TABLES } from '../../functions/adapters/aws/tables';
import {
  checkJava,
  createTables,
  expireItems,
  JavaMissing,
  localClient,
  startDynamoDbLocal,
  superviseDynamoDbLocal,
} from '../../infra/local/dynamodb-local';

describe('DynamoDB Local', () => {
  it('says Java is needed, and how to get it, when java is not on the PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => checkJava()).toThrow(JavaMissing);
      expect(() => checkJava()).toThrow(/needs Java 17 or newer.*apt-get install openjdk-17-jre-headless/);
      await expect(startDynamoDbLocal()).rejects.toThrow(JavaMissing);
    } finally {
      process.env.PATH = path;
    }
  });

  it('tells the runtime it cannot go on when Java dies and cannot be started again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-desk-fatal-'));
    const data = join(dir, 'dynamodb');
    try {
      let fatal: Error | null = null;
      const store = await superviseDynamoDbLocal({ dataDir: data }, { onFatal: (e) => (fatal = e) });
      expect(store.available()).toBe(true);
      const pid = Number(readFileSync(join(data, 'java.pid'), 'utf8'));
      // Its data directory replaced by a file: no Java can start on it again.
      renameSync(data, `${data}.moved`);
      writeFileSync(data, 'not a directory');
      process.kill(pid, 'SIGKILL');
      for (let waited = 0; !fatal && waited < 20_000; waited += 100)
        await new Promise((r) => setTimeout(r, 100));
      expect(store.available()).toBe(false);
      expect(String(fatal)).toMatch(/DynamoDB Local stopped \(exit .*\) and did not start again/);
      await store.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('adds the indexes a newer version defines to a table an older one made', async () => {
    const endpoint = inject('dynamoEndpoint');
    const name = `upgrade-${Date.now()}`;
    const older = {
      ...TABLES.tickets,
      indexes: TABLES.tickets.indexes.filter((i) => i.name !== 'byDeadline'),
    };
    await createTables(endpoint, [[name, older]]);
    await createTables(endpoint, [[name, TABLES.tickets]]);
    const client = localClient(endpoint);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    client.destroy();
    expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual(
      TABLES.tickets.indexes.map((i) => i.name).sort(),
    );
  });

  it('keeps its own TTL off and expires items by the desk’s clock, never one the desk still holds valid', async () => {
    const endpoint = inject('dynamoEndpoint');
    const name = `ttl-${Date.now()}`;
    await createTables(endpoint, [[name, TABLES.directory]]);
    const client = localClient(endpoint);
    try {
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
      expect(ttl.TimeToLiveDescription?.TimeToLiveStatus ?? 'DISABLED').toBe('DISABLED');
      const desk = Date.parse('2026-11-02T08:00:00Z'); // a virtual clock a month behind the real one
      const item = (pk: string, expiresAt: number) => ({
        TableName: name,
        Item: {
          pk: { S: pk },
          sk: { S: 'SESSION' },
          expiresAtEpoch: { N: String(Math.floor(expiresAt / 1000)) },
        },
      });
      await client.send(new PutItemCommand(item('ended', desk - 60_000)));
      await client.send(new PutItemCommand(item('valid', desk + 12 * 3_600_000)));
      expect(await expireItems(endpoint, [[name, TABLES.directory]], desk)).toBe(1);
      const left = await client.send(new ScanCommand({ TableName: name }));
      expect((left.Items ?? []).map((i) => i.pk!.S)).toEqual(['valid']);
    } finally {
      client.destroy();
    }
  });
});
