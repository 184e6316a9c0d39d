// Lambda: reading the search index: search, the views with their counts, the tags in use. It
// holds the index (read from the blob store) in memory; it writes nothing but key use.
import { BlobSearch } from '../../adapters/search/blob-search';
import { addAdapters } from '../../wiring';
import { asRoutes, groupHandler } from '../group';
import { searchRoutes } from '../routes/search';

addAdapters({ search: (blobs, clock) => new BlobSearch(blobs, () => clock.now()) });

export const routes = asRoutes(searchRoutes);
export const handler = groupHandler(routes);
