// The API Gateway REQUEST authorizer (simple responses): a known key's hash, or a live browser
// session cookie, lets the request through with its role; the handlers check the role against
// each route, the customer against each record, and CSRF on a session's changes.
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { authenticate, bearerKey } from '../app/directory';
import { sessionCookie, sessionPrincipal } from '../app/session-cookie';
import { deps } from '../wiring';

export const handler = async (event: APIGatewayRequestAuthorizerEventV2) => {
  const key = bearerKey(event.headers?.authorization);
  const cookie = key ? null : sessionCookie(event.cookies?.join('; ') ?? event.headers?.cookie);
  const principal = key
    ? await authenticate(deps(), key)
    : cookie
      ? await sessionPrincipal(deps(), cookie)
      : null;
  if (!principal) return { isAuthorized: false };
  return {
    isAuthorized: true,
    context: { keyId: principal.keyId, role: principal.role, customerId: principal.customerId ?? '' },
  };
};
