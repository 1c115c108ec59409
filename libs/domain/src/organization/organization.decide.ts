import { unknownCommand } from '../shared/domain-error.js';
import type { OrganizationCommand } from './organization.commands.js';
import { authorize } from './organization.authorize.js';
import type { OrganizationEvent } from './organization.events.js';
import type { OrganizationState } from './organization.state.js';
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
      return decideDeactivateMember(command, state);
    case 'ReactivateMember':
      return decideReactivateMember(command, state);
    case 'RemoveMember':
      return decideRemoveMember(command, state);
    case 'IssueApiKey':
      return decideIssueApiKey(command, state, principal);
    case 'RevokeApiKey':
      return decideRevokeApiKey(command, state);
    default:
      throw unknownCommand(command);
  }
}
