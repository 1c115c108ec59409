import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SqliteEventStore } from '#libs/event-store';
import {
  ALL_PROJECTIONS,
  checkpointName,
  MemoryDocumentStore,
  PROJECTION_INDEXES,
  SqliteDocumentStore,
} from '#libs/read-models';
import { Projector } from '../../apps/projector/src/projector.js';
import { contents, writeHistory } from './support.js';

/**
 * Fault test (README, Tests and benchmarks): the projector runs as a child process over a
 * SQLite event store and a persistent SqliteDocumentStore with small batches, and is killed
 * with SIGKILL at random points — mid-fold, mid-batch, mid-transaction — several times. Each
 * restart must resume from the checkpoints, and in the end the read models must equal a
 * rebuild from scratch, document for document, in every collection.
 *
 * The child runs the compiled projector (test/projector/projector-child.mjs imports dist/):
 * run `npm run build` before this test, as CI does before `npm test`.
 */
const CHILD = join(process.cwd(), 'test/projector/projector-child.mjs');
const BATCH_SIZE = 7;
const CRASHES = 5;

interface Progress {
  applied: string;
  folded: string;
  caughtUp?: boolean;
  started?: boolean;
  resumedAt?: string;
}

describe('projector crash recovery', () => {
  let dir: string;
  let eventsFile: string;
  let documentsFile: string;
  let snapshotsFile: string;
  let mode: 'batches' | 'snapshots';
  const children = new Set<ChildProcess>();

  beforeAll(() => {
    if (!existsSync(join(process.cwd(), 'dist/apps/projector/src/projector.js'))) {
      throw new Error('dist/ is missing: run `npm run build` before this test (CI does).');
    }
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'projector-crash-'));
    eventsFile = join(dir, 'events.sqlite');
    documentsFile = join(dir, 'documents.sqlite');
    snapshotsFile = join(dir, 'snapshots.sqlite');
  });
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the projector process; resolves when `until` is true of a progress line, then kills it. */
  function runUntil(until: (progress: Progress) => boolean, delayMs: number): Promise<Progress> {
    const args = [CHILD, eventsFile, documentsFile, String(BATCH_SIZE), mode, snapshotsFile];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve, reject) => {
      let seen: Progress | undefined;
      let killing = false;
      createInterface({ input: child.stdout! }).on('line', (line) => {
        seen = JSON.parse(line) as Progress;
        if (killing || !until(seen)) return;
        killing = true;
        // A little later, so the kill lands wherever the child has got to: folding,
        // projecting, or inside a document-store transaction.
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      });
      child.on('exit', (code, signal) => {
        children.delete(child);
        if (signal === 'SIGKILL' && seen) resolve(seen);
        else reject(new Error(`projector child exited (${code ?? signal}) early: ${stderr}`));
      });
    });
  }

  async function checkpoints(): Promise<number[]> {
    const documents = new SqliteDocumentStore(documentsFile, PROJECTION_INDEXES);
    try {
      return await Promise.all(
        ALL_PROJECTIONS.map(async (projection) =>
          Number(await documents.checkpoint(checkpointName(projection))),
        ),
      );
    } finally {
      await documents.close();
    }
  }

  it('killed mid-batch again and again, resumes and ends equal to a rebuild from scratch', async () => {
    mode = 'batches';
    const events = new SqliteEventStore(eventsFile);
    await writeHistory(events, { organizations: 6, commands: 400, seed: 11 });
    const head = Number(await events.headPosition());
    expect(head).toBeGreaterThan(2000);

    let previous = await checkpoints();
    let interrupted = 0;
    for (let crash = 1; crash <= CRASHES; crash++) {
      // Aim each kill a little further into the history; the last ones also hit the fold.
      const target = Math.floor((head * crash) / (CRASHES + 1));
      await runUntil(
        (progress) => Number(progress.applied) >= target || progress.caughtUp === true,
        Math.floor(Math.random() * 5),
      );
      const now = await checkpoints();
      now.forEach((checkpoint, i) => expect(checkpoint).toBeGreaterThanOrEqual(previous[i]));
      if (now.some((checkpoint) => checkpoint > 0 && checkpoint < head)) interrupted += 1;
      previous = now;
    }
    // The kills really landed part way through, not after the work was done.
    expect(interrupted).toBeGreaterThanOrEqual(3);

    // More history while the projector is down, then one more kill during the refold.
    await writeHistory(events, { organizations: 3, commands: 100, seed: 12 });
    await runUntil((progress) => Number(progress.folded) >= head / 2, 0);
    await expectEqualToARebuild(events);
  }, 120_000);

  it('the embedded default: killed in its bulk build and mid-batch with its folds snapshotted, resumes from the snapshots and ends equal to a rebuild', async () => {
    mode = 'snapshots';
    const events = new SqliteEventStore(eventsFile);
    await writeHistory(events, { organizations: 6, commands: 400, seed: 21 });
    const head = await events.headPosition();
    // Killed in the first start's bulk build: nothing is applied until it is all written.
    await runUntil((progress) => Number(progress.folded) >= Number(head) / 2, 0);
    expect(new Set(await checkpoints())).toEqual(new Set([0]));
    // Then it builds, and snapshots its folds once caught up.
    await runUntil((progress) => progress.caughtUp === true, 0);
    expect(await checkpoints()).toEqual(ALL_PROJECTIONS.map(() => Number(head)));

    // More history, projected in small batches with the folds snapshotted after each, and
    // killed part way through, again and again: each start restores the folds.
    for (let crash = 1; crash <= 3; crash++) {
      await writeHistory(events, { organizations: 3, commands: 150, seed: 21 + crash });
      const before = Math.min(...(await checkpoints()));
      await runUntil(
        (progress) => Number(progress.applied) > before || progress.caughtUp === true,
        Math.floor(Math.random() * 5),
      );
    }
    // A start resumes at the lowest checkpoint, the folds restored up to it, not from 0.
    const lowest = Math.min(...(await checkpoints()));
    const started = await runUntil((progress) => progress.started === true, 0);
    expect(Number(started.resumedAt)).toBe(lowest);
    expect(lowest).toBeGreaterThan(0);
    await expectEqualToARebuild(events);
  }, 120_000);

  /** Runs the child to the head, then compares its read models with a fresh in-memory build. */
  async function expectEqualToARebuild(events: SqliteEventStore): Promise<void> {
    const finalHead = await events.headPosition();
    await runUntil((progress) => progress.caughtUp === true && progress.applied === finalHead, 0);
    expect(await checkpoints()).toEqual(ALL_PROJECTIONS.map(() => Number(finalHead)));

    const reference = new MemoryDocumentStore(PROJECTION_INDEXES);
    const rebuild = new Projector(events, reference, ALL_PROJECTIONS, {
      batchSize: 1000,
      maxBatchDelayMs: 0,
    });
    await rebuild.start();
    await rebuild.stop();
    const survived = new SqliteDocumentStore(documentsFile, PROJECTION_INDEXES);
    try {
      const [actual, expected] = [
        await contents(survived, PROJECTION_INDEXES),
        await contents(reference, PROJECTION_INDEXES),
      ];
      expect(Object.values(expected).flat().length).toBeGreaterThan(1000);
      for (const collection of Object.keys(PROJECTION_INDEXES)) {
        expect({ collection, documents: actual[collection] }).toEqual({
          collection,
          documents: expected[collection],
        });
      }
    } finally {
      await survived.close();
      await events.close();
    }
  }
});
