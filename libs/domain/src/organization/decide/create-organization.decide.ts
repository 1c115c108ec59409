import type { CreateOrganization } from '../organization.commands.js';
import { assertValidPermissions, OrganizationErrors } from '../organization.errors.js';
import type { OrganizationCreated } from '../organization.events.js';
import type {
  WorkspaceCreated,
  WorkspacePrincipalAdded,
} from '../../workspace/workspace.events.js';
import type { OrganizationState } from '../organization.state.js';
import { requireEmail, requireId, requireName, sortedUnique } from '../../shared/validation.js';

/**
 * Administration of members and keys comes with a new catalog; custom roles and the other
 * entitlements (organization.entitlements.ts) come only when support lists them (R1, R6, R42).
 */
const DEFAULT_ADMIN_PERMISSIONS = ['truora.users', 'truora.keys'];

/** R1: the workspace every organization starts with. */
export const DEFAULT_WORKSPACE_NAME = 'Default';

/**
 * R1: support creates the organization with its catalog, an active full_access first member,
 * and the Default workspace with that member as its admin, all in one decision.
 */
export function decideCreateOrganization(
  command: CreateOrganization,
  state: OrganizationState,
): (OrganizationCreated | WorkspaceCreated | WorkspacePrincipalAdded)[] {
  const { data } = command;
  if (state.exists) throw OrganizationErrors.organizationAlreadyExists(state.organizationId);
  const organizationId = requireId(data.organizationId, 'organizationId');
  const name = requireName(data.name, 'name', 'INVALID_ORGANIZATION_NAME', 128);
  const defaultWorkspaceId = requireId(data.defaultWorkspaceId, 'defaultWorkspaceId');
  const userId = requireId(data.firstUser?.userId, 'firstUser.userId');
  const email = requireEmail(data.firstUser?.email, 'firstUser.email');
  const given = data.catalog ?? [];
  assertValidPermissions(given);
  const catalog = sortedUnique(
    data.withoutDefaultAdminPermissions ? given : [...given, ...DEFAULT_ADMIN_PERMISSIONS],
  );
  return [
    {
      type: 'OrganizationCreated',
      data: { organizationId, name, catalog, firstMember: { userId, email }, defaultWorkspaceId },
    },
    // The Default workspace is caused by the organization's creation (R32).
    {
      type: 'WorkspaceCreated',
      data: { workspaceId: defaultWorkspaceId, name: DEFAULT_WORKSPACE_NAME },
      causedBy: 0,
    },
    {
      type: 'WorkspacePrincipalAdded',
      data: {
        workspaceId: defaultWorkspaceId,
        principal: { type: 'user', id: userId },
        role: 'admin',
      },
      causedBy: 0,
    },
  ];
}
