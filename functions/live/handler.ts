// The live console's WebSocket API on AWS: $connect takes the one-time token the console got
// from POST /live/tickets (refused without one: 401) and keeps the connection; $disconnect
// forgets it; whatever a console sends ($default) is ignored: consoles only listen.
import type { APIGatewayProxyStructuredResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import type { WebSocketLive } from '../adapters/aws/websocket-live';
import { takeLiveToken } from '../app/live';
import { logger, observed } from '../observability';
import type { Deps } from '../ports';
import { deps as wiredDeps } from '../wiring';

type ConnectEvent = APIGatewayProxyWebsocketEventV2 & {
  queryStringParameters?: Record<string, string | undefined>;
};

export async function handleLive(
  event: ConnectEvent,
  d: Deps = wiredDeps(),
): Promise<APIGatewayProxyStructuredResultV2> {
  const { routeKey, connectionId } = event.requestContext;
  const live = d.live as unknown as Pick<WebSocketLive, 'connected' | 'disconnected'>;
  if (routeKey === '$connect') {
    const token = event.queryStringParameters?.token ?? '';
    const staffId = token.length >= 20 && token.length <= 100 ? await takeLiveToken(d, token) : null;
    if (!staffId) {
      logger.info('live connection refused: no valid token', { connectionId });
      return { statusCode: 401, body: 'ask POST /live/tickets for a token' };
    }
    await live.connected(connectionId, staffId, d.clock.now());
    return { statusCode: 200 };
  }
  if (routeKey === '$disconnect') await live.disconnected(connectionId);
  return { statusCode: 200 };
}

export const handler = observed((event: ConnectEvent) => handleLive(event));
