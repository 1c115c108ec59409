import type { OrganizationState } from '#libs/domain';
import { Collections, type DashboardDocument } from '../documents.js';
import type { ProjectedEvent, Projection } from '../projection.js';
import { docId, put, remove } from './changes.js';

/** The dashboard an event creates or deletes, if any. */
type DashboardsScope = string | undefined;

export function dashboardDocument(
  state: OrganizationState,
  dashboardId: string,
): DashboardDocument | undefined {
  const dashboard = state.dashboards.get(dashboardId);
  if (!dashboard) return undefined;
  return {
    _id: docId(state.organizationId, dashboardId),
    organizationId: state.organizationId,
    dashboardId,
    workspaceId: dashboard.workspaceId,
    name: dashboard.name,
    projectIds: [...dashboard.projectIds],
    createdBy: dashboard.createdBy,
  };
}

export function dashboardDocuments(state: OrganizationState): DashboardDocument[] {
  const documents: DashboardDocument[] = [];
  for (const dashboardId of state.dashboards.keys()) {
    const document = dashboardDocument(state, dashboardId);
    if (document) documents.push(document);
  }
  return documents;
}

/**
 * Dashboards (R29). A dashboard keeps the ids of deleted projects it reads (project ids are
 * never reused): which of them a reader may see is decided at read time.
 */
export const dashboardsProjection: Projection<DashboardsScope> = {
  name: 'dashboards',
  version: 1,
  collections: { [Collections.dashboards]: ['organizationId', 'workspaceId', 'dashboardId'] },

  scope(event: ProjectedEvent): DashboardsScope {
    return event.type === 'DashboardCreated' || event.type === 'DashboardDeleted'
      ? event.data.dashboardId
      : undefined;
  },

  project(_event: ProjectedEvent, dashboardId: DashboardsScope, after: OrganizationState) {
    if (dashboardId === undefined) return [];
    const document = dashboardDocument(after, dashboardId);
    return [
      document
        ? put(Collections.dashboards, document)
        : remove(Collections.dashboards, docId(after.organizationId, dashboardId)),
    ];
  },
};
