// Teams' on-call: who is on call now and next, the calendar of the coming weeks, and the
// schedules as stored (admins replace them whole, at a version).
import type { OnCallSchedule } from '../../../domain/on-call';
import { iso } from '../../app/common';
import * as onCall from '../../app/on-call';
import { expectedVersion, type RouteSpec } from '../middleware';
import { OnCallBody, OnCallQuery, OnCallResponse } from '../on-call-schemas';
import { IdParams } from '../primitives';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;

type WireSchedule = OnCallBody['primary'];

const fromWire = (s: WireSchedule): OnCallSchedule => ({
  ...s,
  overrides: s.overrides.map((o) => ({ ...o, from: Date.parse(o.from), to: Date.parse(o.to) })),
});
const toWire = (s: OnCallSchedule) => ({
  ...s,
  overrides: s.overrides.map((o) => ({ ...o, from: iso(o.from), to: iso(o.to) })),
});

function viewJson(view: onCall.OnCallView) {
  const record = view.onCall;
  return {
    ...view,
    onCall: record && {
      primary: toWire(record.primary),
      secondary: record.secondary && toWire(record.secondary),
      director: record.director,
      service: record.service,
      updatedAt: record.updatedAt,
      updatedBy: record.updatedBy,
      version: record.version,
    },
  };
}

export const onCallRoutes = [
  route({
    method: 'GET',
    path: '/teams/{id}/on-call',
    operationId: 'getOnCall',
    summary:
      'A team’s on-call: who is on call now and next, and the coming weeks, for the primary and the secondary',
    roles: ['admin', 'agent'],
    params: IdParams,
    query: OnCallQuery,
    status: 200,
    response: OnCallResponse,
    async handle({ deps, principal, params, query }) {
      return viewJson(await onCall.onCallOf(deps, principal, params.id, query.weeks));
    },
  }),
  route({
    method: 'PUT',
    path: '/teams/{id}/on-call',
    operationId: 'putOnCall',
    summary:
      'Replace a team’s on-call (admins): rotations, layers, overrides, the secondary, the director and the paging service; If-Match "0" when there is none yet',
    roles: ['admin'],
    params: IdParams,
    body: OnCallBody,
    status: 200,
    response: OnCallResponse,
    async handle({ deps, principal, params, body, headers }) {
      const input = {
        ...body,
        primary: fromWire(body.primary),
        secondary: body.secondary && fromWire(body.secondary),
      };
      return viewJson(
        await onCall.putOnCall(deps, principal, params.id, input, expectedVersion(headers['if-match'])),
      );
    },
  }),
];
