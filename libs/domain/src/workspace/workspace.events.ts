import type { DomainEvent } from '../shared/decider.js';

export type WorkspaceRole = 'member' | 'user' | 'editor' | 'admin';
export interface Principal {
  type: 'user' | 'group';
  id: string;
}

export type WorkspaceCreated = DomainEvent<
  'WorkspaceCreated',
  { workspaceId: string; organizationId: string; name: string }
>;
export type WorkspacePrincipalAdded = DomainEvent<
  'WorkspacePrincipalAdded',
  { workspaceId: string; principal: Principal; role: WorkspaceRole }
>;

export type WorkspaceEvent = WorkspaceCreated | WorkspacePrincipalAdded;
