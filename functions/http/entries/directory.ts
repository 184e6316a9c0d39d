// Lambda: plans (read), customers, devices, API keys.
import { asRoutes, groupHandler } from '../group';
import { directoryRoutes } from '../routes/directory';

export const handler = groupHandler(asRoutes(directoryRoutes));
