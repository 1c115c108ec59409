import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewEvent, SqliteEventStore } from '#libs/event-store';
import { RawTable } from './raw-table.js';
import { compare, header, measure, report } from './report.js';

/**
 * The SQLite event store (synchronous=FULL, the embedded default) against raw better-sqlite3
 * doing the same work on a plain table with a unique index, on the same disk, in the same run.
 */

/** Figure and raw limit alternate in rounds so disk noise hits both alike. */
const ROUNDS = 3;
const ROUND_MS = 1000;
const CONCURRENCY = 64;
const BATCH = 100;

export async function eventStoreBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-event-store-'));
  const raw = new RawTable(join(dir, 'raw.sqlite'));
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  try {
    header('event store (SQLite, WAL, synchronous=FULL)');

    let singleRevision: number | 'no_stream' = 'no_stream';
    const single = await compare(
      'single appends',
      ROUNDS,
      ROUND_MS,
      async (loop) => {
        while (loop.running()) {
          singleRevision = (await store.append('bench-single', [event()], singleRevision)).revision;
          loop.add(1);
        }
      },
      (loop) => {
        while (loop.running()) {
          raw.insertOne(event());
          loop.add(1);
        }
      },
    );
    report('(a) durable appends, one at a time', single.figure, single.raw, 'events/s');

    const concurrent = await measure('concurrent appends', ROUNDS * ROUND_MS, async (loop) => {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          const stream = `bench-concurrent-${randomUUID()}`;
          let revision: number | 'no_stream' = 'no_stream';
          while (loop.running()) {
            revision = (await store.append(stream, [event()], revision)).revision;
            loop.add(1);
          }
        }),
      );
    });
    report(
      `(b) durable appends, ${CONCURRENCY} in flight (group commit)`,
      concurrent,
      single.raw,
      'events/s',
    );

    let batchedRevision: number | 'no_stream' = 'no_stream';
    const batched = await compare(
      'batched appends',
      ROUNDS,
      ROUND_MS,
      async (loop) => {
        while (loop.running()) {
          const events = Array.from({ length: BATCH }, event);
          batchedRevision = (await store.append('bench-batched', events, batchedRevision)).revision;
          loop.add(BATCH);
        }
      },
      (loop) => {
        while (loop.running()) {
          raw.insertMany(Array.from({ length: BATCH }, event));
          loop.add(BATCH);
        }
      },
    );
    report(
      `(c) batched appends, ${BATCH} events per append`,
      batched.figure,
      batched.raw,
      'events/s',
    );

    // Fixed-size reads: alternate whole passes rather than time-boxed rounds.
    let rawScan = 0;
    let readAll = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      rawScan += await measure(`raw scan, round ${round}/${ROUNDS}`, Infinity, (loop) => {
        let n = 0;
        for (const row of raw.scan()) {
          JSON.parse(row.data);
          JSON.parse(row.metadata);
          if (++n % 10_000 === 0) loop.add(10_000);
        }
        loop.add(n % 10_000);
      });
      readAll += await measure(`readAll, round ${round}/${ROUNDS}`, Infinity, async (loop) => {
        let n = 0;
        for await (const _event of store.readAll()) {
          if (++n % 10_000 === 0) loop.add(10_000);
        }
        loop.add(n % 10_000);
      });
    }
    report(
      `(d) readAll (${await store.headPosition()} events; raw ${raw.count()} rows)`,
      readAll / ROUNDS,
      rawScan / ROUNDS,
      'events/s',
    );
  } finally {
    await store.close();
    raw.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A typical access-ledger event: a member's role changed. */
function event(): NewEvent {
  return {
    id: randomUUID(),
    type: 'MemberRoleChanged',
    data: { userId: randomUUID(), roleId: 'default_access', previousRoleId: 'full_access' },
    metadata: {
      organizationId: 'org-bench',
      schemaVersion: 1,
      actor: { type: 'user', id: 'user-bench' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
  };
}
