// The staff directory: people, teams, API keys and staff sessions.

import { NotFound } from '../../../domain/errors';
import * as z from '../../../domain/zod';
import * as directory from '../../app/directory';
import * as staff from '../../app/staff';
import type { ApiKeyRecord } from '../../ports';
import { expectedVersion, Reply, type RouteSpec } from '../middleware';
import { IdParams } from '../primitives';
import {
  ApiKeyInfo,
  ApiKeyListResponse,
  ApiKeyResponse,
  CreateApiKeyBody,
  InviteBody,
  SessionListResponse,
  SessionParams,
  StaffListResponse,
  StaffPatchBody,
  StaffResponse,
  TeamBody,
  TeamListResponse,
  TeamResponse,
} from '../staff-schemas';

const route = <P, Q, B>(spec: RouteSpec<P, Q, B>) => spec;
const staffOnly = ['admin', 'agent'] as const;

/** A key as listed: never its hash. */
export function keyJson({ hash: _hash, ...key }: ApiKeyRecord) {
  return {
    ...key,
    owner: key.owner ?? null,
    expiresAt: key.expiresAt ?? null,
    lastUsedAt: key.lastUsedAt ?? null,
    revokedAt: key.revokedAt ?? null,
  };
}

export const staffRoutes = [
  route({
    method: 'GET',
    path: '/staff',
    operationId: 'listStaff',
    summary: 'Everyone in the staff directory, by name (for assignment and on-call)',
    roles: staffOnly,
    status: 200,
    response: StaffListResponse,
    async handle({ deps, principal }) {
      return { items: await staff.listStaff(deps, principal) };
    },
  }),
  route({
    method: 'POST',
    path: '/staff',
    operationId: 'inviteStaff',
    summary: 'Invite a person: they get a one-time link (7 days) to finish their account',
    roles: ['admin'],
    body: InviteBody,
    status: 201,
    response: StaffResponse,
    async handle({ deps, principal, body }) {
      return staff.inviteStaff(deps, principal, body);
    },
  }),
  route({
    method: 'GET',
    path: '/staff/me',
    operationId: 'getMyAccount',
    summary: 'The signed-in person’s account (404 for a system’s key)',
    roles: staffOnly,
    status: 200,
    response: StaffResponse,
    async handle({ deps, principal }) {
      const person = await staff.me(deps, principal);
      if (!person) throw new NotFound('staff account behind key', principal.keyId);
      return person;
    },
  }),
  route({
    method: 'GET',
    path: '/staff/{id}',
    operationId: 'getStaff',
    summary: 'One person',
    roles: staffOnly,
    params: IdParams,
    status: 200,
    response: StaffResponse,
    async handle({ deps, principal, params }) {
      return staff.getStaff(deps, principal, params.id);
    },
  }),
  route({
    method: 'PATCH',
    path: '/staff/{id}',
    operationId: 'updateStaff',
    summary:
      'Change a person (admins: anything; a person: their own name and working hours); deactivating ends their sessions and keys',
    roles: staffOnly,
    params: IdParams,
    body: StaffPatchBody,
    status: 200,
    response: StaffResponse,
    async handle({ deps, principal, params, body, headers }) {
      return staff.updateStaff(deps, principal, params.id, body, expectedVersion(headers['if-match']));
    },
  }),
  route({
    method: 'POST',
    path: '/staff/{id}/invitation',
    operationId: 'reinviteStaff',
    summary: 'Mail a new invitation to a person who has not finished their account',
    roles: ['admin'],
    params: IdParams,
    status: 202,
    response: StaffResponse,
    async handle({ deps, principal, params }) {
      return new Reply(202, await staff.reinvite(deps, principal, params.id));
    },
  }),
  route({
    method: 'GET',
    path: '/staff/{id}/sessions',
    operationId: 'listStaffSessions',
    summary: 'A person’s signed-in browsers (their own, or anyone’s for admins)',
    roles: staffOnly,
    params: IdParams,
    status: 200,
    response: SessionListResponse,
    async handle({ deps, principal, params }) {
      return { items: await staff.listSessions(deps, principal, params.id) };
    },
  }),
  route({
    method: 'DELETE',
    path: '/staff/{id}/sessions/{sessionId}',
    operationId: 'endStaffSession',
    summary: 'Sign one browser out',
    roles: staffOnly,
    params: SessionParams,
    status: 200,
    response: z.object({ ended: z.boolean() }),
    async handle({ deps, principal, params }) {
      await staff.endSession(deps, principal, params.id, params.sessionId);
      return { ended: true };
    },
  }),
  route({
    method: 'GET',
    path: '/teams',
    operationId: 'listTeams',
    summary: 'Teams, by name',
    roles: staffOnly,
    status: 200,
    response: TeamListResponse,
    async handle({ deps, principal }) {
      return { items: await staff.listTeams(deps, principal) };
    },
  }),
  route({
    method: 'POST',
    path: '/teams',
    operationId: 'createTeam',
    summary: 'A new team',
    roles: ['admin'],
    body: TeamBody,
    status: 201,
    response: TeamResponse,
    async handle({ deps, principal, body }) {
      return staff.createTeam(deps, principal, body.name);
    },
  }),
  route({
    method: 'GET',
    path: '/api-keys',
    operationId: 'listApiKeys',
    summary: 'API keys with owner, expiry and last use (admins: all; agents: their own); never the keys',
    roles: staffOnly,
    status: 200,
    response: ApiKeyListResponse,
    async handle({ deps, principal }) {
      return { items: (await staff.listKeys(deps, principal)).map(keyJson) };
    },
  }),
  route({
    method: 'POST',
    path: '/api-keys',
    operationId: 'createApiKey',
    summary: 'A new API key, shown once (admins: any; agents: an agent key of their own)',
    roles: staffOnly,
    body: CreateApiKeyBody,
    status: 201,
    response: ApiKeyResponse,
    async handle({ deps, principal, body }) {
      const made =
        principal.role === 'admin'
          ? await directory.createApiKey(deps, principal, body)
          : await staff.createOwnKey(deps, principal, body);
      return { ...keyJson(made), key: made.key };
    },
  }),
  route({
    method: 'POST',
    path: '/api-keys/{id}/revoke',
    operationId: 'revokeApiKey',
    summary: 'Revoke a key: it stops working at once',
    roles: staffOnly,
    params: IdParams,
    status: 200,
    response: ApiKeyInfo,
    async handle({ deps, principal, params }) {
      return keyJson(await staff.revokeKey(deps, principal, params.id));
    },
  }),
];
