import type { OrganizationState } from '#libs/domain';
import { Collections, type ProjectDocument } from '../documents.js';
import type { ProjectedEvent, Projection } from '../projection.js';
import { docId, put, remove } from './changes.js';

/** The project an event creates, hands over or deletes, if any. */
type ProjectsScope = string | undefined;

export function projectDocument(
  state: OrganizationState,
  projectId: string,
): ProjectDocument | undefined {
  const project = state.projects.get(projectId);
  if (!project?.live) return undefined;
  return {
    _id: docId(state.organizationId, projectId),
    organizationId: state.organizationId,
    projectId,
    workspaceId: project.workspaceId,
    name: project.name,
    owner: { ...project.owner },
  };
}

export function projectDocuments(state: OrganizationState): ProjectDocument[] {
  const documents: ProjectDocument[] = [];
  for (const projectId of state.projects.keys()) {
    const document = projectDocument(state, projectId);
    if (document) documents.push(document);
  }
  return documents;
}

/** Live projects with their owner (R22, R25): the list an org admin or operator pages through. */
export const projectsProjection: Projection<ProjectsScope> = {
  name: 'projects',
  version: 1,
  collections: { [Collections.projects]: ['organizationId', 'workspaceId', 'projectId'] },

  scope(event: ProjectedEvent): ProjectsScope {
    switch (event.type) {
      case 'ProjectCreated':
      case 'OwnershipTransferred':
      case 'ProjectDeleted':
        return event.data.projectId;
      default:
        return undefined;
    }
  },

  project(_event: ProjectedEvent, projectId: ProjectsScope, after: OrganizationState) {
    if (projectId === undefined) return [];
    const document = projectDocument(after, projectId);
    return [
      document
        ? put(Collections.projects, document)
        : remove(Collections.projects, docId(after.organizationId, projectId)),
    ];
  },
};
