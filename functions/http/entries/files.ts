// Lambda: uploads and attachment downloads (presigned S3 requests).
// It imports only its own routes, so its bundle carries only their dependencies.
import { asRoutes, groupHandler } from '../group';
import { fileRoutes } from '../routes/files';

export const routes = asRoutes(fileRoutes);
export const handler = groupHandler(routes);
