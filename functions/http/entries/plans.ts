// Lambda: creating plans (holiday expansion with date-holidays and ical.js lives only here).
import { asRoutes, groupHandler } from '../group';
import { planRoutes } from '../routes/plans';

export const handler = groupHandler(asRoutes(planRoutes));
