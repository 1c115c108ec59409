import type { DashboardCommand } from '../dashboard/dashboard.commands.js';
import type { GroupCommand } from '../group/group.commands.js';
import type { ProjectCommand } from '../project/project.commands.js';
import { unknownCommand } from '../shared/domain-error.js';
import type { WorkspaceCommand } from '../workspace/workspace.commands.js';
import type { OrganizationCommand } from './organization.commands.js';
import { actingMember, authorize } from './organization.authorize.js';
import type { OrganizationEvent } from './organization.events.js';
import type { MemberState, OrganizationState } from './organization.state.js';
import { decideIssueApiKey, decideRevokeApiKey } from './decide/api-keys.decide.js';
import {
  decideAddCatalogPermissions,
  decideRemoveCatalogPermissions,
} from './decide/catalog.decide.js';
import { decideCreateOrganization } from './decide/create-organization.decide.js';
import {
  decideChangeMemberRole,
  decideDeactivateMember,
  decideInviteMember,
  decideReactivateMember,
  decideRemoveMember,
  decideSignIn,
} from './decide/members.decide.js';
import { decideCreateRole, decideDeleteRole, decideUpdateRole } from './decide/roles.decide.js';
import { decideCreateDashboard, decideDeleteDashboard } from './decide/dashboards.decide.js';
import {
  decideAddGroupMembers,
  decideCreateGroup,
  decideDeleteGroup,
  decideLinkDirectoryGroup,
  decideRemoveGroupMember,
  decideRenameGroup,
} from './decide/groups.decide.js';
import {
  decideAddProjectMember,
  decideChangeProjectMemberRole,
  decideCreateProject,
  decideDeleteProject,
  decideRemoveProjectMembers,
  decideTransferOwnership,
} from './decide/projects.decide.js';
import {
  decideAddWorkspacePrincipal,
  decideChangeWorkspacePrincipalRole,
  decideCreateWorkspace,
  decideRemoveWorkspacePrincipal,
  decideRenameWorkspace,
} from './decide/workspaces.decide.js';

/**
 * Authorizes the actor (organization.authorize.ts), then applies the command's rules. Never
 * changes `state`; throws a DomainError to refuse, and a refusal appends nothing.
 */
export function decideOrganization(
  command: OrganizationCommand,
  state: OrganizationState,
): OrganizationEvent[] {
  const principal = authorize(command, state);
  switch (command.type) {
    case 'CreateOrganization':
      return decideCreateOrganization(command, state);
    case 'AddCatalogPermissions':
      return decideAddCatalogPermissions(command, state);
    case 'RemoveCatalogPermissions':
      return decideRemoveCatalogPermissions(command, state);
    case 'CreateRole':
      return decideCreateRole(command, state, principal);
    case 'UpdateRole':
      return decideUpdateRole(command, state, principal);
    case 'DeleteRole':
      return decideDeleteRole(command, state);
    case 'InviteMember':
      return decideInviteMember(command, state, principal);
    case 'SignIn':
      return decideSignIn(command, state, principal);
    case 'ChangeMemberRole':
      return decideChangeMemberRole(command, state, principal);
    case 'DeactivateMember':
      return decideDeactivateMember(command, state, principal);
    case 'ReactivateMember':
      return decideReactivateMember(command, state);
    case 'RemoveMember':
      return decideRemoveMember(command, state, principal);
    case 'IssueApiKey':
      return decideIssueApiKey(command, state, principal);
    case 'RevokeApiKey':
      return decideRevokeApiKey(command, state);
    default:
      return decideAccessGraph(command, state, actingMember(principal, command.type));
  }
}

type AccessGraphCommand = GroupCommand | WorkspaceCommand | ProjectCommand | DashboardCommand;

/** Groups, workspaces, projects and dashboards: authority from roles, checked inside each. */
function decideAccessGraph(
  command: AccessGraphCommand,
  state: OrganizationState,
  actor: MemberState,
): OrganizationEvent[] {
  switch (command.type) {
    case 'CreateGroup':
      return decideCreateGroup(command, state, actor);
    case 'LinkDirectoryGroup':
      return decideLinkDirectoryGroup(command, state, actor);
    case 'RenameGroup':
      return decideRenameGroup(command, state, actor);
    case 'DeleteGroup':
      return decideDeleteGroup(command, state, actor);
    case 'AddGroupMembers':
      return decideAddGroupMembers(command, state, actor);
    case 'RemoveGroupMember':
      return decideRemoveGroupMember(command, state, actor);
    case 'CreateWorkspace':
      return decideCreateWorkspace(command, state, actor);
    case 'RenameWorkspace':
      return decideRenameWorkspace(command, state, actor);
    case 'AddWorkspacePrincipal':
      return decideAddWorkspacePrincipal(command, state, actor);
    case 'ChangeWorkspacePrincipalRole':
      return decideChangeWorkspacePrincipalRole(command, state, actor);
    case 'RemoveWorkspacePrincipal':
      return decideRemoveWorkspacePrincipal(command, state, actor);
    case 'CreateProject':
      return decideCreateProject(command, state, actor);
    case 'AddProjectMember':
      return decideAddProjectMember(command, state, actor);
    case 'ChangeProjectMemberRole':
      return decideChangeProjectMemberRole(command, state, actor);
    case 'RemoveProjectMembers':
      return decideRemoveProjectMembers(command, state, actor);
    case 'TransferOwnership':
      return decideTransferOwnership(command, state, actor);
    case 'DeleteProject':
      return decideDeleteProject(command, state, actor);
    case 'CreateDashboard':
      return decideCreateDashboard(command, state, actor);
    case 'DeleteDashboard':
      return decideDeleteDashboard(command, state, actor);
    default:
      throw unknownCommand(command);
  }
}
