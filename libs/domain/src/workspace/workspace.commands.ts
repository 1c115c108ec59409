import type { CommandMetadata } from '../shared/actor.js';
import type { Principal, WorkspaceRole } from './workspace.events.js';

interface Command<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}

export type CreateWorkspace = Command<
  'CreateWorkspace',
  {
    workspaceId: string;
    organizationId: string;
    name: string;
    principals: { principal: Principal; role: WorkspaceRole }[];
  }
>;
/** A principal already in the workspace appends nothing (follow-ups may run twice). */
export type AddWorkspacePrincipal = Command<
  'AddWorkspacePrincipal',
  { workspaceId: string; principal: Principal; role: WorkspaceRole }
>;

export type WorkspaceCommand = CreateWorkspace | AddWorkspacePrincipal;
