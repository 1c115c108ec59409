// The projector as its own process, for projector-crash.e2e-spec.ts: a SQLite event store file
// in, a SqliteDocumentStore file out, progress as JSON lines on stdout, until killed.
// It runs the compiled code in dist/: `npm run build` must have run (CI builds before testing).
import { SqliteEventStore } from '../../dist/libs/event-store/src/index.js';
import {
  ALL_PROJECTIONS,
  PROJECTION_INDEXES,
  SqliteDocumentStore,
} from '../../dist/libs/read-models/src/index.js';
import { Projector } from '../../dist/apps/projector/src/projector.js';

const [eventsFile, documentsFile, batchSize] = process.argv.slice(2);
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

const projector = new Projector(
  // Polls the file often: the test appends from another process.
  new SqliteEventStore(eventsFile, { pollIntervalMs: 20 }),
  new SqliteDocumentStore(documentsFile, PROJECTION_INDEXES),
  ALL_PROJECTIONS,
  {
    batchSize: Number(batchSize),
    maxBatchDelayMs: 0,
    logger: { log: () => undefined, warn: console.error, error: console.error },
    onProgress: ({ applied, folded, caughtUp }) => say({ applied, folded, caughtUp }),
  },
);
await projector.start();
say({ started: true, applied: projector.position() });
