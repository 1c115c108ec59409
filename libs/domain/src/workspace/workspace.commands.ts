import type { Command } from '../shared/command.js';
import type { Principal } from '../shared/principal.js';
import type { WorkspaceRole } from './workspace.events.js';

/** Org admins (R20). */
export type CreateWorkspace = Command<
  'CreateWorkspace',
  { workspaceId: string; name: string; principals: { principal: Principal; role: WorkspaceRole }[] }
>;
export type RenameWorkspace = Command<'RenameWorkspace', { workspaceId: string; name: string }>;
/** Org admins and workspace admins (R21). */
export type AddWorkspacePrincipal = Command<
  'AddWorkspacePrincipal',
  { workspaceId: string; principal: Principal; role: WorkspaceRole }
>;
export type ChangeWorkspacePrincipalRole = Command<
  'ChangeWorkspacePrincipalRole',
  { workspaceId: string; principal: Principal; role: WorkspaceRole }
>;
export type RemoveWorkspacePrincipal = Command<
  'RemoveWorkspacePrincipal',
  { workspaceId: string; principal: Principal }
>;

export type WorkspaceCommand =
  | CreateWorkspace
  | RenameWorkspace
  | AddWorkspacePrincipal
  | ChangeWorkspacePrincipalRole
  | RemoveWorkspacePrincipal;
