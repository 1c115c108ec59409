import type { WorkspaceRole } from '#libs/access';
import type { DomainEvent } from '../shared/decider.js';
import type { Principal } from '../shared/principal.js';

export type { Principal } from '../shared/principal.js';

/** Ordered: member < user < editor < admin (R22); defined with the access engine. */
export type { WorkspaceRole } from '#libs/access';

export type WorkspaceCreated = DomainEvent<
  'WorkspaceCreated',
  { workspaceId: string; name: string }
>;
export type WorkspaceRenamed = DomainEvent<
  'WorkspaceRenamed',
  { workspaceId: string; name: string }
>;
export type WorkspacePrincipalAdded = DomainEvent<
  'WorkspacePrincipalAdded',
  { workspaceId: string; principal: Principal; role: WorkspaceRole }
>;
export type WorkspacePrincipalRoleChanged = DomainEvent<
  'WorkspacePrincipalRoleChanged',
  { workspaceId: string; principal: Principal; role: WorkspaceRole; previousRole: WorkspaceRole }
>;
export type WorkspacePrincipalRemoved = DomainEvent<
  'WorkspacePrincipalRemoved',
  { workspaceId: string; principal: Principal }
>;

export type WorkspaceEvent =
  | WorkspaceCreated
  | WorkspaceRenamed
  | WorkspacePrincipalAdded
  | WorkspacePrincipalRoleChanged
  | WorkspacePrincipalRemoved;
