import type { Document, DocumentChange, Filter } from './document-store.port.js';
import { Collections } from './documents.js';
import { ProjectAccessReads } from './project-access-reads.js';
import { projectAccessRows } from './projections/implied-project-access.js';
import { PROJECTION_INDEXES } from './projections/index.js';
import { History } from './projections/testing/history.js';
import { MemoryDocumentStore } from './stores/memory-document-store.js';

/**
 * Two workspaces, projects in each, two org admins (one also a project member), a workspace
 * admin through a group, an editor, plain members: stored and implied rows side by side.
 */
function organization(): History {
  const history = new History();
  history.member('u-alice', 'alice@acme.test');
  history.member('u-bob', 'bob@acme.test', 'full_access');
  history.member('u-carol', 'carol@acme.test');
  history.member('u-dave', 'dave@acme.test');
  history.member('u-erin', 'erin@acme.test');
  history.run('CreateGroup', { groupId: 'g-ops', name: 'Ops' });
  history.run('AddGroupMembers', { groupId: 'g-ops', userIds: ['u-carol', 'u-erin'] });
  history.run('CreateWorkspace', {
    workspaceId: 'ws-1',
    name: 'Research',
    principals: [
      { principal: { type: 'group', id: 'g-ops' }, role: 'admin' },
      { principal: { type: 'user', id: 'u-dave' }, role: 'editor' },
    ],
  });
  for (const [projectId, workspaceId] of [
    ['p-3', 'ws-1'],
    ['p-1', 'ws-1'],
    ['p-2', 'ws-default'],
    ['p-4', 'ws-default'],
  ]) {
    history.run('CreateProject', { projectId, workspaceId, name: projectId.toUpperCase() });
  }
  history.run('AddProjectMember', {
    projectId: 'p-1',
    principal: { type: 'user', id: 'u-bob' },
    role: 'user',
  });
  history.run('AddProjectMember', {
    projectId: 'p-2',
    principal: { type: 'user', id: 'u-alice' },
  });
  history.run('AddProjectMember', {
    projectId: 'p-3',
    principal: { type: 'group', id: 'g-ops' },
  });
  return history;
}

/** The projector's stored rows, in a store of their own, read through ProjectAccessReads. */
async function readsOf(
  history: History,
  /** Given, the implied rows are memoised per project for that position. */
  position?: string,
): Promise<{ reads: ProjectAccessReads; store: MemoryDocumentStore; stored: number }> {
  const store = new MemoryDocumentStore(PROJECTION_INDEXES);
  const changes: DocumentChange[] = [];
  for (const [collection, documents] of history.projector.collections) {
    for (const document of documents.values()) {
      // A JSON copy: the test projector's structured clones come from another realm.
      changes.push({ type: 'put', collection, document: JSON.parse(JSON.stringify(document)) });
    }
  }
  await store.apply(changes, [], '1');
  const stored = history.projector.documents(Collections.projectAccess).size;
  const reads = new ProjectAccessReads(store, () => ({ state: history.state, position }));
  return { reads, store, stored };
}

async function scanned(reads: ProjectAccessReads, filter: Filter): Promise<Document[]> {
  const rows: Document[] = [];
  for await (const row of reads.scan(Collections.projectAccess, filter)) rows.push(row);
  return rows;
}

/** Every page of `limit`, each starting after the last id of the one before. */
async function paged(reads: ProjectAccessReads, filter: Filter, limit: number) {
  const rows: Document[] = [];
  for (let after: string | undefined; ;) {
    const page = await reads.find(Collections.projectAccess, filter, { limit, after });
    rows.push(...page);
    if (page.length < limit) return rows;
    after = page[page.length - 1]._id;
  }
}

const ids = (rows: Document[]) => rows.map((row) => row._id);

describe('project_access as reads see it (ADR 22)', () => {
  it('R28 R30 stored and implied rows together are every row of the state, in _id order, each once', async () => {
    const history = organization();
    const { reads, stored } = await readsOf(history);
    const every = projectAccessRows(history.state);
    const rows = await scanned(reads, { organizationId: 'acme' });
    expect(rows).toEqual(every);
    expect(ids(rows)).toEqual([...ids(rows)].sort());
    expect(new Set(ids(rows)).size).toBe(rows.length);
    // Org admins and workspace admins and editors see every project of theirs; most of those
    // rows are not stored.
    expect(stored).toBeLessThan(rows.length);
    expect(rows.filter((row) => row.userId === 'u-bob').map((row) => row.projectId)).toEqual([
      'p-1',
      'p-2',
      'p-3',
      'p-4',
    ]);
    // The org admin who is also a member of p-1: one row, the whole answer.
    expect(rows.find((row) => row._id === 'acme:p-1:u-bob')).toMatchObject({
      role: 'user',
      grantedVia: ['direct', 'org_admin'],
      manages: true,
    });
  });

  it.each([
    ['computed per read', undefined],
    ['memoised at a position', '1'],
  ])(
    'R28 pages of every size, for every filter the reads use, are the scan cut in pieces (%s)',
    async (_, position) => {
      const history = organization();
      const { reads } = await readsOf(history, position);
      const filters: Filter[] = [
        { organizationId: 'acme' },
        { organizationId: 'acme', projectId: 'p-3' },
        { organizationId: 'acme', projectId: 'p-3', role: 'viewer' },
        { organizationId: 'acme', projectId: 'p-1', role: 'user' },
        { organizationId: 'acme', workspaceId: 'ws-1', userId: 'u-dave' },
        { organizationId: 'acme', workspaceId: 'ws-1', userId: 'u-carol' },
        { organizationId: 'acme', workspaceId: 'ws-default', userId: 'u-alice' },
        { organizationId: 'other' },
      ];
      const every = projectAccessRows(history.state);
      for (const filter of filters) {
        const want = every.filter((row) =>
          Object.entries(filter).every(([field, value]) => (row as Document)[field] === value),
        );
        expect({ filter, rows: ids(await scanned(reads, filter)) }).toEqual({
          filter,
          rows: ids(want),
        });
        for (const limit of [1, 2, 3, 100]) {
          expect({ filter, limit, rows: ids(await paged(reads, filter, limit)) }).toEqual({
            filter,
            limit,
            rows: ids(want),
          });
        }
      }
    },
  );

  it('R28 a row is got by id whether stored or implied; other collections read as stored', async () => {
    const history = organization();
    const { reads } = await readsOf(history);
    const get = (id: string) => reads.get(Collections.projectAccess, id);
    expect(await get('acme:p-2:u-alice')).toMatchObject({ role: 'viewer', grantedVia: ['direct'] });
    expect(await get('acme:p-4:u-bob')).toMatchObject({
      role: 'viewer',
      grantedVia: ['org_admin'],
    });
    expect(await get('acme:p-1:u-dave')).toMatchObject({ grantedVia: ['workspace:editor'] });
    expect(await get('acme:p-4:u-dave')).toBeUndefined();
    expect(await get('acme:p-404:u-bob')).toBeUndefined();
    expect(await get('not-an-id')).toBeUndefined();
    expect(await reads.get(Collections.members, 'acme:u-bob')).toMatchObject({ userId: 'u-bob' });
    expect(ids(await scanned(reads, { organizationId: 'acme' }))).toContain('acme:p-4:u-bob');
  });

  it('R28 with no state for the organization yet, the stored rows alone', async () => {
    const history = organization();
    const { store, stored } = await readsOf(history);
    const reads = new ProjectAccessReads(store, () => undefined);
    expect(await scanned(reads, { organizationId: 'acme' })).toHaveLength(stored);
  });
});
