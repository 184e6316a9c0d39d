// Lambda: sign-in links and browser sessions (public routes; no API Gateway authorizer).
import { oidcSecrets } from '../../adapters/aws/secrets';
import { addAdapters } from '../../wiring';
import { asRoutes, groupHandler } from '../group';

addAdapters({ secrets: oidcSecrets });

import { authRoutes, ssoRoutes } from '../routes/auth';

export const routes = asRoutes([...authRoutes, ...ssoRoutes]);
export const handler = groupHandler(routes);
