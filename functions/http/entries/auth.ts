// Lambda: sign-in links and browser sessions (public routes; no API Gateway authorizer).
import { asRoutes, groupHandler } from '../group';
import { authRoutes } from '../routes/auth';

export const routes = asRoutes(authRoutes);
export const handler = groupHandler(routes);
