import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { organizationStream } from '#libs/domain';
import { SqliteEventStore } from '#libs/event-store';
import {
  decodeSnapshotValue,
  encodeSnapshotValue,
  historySnapshotStream,
  ORGANIZATION_HISTORY_FOLD_VERSION,
  SqliteSnapshotStore,
} from '#libs/snapshots';
import { CommandExecutor } from '../apps/command-service/src/infrastructure/command-executor.js';
import { organizationAggregate } from '../apps/command-service/src/organizations/aggregates.js';
import { OrganizationHistory } from '../apps/query-service/src/history/organization-history.js';
import { appendInvitations, organization } from './commands.bench.js';
import { header, report } from './report.js';

/**
 * Snapshots (ADR 19), docs/benchmarks.md#targets: "an organization with 100,000 members: command
 * latency within 2x of a small one" — the cold load of such an organization (a restart, another
 * instance) from a snapshot beside the fold of its whole stream (the raw figure: what it cost
 * before); and as-of reads (R33) at random past positions, beside the same read at the head.
 */
const MEMBERS = 100_000;
const EVERY = 1000;
const AS_OF_READS = 20;

export async function snapshotsBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-snapshots-'));
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  const snapshots = new SqliteSnapshotStore(join(dir, 'snapshots.sqlite'));
  const withSnapshots = () =>
    new CommandExecutor(store, 5, undefined, undefined, { store: snapshots, every: EVERY });
  try {
    header(`snapshots (SQLite), an organization of ${MEMBERS.toLocaleString('en')} members`);
    const setup = new CommandExecutor(store, 5);
    const large = await organization(setup, store, 0);
    await appendInvitations(store, large.organizationId, MEMBERS);
    const stream = organizationStream(large.organizationId);

    // Leave a snapshot as the command side does: a warm load saves one in the background.
    const warm = withSnapshots();
    await warm.load(organizationAggregate, large.organizationId);
    await waitFor(
      async () => (await snapshots.latest(stream, { foldVersion: foldVersion() })) !== undefined,
    );
    // Then some commands after it, as a live organization has (fewer than EVERY).
    for (let i = 0; i < 100; i++) await large.toggleRole();
    const executor = withSnapshots();
    // Before (a cold executor folds every event of the stream) and after, alternated three
    // times so that a collection or a busy neighbour weighs on both alike; medians.
    const full: number[] = [];
    const cold: number[] = [];
    for (let round = 0; round < 3; round++) {
      full.push(
        await timed(() =>
          new CommandExecutor(store, 5).load(organizationAggregate, large.organizationId),
        ),
      );
      cold.push(
        await timed(() => withSnapshots().load(organizationAggregate, large.organizationId)),
      );
    }
    const fullMs = median(full);
    const coldMs = median(cold);
    report('cold load from a snapshot vs a full fold (lower better)', coldMs, fullMs, 'ms');

    // What N weighs: encoding (paid every N events, after the answer), decoding (each cold
    // load), and folding one event (each of the up to N after the snapshot).
    const state = await executor.load(organizationAggregate, large.organizationId);
    let bytes: Uint8Array = new Uint8Array();
    const encodeMs = await timed(async () => {
      bytes = encodeSnapshotValue({ state, recent: [] });
    });
    const decodeMs = await timed(async () => decodeSnapshotValue(bytes));
    const perEventUs = (fullMs * 1000) / MEMBERS;
    report('snapshot encode, 100,000 members vs a full fold', encodeMs, fullMs, 'ms');
    report('snapshot decode, 100,000 members vs a full fold', decodeMs, fullMs, 'ms');
    console.log(
      `    snapshot size ${(bytes.length / 1e6).toFixed(1)} MB; a fold costs ${perEventUs.toFixed(1)} µs/event, so ${EVERY} events after a snapshot add ~${((perEventUs * EVERY) / 1000).toFixed(0)} ms`,
    );

    // R33 as-of reads at random past positions, with the history's snapshots (made by the
    // reads themselves), beside the same read at the head without any.
    const events = await store.readStream(stream);
    const plain = new OrganizationHistory(store);
    const history = new OrganizationHistory(store, { store: snapshots, every: EVERY });
    const headMs = await timed(() =>
      plain.at(large.organizationId, { kind: 'position', position: events.at(-1)!.position }),
    );
    const times: number[] = [];
    for (let i = 0; i < AS_OF_READS; i++) {
      const event = events[Math.floor(Math.random() * events.length)];
      times.push(
        await timed(() =>
          history.at(large.organizationId, { kind: 'position', position: event.position }),
        ),
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
    const kept = await countKept(snapshots, historySnapshotStream(stream), events.length - 1);
    times.sort((a, b) => a - b);
    report(
      `as-of p50 at random positions (${AS_OF_READS} reads) vs the head, full fold`,
      times[Math.floor(times.length / 2)],
      headMs,
      'ms',
    );
    report(
      'as-of p99 at random positions vs the head, full fold',
      times[Math.floor(times.length * 0.99)],
      headMs,
      'ms',
    );
    console.log(`    history snapshots kept for the stream: ${kept}`);
  } finally {
    await store.close();
    await snapshots.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const foldVersion = () => `${organizationAggregate.foldVersion}+recent-commands@1+codec@2`;

function median(values: number[]): number {
  return [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600 && !(await condition()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function countKept(snapshots: SqliteSnapshotStore, stream: string, head: number) {
  let count = 0;
  let bound = head;
  for (;;) {
    const found = await snapshots.latest(stream, {
      foldVersion: ORGANIZATION_HISTORY_FOLD_VERSION,
      maxRevision: bound,
    });
    if (!found) return count;
    count++;
    bound = found.revision - 1;
  }
}
