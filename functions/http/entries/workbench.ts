// Lambda: the agents' workbench: search over the index in the blob store, views and their
// counts, macros, tags in use, and bulk changes of tickets.
import { asRoutes, groupHandler } from '../group';
import { workbenchRoutes } from '../routes/workbench';

export const routes = asRoutes(workbenchRoutes);
export const handler = groupHandler(routes);
