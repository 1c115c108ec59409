import {
  arrayOf,
  id,
  object,
  principal,
  projectMemberRole,
  text,
  workspaceRole,
  type JsonSchema,
} from './json-schema.js';
import { userIds } from './organization.v1.js';
import type { EventType } from '../event-catalog.js';

/** Version 1 of the data of group, workspace, project and dashboard events. */
export const accessGraphSchemasV1 = {
  GroupCreated: object({ groupId: id(), name: text() }),
  DirectoryGroupLinked: object({ groupId: id(), name: text(), directoryGroupId: id() }),
  GroupRenamed: object({ groupId: id(), name: text() }),
  GroupDeleted: object({ groupId: id() }),
  GroupMembersAdded: object({ groupId: id(), userIds: userIds() }),
  GroupMemberRemoved: object({ groupId: id(), userId: id() }),
  DirectoryMembershipSynced: object({
    userId: id(),
    joined: arrayOf(id('groupId')),
    left: arrayOf(id('groupId')),
  }),
  WorkspaceCreated: object({ workspaceId: id(), name: text() }),
  WorkspaceRenamed: object({ workspaceId: id(), name: text() }),
  WorkspacePrincipalAdded: object({
    workspaceId: id(),
    principal: principal(),
    role: workspaceRole(),
  }),
  WorkspacePrincipalRoleChanged: object({
    workspaceId: id(),
    principal: principal(),
    role: workspaceRole(),
    previousRole: workspaceRole(),
  }),
  WorkspacePrincipalRemoved: object({ workspaceId: id(), principal: principal() }),
  ProjectCreated: object({ projectId: id(), workspaceId: id(), name: text(), owner: principal() }),
  ProjectMemberAdded: object({
    projectId: id(),
    principal: principal(),
    role: projectMemberRole(),
  }),
  ProjectMemberRoleChanged: object({
    projectId: id(),
    principal: principal(),
    role: projectMemberRole(),
    previousRole: projectMemberRole(),
  }),
  ProjectMembersRemoved: object({ projectId: id(), principals: arrayOf(principal(), 1) }),
  OwnershipTransferred: object({ projectId: id(), from: principal(), to: principal() }),
  ProjectDeleted: object({ projectId: id() }),
  DashboardCreated: object({
    dashboardId: id(),
    workspaceId: id(),
    name: text(),
    projectIds: arrayOf(id(), 1),
    createdBy: id(),
  }),
  DashboardDeleted: object({ dashboardId: id() }),
} satisfies Partial<Record<EventType, JsonSchema>>;
