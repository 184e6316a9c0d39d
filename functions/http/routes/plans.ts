// Creating a custom plan (its own module: it expands holidays with date-holidays).

import type * as z from '../../../domain/zod';
import { createPlan } from '../../app/plans';
import { CreatePlanBody, PlanResponse } from '../directory-schemas';
import type { RouteSpec } from '../middleware';

export const planRoutes = [
  {
    method: 'POST',
    path: '/plans',
    operationId: 'createPlan',
    summary: 'A custom plan; holidayRegion and holidaysIcs are expanded into holiday dates',
    roles: ['admin'],
    body: CreatePlanBody,
    status: 201,
    response: PlanResponse,
    async handle({ deps, principal, body }) {
      return createPlan(deps, principal, body);
    },
  } satisfies RouteSpec<unknown, unknown, z.output<typeof CreatePlanBody>>,
];
