// Lambda: plans (read), customers, devices, API keys.
// It imports only its own routes, so its bundle carries only their dependencies.
import { asRoutes, groupHandler } from '../group';
import { directoryRoutes } from '../routes/directory';

export const routes = asRoutes(directoryRoutes);
export const handler = groupHandler(routes);
