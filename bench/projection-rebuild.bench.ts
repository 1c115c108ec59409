import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, organizationDecider } from '#libs/domain';
import { newEventId, SqliteEventStore, type NewEvent } from '#libs/event-store';
import {
  ALL_PROJECTIONS,
  MemoryDocumentStore,
  PROJECTION_INDEXES,
  READ_MODELS_FILE,
  SqliteDocumentStore,
  type DocumentStore,
  type Projection,
} from '#libs/read-models';
import { progressBar } from '../apps/projector/src/progress-bar.js';
import { Projector } from '../apps/projector/src/projector.js';
import { mulberry32, OrganizationScript } from './organization-script.js';
import { header, report } from './report.js';

/**
 * Projection rebuild, docs/benchmarks.md#targets: at least 100,000 events/s, 1,000,000 events under
 * 15 s, into memory and into the embedded default's SQLite read models (a bulk build, ADR 20),
 * beside the raw limit — a plain readAll of the same events (the store's read rate, JSON parsing
 * included) — as a ratio.
 */
const EVENTS = 1_000_000;
const ORGANIZATIONS = 100;
/** Commands decided per organization before the round is appended (one transaction a round). */
const COMMANDS_PER_ROUND = 100;

export async function projectionRebuildBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rebuild-'));
  const store = new SqliteEventStore(join(dir, 'events.sqlite'), { pageSize: 5000 });
  try {
    header(
      `projection rebuild (${EVENTS.toLocaleString('en')} events; memory and SQLite read models)`,
    );
    const generated = await generateHistory(store, EVENTS, ORGANIZATIONS);
    console.log(
      `    history: ${count(generated.events)} events from ${count(generated.commands)} commands in ${ORGANIZATIONS} organizations (${count(generated.refused)} refused), generated in ${generated.seconds.toFixed(1)} s`,
    );

    const raw = await timed(async () => {
      let events = 0;
      for await (const _event of store.readAll()) events += 1;
      return events;
    });
    report('(raw) readAll + JSON.parse', raw.rate, raw.rate, 'events/s');
    // The projector's own ceiling: the same subscription and fold, no projection.
    const fold = await timed(() => rebuild(store, []));
    report('fold only (evolve, no projections)', fold.rate, raw.rate, 'events/s');
    const full = await timed(() => rebuild(store, ALL_PROJECTIONS));
    report('full rebuild into memory', full.rate, raw.rate, 'events/s');
    report('full rebuild, seconds (lower is better)', full.seconds, raw.seconds, 's');
    // Into the embedded default's store (ADR 20): SQLite beside the events.
    const sqlite = await timed(() =>
      rebuild(
        store,
        ALL_PROJECTIONS,
        () => new SqliteDocumentStore(join(dir, READ_MODELS_FILE), PROJECTION_INDEXES),
      ),
    );
    report('full rebuild into SQLite (embedded default)', sqlite.rate, raw.rate, 'events/s');
    report('full rebuild into SQLite, seconds', sqlite.seconds, raw.seconds, 's');
    console.log(
      `    CPU seconds: raw ${raw.cpu.toFixed(1)}, fold ${fold.cpu.toFixed(1)}, full ${full.cpu.toFixed(1)}, SQLite ${sqlite.cpu.toFixed(1)}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
    console.log('    target: >= 100,000 events/s; 1,000,000 events under 15 s');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A full rebuild into a fresh document store (memory by default); returns the events replayed. */
async function rebuild(
  store: SqliteEventStore,
  projections: readonly Projection[],
  documentStore: () => DocumentStore = () => new MemoryDocumentStore(PROJECTION_INDEXES),
) {
  const documents = documentStore();
  const bar = progressBar(process.stderr, 1000);
  const projector = new Projector(store, documents, projections, {
    batchSize: 1000,
    maxBatchDelayMs: 0,
    logger: { log: () => undefined, warn: console.warn, error: console.error },
    onProgress: bar.update,
  });
  await projector.start();
  await projector.stop();
  bar.done();
  await documents.close();
  // With no projections, position() is the position folded up to.
  return Number(projector.position());
}

interface Timing {
  rate: number;
  seconds: number;
  /** CPU time of the process: the machine may be shared, wall time alone can mislead. */
  cpu: number;
}

async function timed(body: () => Promise<number>): Promise<Timing> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const events = await body();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { rate: events / seconds, seconds, cpu: (cpu.user + cpu.system) / 1e6 };
}

function count(n: number): string {
  return n.toLocaleString('en');
}

/**
 * Writes a realistic history fast: every organization's commands are decided in memory on
 * its folded state (the real decider, so the events are what the service would record), and
 * each round of decisions is appended in one group-committed transaction.
 */
/** How the organizations of a generated history are named and how busy each is. */
export interface HistoryShape {
  /** Their ids (default `org-<seed>-<i>`; the HTTP routes take only UUIDs). */
  organizationIds?: readonly string[];
  /** Commands each decides a round, as a multiple of the others' (default 1 each). */
  weights?: readonly number[];
}

export async function generateHistory(
  store: SqliteEventStore,
  events: number,
  organizations: number,
  seed = 1,
  shape: HistoryShape = {},
): Promise<{ events: number; commands: number; refused: number; seconds: number }> {
  const started = performance.now();
  const random = mulberry32(seed);
  const scripts = Array.from(
    { length: organizations },
    (_, i) => new OrganizationScript(shape.organizationIds?.[i] ?? `org-${seed}-${i}`, random),
  );
  const states = scripts.map(() => organizationDecider.initialState());
  const revisions = scripts.map(() => -1);
  // The command side's event ids (UUIDv7, ADR 20): the store's unique index on ids grows at
  // its right edge. Random v4 ids had cost a random B-tree page per insert once the index
  // outgrew SQLite's page cache, which made generation several times slower than the rebuild.
  let written = 0;
  let commands = 0;
  let refused = 0;
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  while (written < events) {
    const appends: Promise<unknown>[] = [];
    scripts.forEach((script, i) => {
      const batch: NewEvent[] = [];
      const quota = COMMANDS_PER_ROUND * (shape.weights?.[i] ?? 1);
      for (let c = 0; c < quota && written + batch.length < events; c++) {
        clock += 1000;
        const command = script.next(states[i], new Date(clock).toISOString());
        commands += 1;
        let decided;
        try {
          decided = organizationDecider.decide(command, states[i]);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          refused += 1;
          continue;
        }
        for (const event of decided) {
          states[i] = organizationDecider.evolve(states[i], event);
          batch.push({
            id: newEventId(),
            type: event.type,
            data: event.data,
            metadata: {
              organizationId: script.organizationId,
              schemaVersion: 1,
              actor: { type: 'system', id: 'bench' },
              correlationId: `c-${commands}`,
              causationId: `c-${commands}`,
            },
          });
        }
      }
      if (batch.length === 0) return;
      const expected = revisions[i] === -1 ? 'no_stream' : revisions[i];
      revisions[i] += batch.length;
      written += batch.length;
      appends.push(store.append(`organization-${script.organizationId}`, batch, expected));
    });
    await Promise.all(appends);
    if (process.stderr.isTTY) {
      process.stderr.write(
        `\r\x1b[2K  generating: ${written.toLocaleString('en')} / ${events.toLocaleString('en')}`,
      );
    }
  }
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
  return { events: written, commands, refused, seconds: (performance.now() - started) / 1000 };
}
