import type { Actor } from '../shared/actor.js';
import type { OrganizationCommand } from '../organization/organization.commands.js';
import { organizationDecider } from '../organization/organization.decider.js';
import type {
  ApiKeyIssued,
  MemberActivated,
  MemberInvited,
  OrganizationCreated,
  OrganizationEvent,
  PermissionSnapshot,
  RoleCreated,
} from '../organization/organization.events.js';
import type { OrganizationState } from '../organization/organization.state.js';

/** A small organization to test against: acme, its admin, and a modest catalog. */
export const ORG = 'acme';
export const NOW = '2026-03-01T12:00:00.000Z';
export const LATER = '2026-06-01T12:00:00.000Z';
export const ADMIN = { userId: 'u-admin', email: 'admin@acme.test' };
export const CATALOG = ['checks.read', 'checks.write', 'truora.keys', 'truora.users'];
/** The R42 entitlements, which support adds on request; the access-graph world holds both. */
export const PAID_FEATURES = ['truora.directory', 'truora.workspaces'];

export const support: Actor = { type: 'support', id: 'support-1' };
export const auditor: Actor = { type: 'auditor', id: 'auditor-1' };
export const system: Actor = { type: 'system', id: 'follow-up' };
export const user = (email: string, subject = `sub-${email}`): Actor => ({
  type: 'user',
  subject,
  email,
  groups: [],
});
export const admin: Actor = user(ADMIN.email, 'sub-admin');
export const apiKey = (keyId: string, organizationId = ORG): Actor => ({
  type: 'api_key',
  keyId,
  organizationId,
});

type CommandOf<T extends OrganizationCommand['type']> = Extract<OrganizationCommand, { type: T }>;

/** A command of the given type; by default from the admin, now. */
export function command<T extends OrganizationCommand['type']>(
  type: T,
  data: CommandOf<T>['data'],
  actor: Actor = admin,
  now: string = NOW,
): CommandOf<T> {
  return { type, data, metadata: { actor, now } } as CommandOf<T>;
}

export function organizationCreated(
  catalog: string[] = CATALOG,
  organizationId = ORG,
  firstMember = ADMIN,
): OrganizationCreated {
  return {
    type: 'OrganizationCreated',
    data: {
      organizationId,
      name: `${organizationId} inc`,
      catalog: [...catalog].sort(),
      firstMember,
      defaultWorkspaceId: `ws-${organizationId}`,
    },
  };
}

export const roleCreated = (roleId: string, name: string, permissions: string[]): RoleCreated => ({
  type: 'RoleCreated',
  data: { roleId, name, permissions: [...permissions].sort() },
});

export const memberInvited = (
  userId: string,
  email: string,
  roleId = 'default_access',
  invitedBy: string | null = ADMIN.userId,
): MemberInvited => ({ type: 'MemberInvited', data: { userId, email, roleId, invitedBy } });

export const memberActivated = (userId: string, subject = `sub-${userId}`): MemberActivated => ({
  type: 'MemberActivated',
  data: { userId, subject },
});

/** An invited member who has signed in, bound to the subject `user(email)` signs with (S5). */
export const activeMember = (
  userId: string,
  email: string,
  roleId = 'default_access',
): OrganizationEvent[] => [
  memberInvited(userId, email, roleId),
  memberActivated(userId, `sub-${email}`),
];

export const apiKeyIssued = (
  keyId: string,
  snapshot: PermissionSnapshot,
  options: { issuedBy?: string; issuedAt?: string; expiresAt?: string | null } = {},
): ApiKeyIssued => ({
  type: 'ApiKeyIssued',
  data: {
    keyId,
    name: `key ${keyId}`,
    issuedBy: options.issuedBy ?? ADMIN.userId,
    snapshot,
    secretHash: `hash-of-${keyId}`,
    secretPrefix: `al_${keyId.slice(0, 4)}`,
    issuedAt: options.issuedAt ?? NOW,
    expiresAt: options.expiresAt ?? null,
  },
});

export const fullAccessSnapshot = (permissions: string[] = CATALOG): PermissionSnapshot => ({
  roleId: 'full_access',
  roleName: 'full_access',
  permissions: [...permissions].sort(),
});

/** The state after these events, as the app would load it. */
export const stateOf = (events: OrganizationEvent[]): OrganizationState =>
  events.reduce(organizationDecider.evolve, organizationDecider.initialState());
