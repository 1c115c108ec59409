import { organizationDecider, type OrganizationEvent, type OrganizationState } from '#libs/domain';
import {
  Collections,
  MemoryDocumentStore,
  PROJECTION_INDEXES,
  ProjectAccessReads,
  storedProjectAccessDocuments,
  type DocumentChange,
  type ProjectAccessDocument,
} from '#libs/read-models';
import { userProjectsCsv } from '../apps/query-service/src/exports/user-projects-csv.js';
import { header, report } from './report.js';

/**
 * R30's CSV export (docs/benchmarks.md#targets: ≥ 100,000 rows/s for 1,000,000 rows, memory flat):
 * the export's own line generator over the embedded read model, consumed as fast as it produces (as
 * a fast client would), beside the raw limit — a bare scan of the same rows — and the heap the
 * export adds at 100,000 and at 1,000,000 rows: flat means the two are about the same. Then
 * the rows nobody stores (ADR 22): 1,000,000 rows of org admins, which the export computes from
 * the organization's state through the engine as the scan reaches them.
 */
const SIZES = [100_000, 1_000_000];

export async function csvExportBench(): Promise<void> {
  header('user-project CSV export (memory read model)');
  const heapGrowth: number[] = [];
  let rawAtMillion = 0;
  for (const rows of SIZES) {
    const store = new MemoryDocumentStore(PROJECTION_INDEXES);
    await fill(store, rows);
    const raw = await rate(async () => {
      let n = 0;
      for await (const _row of store.scan(Collections.projectAccess, {
        organizationId: 'org-bench',
      }))
        n++;
      return n;
    });
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    const exported = await rate(async () => {
      let n = 0;
      let bytes = 0;
      for await (const line of userProjectsCsv(store, 'org-bench')) {
        bytes += line.length;
        if (++n % 50_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      }
      void bytes;
      return n - 1; // the header is not a row
    });
    heapGrowth.push(peakHeap - heapBefore);
    report(`(a) rows/s, ${rows.toLocaleString('en')} rows`, exported, raw, 'rows/s');
    rawAtMillion = raw;
    await store.close();
  }
  const [small, large] = heapGrowth.map((bytes) => bytes / 2 ** 20);
  report('(b) heap added by the export: 1,000,000 rows vs 100,000', large, small, 'MiB');

  const { state, store } = await adminsOverProjects(IMPLIED_ADMINS, IMPLIED_PROJECTS);
  const reads = new ProjectAccessReads(store, () => ({ state }));
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  const implied = await rate(async () => {
    let n = 0;
    for await (const _line of userProjectsCsv(reads, state.organizationId)) {
      if (++n % 50_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    return n - 1;
  });
  report(
    `(c) rows/s, ${(IMPLIED_ADMINS * IMPLIED_PROJECTS).toLocaleString('en')} rows implied`,
    implied,
    rawAtMillion,
    'rows/s',
  );
  console.log(
    `    (c) ${IMPLIED_ADMINS.toLocaleString('en')} org admins × ${IMPLIED_PROJECTS.toLocaleString('en')} projects, ` +
      `raw: the bare scan of 1,000,000 stored rows above; heap added ${((peakHeap - heapBefore) / 2 ** 20).toFixed(0)} MiB`,
  );
  await store.close();
}

const IMPLIED_ADMINS = 1_000;
const IMPLIED_PROJECTS = 1_000;

/**
 * An organization of `admins` org admins and `projects` projects (owned by the first), folded
 * by the domain's evolve from the events its commands would append; its stored rows (the
 * owner's) in a memory store. Every other row of the CSV is an org admin's, implied.
 */
async function adminsOverProjects(
  admins: number,
  projects: number,
): Promise<{ state: OrganizationState; store: MemoryDocumentStore }> {
  const organizationId = 'org-implied';
  const workspaceId = 'ws-default';
  const events: OrganizationEvent[] = [
    {
      type: 'OrganizationCreated',
      data: {
        organizationId,
        name: 'Implied',
        catalog: ['checks.read', 'truora.keys', 'truora.users'],
        firstMember: { userId: 'admin-0', email: 'admin-0@acme.test' },
        defaultWorkspaceId: workspaceId,
      },
    },
    { type: 'WorkspaceCreated', data: { workspaceId, name: 'Default' } },
  ];
  for (let i = 1; i < admins; i++) {
    const userId = `admin-${i}`;
    events.push(
      {
        type: 'MemberInvited',
        data: { userId, email: `${userId}@acme.test`, roleId: 'full_access', invitedBy: null },
      },
      { type: 'MemberActivated', data: { userId, subject: `sub-${userId}` } },
    );
  }
  for (let i = 0; i < projects; i++) {
    events.push({
      type: 'ProjectCreated',
      data: {
        projectId: `project-${i}`,
        workspaceId,
        name: `Project ${i}`,
        owner: { type: 'user', id: 'admin-0' },
      },
    });
  }
  let state = organizationDecider.initialState();
  for (const event of events) state = organizationDecider.evolve(state, event);
  const store = new MemoryDocumentStore(PROJECTION_INDEXES);
  const changes: DocumentChange[] = storedProjectAccessDocuments(state).map((document) => ({
    type: 'put',
    collection: Collections.projectAccess,
    document: document as unknown as ProjectAccessDocument & { [field: string]: unknown },
  }));
  await store.apply(changes, ['bench'], '1');
  return { state, store };
}

async function rate(body: () => Promise<number>): Promise<number> {
  const start = performance.now();
  const count = await body();
  return count / ((performance.now() - start) / 1000);
}

/** One organization, 1,000 projects, members spread over them. */
async function fill(store: MemoryDocumentStore, rows: number): Promise<void> {
  const batch: DocumentChange[] = [];
  for (let i = 0; i < rows; i++) {
    const projectId = `project-${i % 1000}`;
    const userId = `user-${Math.floor(i / 1000)}`;
    const document: ProjectAccessDocument = {
      _id: `org-bench:${projectId}:${userId}`,
      organizationId: 'org-bench',
      projectId,
      projectName: `Project ${i % 1000}`,
      workspaceId: 'ws-1',
      workspaceName: 'Default',
      userId,
      email: `${userId}@acme.test`,
      status: 'active',
      orgRole: 'default_access',
      role: 'viewer',
      grantedVia: ['group:Analysts'],
      manages: false,
    };
    batch.push({ type: 'put', collection: Collections.projectAccess, document });
    if (batch.length === 10_000) await store.apply(batch.splice(0), ['bench'], String(i));
  }
  if (batch.length) await store.apply(batch, ['bench'], String(rows));
}
