// Request and response bodies of the staff directory: people, teams, API keys, sessions.

import { NotificationPreferences } from '../../domain/notifications';
import { MAX_TEAMS_PER_PERSON, STAFF_ROLES, StaffStatus } from '../../domain/staff';
import { WorkingHours } from '../../domain/working-hours';
import * as z from '../../domain/zod';
import { Email, Id, Instant, Role } from './primitives';

const Name = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const StaffRole = z.enum(STAFF_ROLES);
const Teams = z.array(Id).check(z.maxLength(MAX_TEAMS_PER_PERSON), z.describe('Team ids'));
const TimeZone = WorkingHours.shape.timeZone;
/** E.164: what text-message services take. */
export const MobileNumber = z
  .string()
  .check(
    z.regex(/^\+[1-9][0-9]{6,14}$/, 'expected an international number without spaces, such as +46701234567'),
  );
const SlackUserId = z
  .string()
  .check(z.regex(/^[UW][A-Z0-9]{2,20}$/, 'expected a Slack member id such as U024BE7LH'));

export const InviteBody = z.object({
  email: Email,
  name: Name,
  role: StaffRole,
  teams: z.optional(Teams),
  timeZone: z
    .optional(TimeZone)
    .check(z.describe('Their working hours start as Monday to Friday, 09:00-17:00 here')),
});
export const StaffPatchBody = z
  .object({
    name: z.optional(Name),
    role: z.optional(StaffRole).check(z.describe('Admins only')),
    teams: z.optional(Teams).check(z.describe('Admins only')),
    workingHours: z.optional(WorkingHours),
    phone: z
      .optional(z.nullable(MobileNumber))
      .check(z.describe('Where the desk texts their pages; null: by mail')),
    slackUserId: z
      .optional(z.nullable(SlackUserId))
      .check(z.describe('Their Slack member id, for pages as a direct message')),
    notifications: z
      .optional(NotificationPreferences)
      .check(
        z.describe('How each kind of notification reaches them (console, mail, page) and their quiet hours'),
      ),
    status: z
      .optional(z.enum(['active', 'deactivated']))
      .check(
        z.describe(
          'Admins only. Deactivating ends every session and revokes every key of the person at once',
        ),
      ),
  })
  .check(
    z.refine((b) => Object.values(b).some((v) => v !== undefined), {
      message:
        'name at least one of name, role, teams, workingHours, phone, slackUserId, notifications, status',
    }),
  );
export const FinishInvitationBody = z.object({
  token: z.string().check(z.minLength(20), z.maxLength(200), z.describe('The token of the invitation link')),
  name: Name,
  workingHours: WorkingHours,
});
export const StaffResponse = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: StaffRole,
  teams: z.array(z.string()),
  workingHours: WorkingHours,
  phone: z.nullish(z.string()),
  slackUserId: z.nullish(z.string()),
  notifications: z.optional(NotificationPreferences),
  status: StaffStatus,
  createdAt: Instant,
  updatedAt: Instant,
  lastSignInAt: z.nullable(Instant),
  version: z.number().check(z.int()),
});
export const StaffListResponse = z.object({ items: z.array(StaffResponse) });
export const TeamBody = z.object({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)) });
export const TeamResponse = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: Instant,
  version: z.number().check(z.int()),
});
export const TeamListResponse = z.object({ items: z.array(TeamResponse) });

export const KeyOwnerSchema = z
  .union([
    z.object({ staffId: Id }),
    z.object({ integration: Name.check(z.describe('The system that uses it')) }),
  ])
  .check(z.describe('A person, or a named system; by default the caller (their own key)'));
export const CreateApiKeyBody = z.object({
  role: Role,
  customerId: z.optional(Id),
  name: Name,
  owner: z.optional(KeyOwnerSchema),
  expiresAt: z
    .optional(z.nullable(Instant))
    .check(z.describe('When it stops working; absent or null: never')),
});
const KeyFields = {
  id: z.string(),
  role: Role,
  customerId: z.nullable(z.string()),
  name: z.string(),
  createdAt: Instant,
  scope: z
    .optional(z.enum(['alerts']))
    .check(z.describe('alerts: a monitoring key, for POST /integrations/alerts only')),
  owner: z.nullable(
    z.union([z.object({ staffId: z.string(), name: z.string() }), z.object({ integration: z.string() })]),
  ),
  expiresAt: z.nullable(Instant),
  lastUsedAt: z.nullable(Instant),
  revokedAt: z.nullable(Instant),
};
export const ApiKeyResponse = z.object({
  ...KeyFields,
  key: z.string().check(z.describe('Shown once; only its hash is stored')),
});
export const ApiKeyInfo = z.object(KeyFields);
export const ApiKeyListResponse = z.object({ items: z.array(ApiKeyInfo) });

export const SessionInfo = z.object({
  id: z.string(),
  staffId: z.string(),
  method: z.enum(['link', 'sso', 'key', 'invitation']),
  userAgent: z.nullable(z.string()),
  createdAt: Instant,
  expiresAt: Instant,
});
export const SessionListResponse = z.object({ items: z.array(SessionInfo) });
export const SessionParams = z.object({ id: Id, sessionId: Id });
