// The role orders are the access engine's (libs/access): one definition for every caller.
export {
  higherRole,
  isProjectMemberRole,
  isWorkspaceRole,
  PROJECT_MEMBER_ROLES,
  PROJECT_ROLES,
  WORKSPACE_ROLES,
  workspaceRoleAtLeast,
} from '#libs/access';
