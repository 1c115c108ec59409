import type { ProjectMemberRole } from '#libs/access';
import type { DomainEvent } from '../shared/decider.js';
import type { Principal } from '../shared/principal.js';

/** Ordered: viewer < user < owner (R25, R28); defined with the access engine. */
export type { ProjectMemberRole, ProjectRole } from '#libs/access';
/** The creator becomes owner (R24). */
export type ProjectCreated = DomainEvent<
  'ProjectCreated',
  { projectId: string; workspaceId: string; name: string; owner: Principal }
>;
export type ProjectMemberAdded = DomainEvent<
  'ProjectMemberAdded',
  { projectId: string; principal: Principal; role: ProjectMemberRole }
>;
export type ProjectMemberRoleChanged = DomainEvent<
  'ProjectMemberRoleChanged',
  {
    projectId: string;
    principal: Principal;
    role: ProjectMemberRole;
    previousRole: ProjectMemberRole;
  }
>;
export type ProjectMembersRemoved = DomainEvent<
  'ProjectMembersRemoved',
  { projectId: string; principals: Principal[] }
>;
/** The new owner was a project member; the previous owner becomes `user` (R25). */
export type OwnershipTransferred = DomainEvent<
  'OwnershipTransferred',
  { projectId: string; from: Principal; to: Principal }
>;
export type ProjectDeleted = DomainEvent<'ProjectDeleted', { projectId: string }>;

export type ProjectEvent =
  | ProjectCreated
  | ProjectMemberAdded
  | ProjectMemberRoleChanged
  | ProjectMembersRemoved
  | OwnershipTransferred
  | ProjectDeleted;
