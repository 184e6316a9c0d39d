// Lambda: the agents' workbench: search over the index in the blob store, views and their
// counts, macros, tags in use, and bulk changes of tickets.
import { BlobSearch } from '../../adapters/search/blob-search';
import { addAdapters } from '../../wiring';
import { asRoutes, groupHandler } from '../group';
import { workbenchRoutes } from '../routes/workbench';

addAdapters({ search: (blobs, clock) => new BlobSearch(blobs, () => clock.now()) });

export const routes = asRoutes(workbenchRoutes);
export const handler = groupHandler(routes);
