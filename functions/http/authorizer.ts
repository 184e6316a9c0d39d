// The API Gateway REQUEST authorizer (simple responses, cached briefly by API Gateway on the
// Authorization header): a known key's hash lets the request through with its role; the
// handlers check the role against each route and the customer against each record.
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { authenticate, bearerKey } from '../app/directory';
import { deps } from '../wiring';

export const handler = async (event: APIGatewayRequestAuthorizerEventV2) => {
  const key = bearerKey(event.headers?.authorization);
  const principal = key ? await authenticate(deps(), key) : null;
  if (!principal) return { isAuthorized: false };
  return {
    isAuthorized: true,
    context: { keyId: principal.keyId, role: principal.role, customerId: principal.customerId ?? '' },
  };
};
