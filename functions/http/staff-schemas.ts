// Request and response bodies of the staff directory: people, teams, API keys, sessions.
import * as z from 'zod';
import { NotificationPreferences } from '../../domain/notifications';
import { MAX_TEAMS_PER_PERSON, STAFF_ROLES, StaffStatus } from '../../domain/staff';
import { WorkingHours } from '../../domain/working-hours';
import { Email, Id, Instant, Role } from './primitives';

const Name = z.string().trim().min(1).max(200);
const StaffRole = z.enum(STAFF_ROLES);
const Teams = z.array(Id).max(MAX_TEAMS_PER_PERSON).describe('Team ids');
const TimeZone = WorkingHours.shape.timeZone;
/** E.164: what text-message services take. */
export const MobileNumber = z
  .string()
  .regex(/^\+[1-9][0-9]{6,14}$/, 'expected an international number without spaces, such as +46701234567');
const SlackUserId = z.string().regex(/^[UW][A-Z0-9]{2,20}$/, 'expected a Slack member id such as U024BE7LH');

export const InviteBody = z.object({
  email: Email,
  name: Name,
  role: StaffRole,
  teams: Teams.optional(),
  timeZone: TimeZone.optional().describe('Their working hours start as Monday to Friday, 09:00-17:00 here'),
});
export const StaffPatchBody = z
  .object({
    name: Name.optional(),
    role: StaffRole.optional().describe('Admins only'),
    teams: Teams.optional().describe('Admins only'),
    workingHours: WorkingHours.optional(),
    phone: MobileNumber.nullable().optional().describe('Where the desk texts their pages; null: by mail'),
    slackUserId: SlackUserId.nullable()
      .optional()
      .describe('Their Slack member id, for pages as a direct message'),
    notifications: NotificationPreferences.optional().describe(
      'How each kind of notification reaches them (console, mail, page) and their quiet hours',
    ),
    status: z
      .enum(['active', 'deactivated'])
      .optional()
      .describe('Admins only. Deactivating ends every session and revokes every key of the person at once'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message:
      'name at least one of name, role, teams, workingHours, phone, slackUserId, notifications, status',
  });
export const FinishInvitationBody = z.object({
  token: z.string().min(20).max(200).describe('The token of the invitation link'),
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
  phone: z.string().nullish(),
  slackUserId: z.string().nullish(),
  notifications: NotificationPreferences.optional(),
  status: StaffStatus,
  createdAt: Instant,
  updatedAt: Instant,
  lastSignInAt: Instant.nullable(),
  version: z.number().int(),
});
export const StaffListResponse = z.object({ items: z.array(StaffResponse) });
export const TeamBody = z.object({ name: z.string().trim().min(1).max(100) });
export const TeamResponse = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: Instant,
  version: z.number().int(),
});
export const TeamListResponse = z.object({ items: z.array(TeamResponse) });

export const KeyOwnerSchema = z
  .union([z.object({ staffId: Id }), z.object({ integration: Name.describe('The system that uses it') })])
  .describe('A person, or a named system; by default the caller (their own key)');
export const CreateApiKeyBody = z.object({
  role: Role,
  customerId: Id.optional(),
  name: Name,
  owner: KeyOwnerSchema.optional(),
  expiresAt: Instant.nullable().optional().describe('When it stops working; absent or null: never'),
});
const KeyFields = {
  id: z.string(),
  role: Role,
  customerId: z.string().nullable(),
  name: z.string(),
  createdAt: Instant,
  scope: z
    .enum(['alerts'])
    .optional()
    .describe('alerts: a monitoring key, for POST /integrations/alerts only'),
  owner: z
    .union([z.object({ staffId: z.string(), name: z.string() }), z.object({ integration: z.string() })])
    .nullable(),
  expiresAt: Instant.nullable(),
  lastUsedAt: Instant.nullable(),
  revokedAt: Instant.nullable(),
};
export const ApiKeyResponse = z.object({
  ...KeyFields,
  key: z.string().describe('Shown once; only its hash is stored'),
});
export const ApiKeyInfo = z.object(KeyFields);
export const ApiKeyListResponse = z.object({ items: z.array(ApiKeyInfo) });

export const SessionInfo = z.object({
  id: z.string(),
  staffId: z.string(),
  method: z.enum(['link', 'sso', 'key', 'invitation']),
  userAgent: z.string().nullable(),
  createdAt: Instant,
  expiresAt: Instant,
});
export const SessionListResponse = z.object({ items: z.array(SessionInfo) });
export const SessionParams = z.object({ id: Id, sessionId: Id });
