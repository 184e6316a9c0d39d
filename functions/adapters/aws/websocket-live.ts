// The live channel on AWS: an API Gateway WebSocket API. Each open console is a connection kept
// in the directory table (`LIVE`, one item per connection, expiring after API Gateway's 2-hour
// limit); an event is posted to every connection through the Management API, and a connection
// that is gone (410) is forgotten. A console that reconnects reads everything again.
import {
  type ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Live, LiveEvent } from '../../ports';
import { queryAll } from './dynamodb';

/** API Gateway closes a WebSocket connection after 2 hours. */
export const CONNECTION_HOURS = 2;
/** Connections kept at most: every staff member with a few tabs. */
export const MAX_CONNECTIONS = 5000;

const CONNECTIONS = 'LIVE';

export class WebSocketLive implements Live {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly management: () => ApiGatewayManagementApiClient,
  ) {}

  /** Keeps a new connection of a staff member. */
  async connected(connectionId: string, staffId: string, now: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: CONNECTIONS,
          sk: connectionId,
          staffId,
          expiresAtEpoch: Math.floor(now / 1000) + CONNECTION_HOURS * 3600,
        },
      }),
    );
  }

  async disconnected(connectionId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: { pk: CONNECTIONS, sk: connectionId } }),
    );
  }

  async publish(events: LiveEvent[]): Promise<void> {
    if (!events.length) return;
    const now = Math.floor(Date.now() / 1000);
    const connections = (await queryAll(this.db, this.table, CONNECTIONS, false))
      .filter((c) => (c.expiresAtEpoch as number) > now)
      .slice(0, MAX_CONNECTIONS);
    const data = new TextEncoder().encode(JSON.stringify({ events }));
    const client = this.management();
    await Promise.all(
      connections.map(async (c) => {
        try {
          await client.send(new PostToConnectionCommand({ ConnectionId: c.sk as string, Data: data }));
        } catch (error) {
          if (error instanceof GoneException) await this.disconnected(c.sk as string);
          else throw error;
        }
      }),
    );
  }
}
