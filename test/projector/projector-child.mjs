// The projector as its own process, for projector-crash.e2e-spec.ts: a SQLite event store file
// in, a SqliteDocumentStore file out, progress as JSON lines on stdout, until killed.
// Modes: `batches` projects event by event; `snapshots` is the embedded default's projector —
// a bulk first build, the folds snapshotted (after every batch here) and restored at start.
// It runs the compiled code in dist/: `npm run build` must have run (CI builds before testing).
import { Logger } from '@nestjs/common';
import { SqliteEventStore } from '../../dist/libs/event-store/src/index.js';
import {
  ALL_PROJECTIONS,
  AccessGraphs,
  PROJECTION_INDEXES,
  SqliteDocumentStore,
} from '../../dist/libs/read-models/src/index.js';
import { SqliteSnapshotStore } from '../../dist/libs/snapshots/src/index.js';
import { FoldSnapshots } from '../../dist/apps/projector/src/fold-snapshots.js';
import { Projector } from '../../dist/apps/projector/src/projector.js';
import { OrganizationHistory } from '../../dist/apps/query-service/src/history/organization-history.js';

const [eventsFile, documentsFile, batchSize, mode = 'batches', snapshotsFile] =
  process.argv.slice(2);
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const quiet = { log: () => undefined, warn: console.error, error: console.error };
Logger.overrideLogger(['error']);

// Polls the file often: the test appends from another process.
const events = new SqliteEventStore(eventsFile, { pollIntervalMs: 20 });
const snapshots =
  mode === 'snapshots'
    ? new FoldSnapshots(
        new SqliteSnapshotStore(snapshotsFile),
        new OrganizationHistory(events, {
          store: new SqliteSnapshotStore(snapshotsFile),
          every: 50,
        }),
        quiet,
      )
    : undefined;
const projector = new Projector(
  events,
  new SqliteDocumentStore(documentsFile, PROJECTION_INDEXES),
  ALL_PROJECTIONS,
  {
    batchSize: Number(batchSize),
    maxBatchDelayMs: 0,
    logger: quiet,
    onProgress: ({ applied, folded, caughtUp }) => say({ applied, folded, caughtUp }),
    graphs: new AccessGraphs({ indexProjects: true }),
    bulkRebuild: mode === 'snapshots',
    snapshots: snapshots && { fold: snapshots, everyMs: 0 },
  },
);
await projector.start();
say({ started: true, applied: projector.position(), resumedAt: projector.resumedAt() });
