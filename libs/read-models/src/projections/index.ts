import type { OrganizationState } from '#libs/domain';
import type { CollectionIndexes, Document } from '../document-store.port.js';
import { Collections } from '../documents.js';
import type { Projection } from '../projection.js';
import { allRoles, catalogProjection, organizationDocument } from './catalog.projection.js';
import { apiKeyAuditDocuments, apiKeyAuditsProjection } from './api-key-audits.projection.js';
import { credentialDocuments, credentialsProjection } from './credentials.projection.js';
import { dashboardDocuments, dashboardsProjection } from './dashboards.projection.js';
import { groupDocuments, groupsProjection } from './groups.projection.js';
import { memberDocuments, membersProjection } from './members.projection.js';
import {
  projectAccessProjection,
  storedProjectAccessDocuments,
} from './project-access.projection.js';
import { projectDocuments, projectsProjection } from './projects.projection.js';
import {
  workspaceMemberDocuments,
  workspaceMembersProjection,
} from './workspace-members.projection.js';
import { workspaceDocuments, workspacesProjection } from './workspaces.projection.js';

export * from './access-paths.js';
export {
  impliedProjectAccessRows,
  mergeRows,
  projectAccessRows,
} from './implied-project-access.js';
export { apiKeyAuditsProjection, keyEffectivePermissions } from './api-key-audits.projection.js';
export { catalogProjection } from './catalog.projection.js';
export { credentialsProjection } from './credentials.projection.js';
export { dashboardsProjection } from './dashboards.projection.js';
export { groupsProjection } from './groups.projection.js';
export { membersProjection } from './members.projection.js';
export {
  projectAccessDocument,
  projectAccessProjection,
  storedProjectAccessDocuments,
} from './project-access.projection.js';
export { projectsProjection } from './projects.projection.js';
export { workspaceMembersProjection } from './workspace-members.projection.js';
export { workspacesProjection } from './workspaces.projection.js';

/** Every projection; each owns its collections (no two write the same one). */
export const ALL_PROJECTIONS: readonly Projection[] = [
  catalogProjection,
  membersProjection,
  groupsProjection,
  workspacesProjection,
  workspaceMembersProjection,
  projectsProjection,
  projectAccessProjection,
  dashboardsProjection,
  apiKeyAuditsProjection,
  credentialsProjection,
];

/** The collections of every projection with the fields they are filtered by. */
export const PROJECTION_INDEXES: CollectionIndexes = Object.assign(
  {},
  ...ALL_PROJECTIONS.map((projection) => projection.collections),
) as CollectionIndexes;

/**
 * Every document of one organization, computed from its state alone, per collection — the
 * catalog projection's organization and roles too, by its own builders. What the projections
 * build event by event must equal this (the specs check it); it is also how a read answers as
 * of a past point (R33): the state folded to that point, through this, into a store of its own.
 * For project_access that is the stored rows: reads add the implied ones (ProjectAccessReads,
 * ADR 22), and projectAccessRows is every row as read.
 */
export function documentsOf(state: OrganizationState): Record<string, Document[]> {
  return Object.fromEntries(
    Object.entries(documentBuildersOf(state)).map(([collection, build]) => [collection, build()]),
  );
}

/**
 * documentsOf one collection at a time: a read of a past point (R33) builds only the
 * collections it reads (the user-project rows of a large organization cost more than the rest).
 */
export function documentBuildersOf(state: OrganizationState): Record<string, () => Document[]> {
  const widen = (documents: object[]) => documents as Document[];
  return {
    [Collections.organizations]: () => widen([organizationDocument(state)]),
    [Collections.roles]: () => widen(allRoles(state)),
    [Collections.members]: () => widen(memberDocuments(state)),
    [Collections.groups]: () => widen(groupDocuments(state)),
    [Collections.workspaces]: () => widen(workspaceDocuments(state)),
    [Collections.workspaceMembers]: () => widen(workspaceMemberDocuments(state)),
    [Collections.projects]: () => widen(projectDocuments(state)),
    [Collections.projectAccess]: () => widen(storedProjectAccessDocuments(state)),
    [Collections.dashboards]: () => widen(dashboardDocuments(state)),
    [Collections.apiKeyAudits]: () => widen(apiKeyAuditDocuments(state)),
    [Collections.credentials]: () => widen(credentialDocuments(state)),
  };
}
