// Lambda: creating plans (holiday expansion with date-holidays and ical.js lives only here).
// It imports only its own routes, so its bundle carries only their dependencies.
import { asRoutes, groupHandler } from '../group';
import { planRoutes } from '../routes/plans';

export const routes = asRoutes(planRoutes);
export const handler = groupHandler(routes);
