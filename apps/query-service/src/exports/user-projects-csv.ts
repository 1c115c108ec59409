import { Collections, type DocumentStore, type ProjectAccessDocument } from '#libs/read-models';
import { csvLine } from './csv.js';

export const USER_PROJECT_COLUMNS = [
  'user_id',
  'email',
  'status',
  'org_role',
  'workspace',
  'project_id',
  'project_name',
  'project_role',
  'granted_via',
] as const;

/**
 * R30's lines, header first, one row per (member, project) with any access, produced as the
 * read model is scanned: nothing is collected, so memory does not grow with the row count.
 * `granted_via` is the path that gives the row's role (the projection lists it first). `store`
 * is a read view (ProjectAccessReads, ADR 22): the rows of org admins and workspace editors
 * come from the engine as the scan reaches them.
 */
export async function* userProjectsCsv(
  store: DocumentStore,
  organizationId: string,
): AsyncIterable<string> {
  yield csvLine(USER_PROJECT_COLUMNS);
  for await (const document of store.scan(Collections.projectAccess, { organizationId })) {
    const row = document as ProjectAccessDocument;
    yield csvLine([
      row.userId,
      row.email,
      row.status,
      row.orgRole,
      row.workspaceName,
      row.projectId,
      row.projectName,
      row.role,
      row.grantedVia[0] ?? '',
    ]);
  }
}
