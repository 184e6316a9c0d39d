// Lambda: plans (read), customers, devices, API keys, shared tickets.
// It imports only its own routes, so its bundle carries only their dependencies.
import { sharedTickets } from '../../adapters/aws/shared-tickets';
import { addAdapters } from '../../wiring';
import { asRoutes, groupHandler } from '../group';

addAdapters({ shared: sharedTickets });

import { directoryRoutes } from '../routes/directory';

export const routes = asRoutes(directoryRoutes);
export const handler = groupHandler(routes);
