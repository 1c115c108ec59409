import type { Command } from '../shared/command.js';
import type { Principal } from '../shared/principal.js';
import type { ProjectMemberRole } from './project.events.js';

/** Workspace role `user` or higher (R24). */
export type CreateProject = Command<
  'CreateProject',
  { projectId: string; workspaceId: string; name: string }
>;
/** `role` defaults to viewer (R26). */
export type AddProjectMember = Command<
  'AddProjectMember',
  { projectId: string; principal: Principal; role?: ProjectMemberRole }
>;
export type ChangeProjectMemberRole = Command<
  'ChangeProjectMemberRole',
  { projectId: string; principal: Principal; role: ProjectMemberRole }
>;
/** In batches; the owner cannot be removed (R26). */
export type RemoveProjectMembers = Command<
  'RemoveProjectMembers',
  { projectId: string; principals: Principal[] }
>;
export type TransferOwnership = Command<'TransferOwnership', { projectId: string; to: Principal }>;
export type DeleteProject = Command<'DeleteProject', { projectId: string }>;

export type ProjectCommand =
  | CreateProject
  | AddProjectMember
  | ChangeProjectMemberRole
  | RemoveProjectMembers
  | TransferOwnership
  | DeleteProject;
