import {
  Collections,
  MemoryDocumentStore,
  PROJECTION_INDEXES,
  type DocumentChange,
  type ProjectAccessDocument,
} from '#libs/read-models';
import { userProjectsCsv } from '../apps/query-service/src/exports/user-projects-csv.js';
import { header, report } from './report.js';

/**
 * R30's CSV export (SPEC §7: ≥ 100,000 rows/s for 1,000,000 rows, memory flat): the export's
 * own line generator over the embedded read model, consumed as fast as it produces (as a
 * fast client would), beside the raw limit — a bare scan of the same rows — and the heap the
 * export adds at 100,000 and at 1,000,000 rows: flat means the two are about the same.
 */
const SIZES = [100_000, 1_000_000];

export async function csvExportBench(): Promise<void> {
  header('user-project CSV export (memory read model)');
  const heapGrowth: number[] = [];
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
    await store.close();
  }
  const [small, large] = heapGrowth.map((bytes) => bytes / 2 ** 20);
  report('(b) heap added by the export: 1,000,000 rows vs 100,000', large, small, 'MiB');
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
