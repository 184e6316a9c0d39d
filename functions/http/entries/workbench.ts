// Lambda: the agents' workbench: saved views, macros, and bulk changes of tickets.
import { asRoutes, groupHandler } from '../group';
import { workbenchRoutes } from '../routes/workbench';

export const routes = asRoutes(workbenchRoutes);
export const handler = groupHandler(routes);
