import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEventId, type NewEvent, SqliteEventStore } from '#libs/event-store';
import { RawStreamTable, type RawStreamRow, RawTable } from './raw-table.js';
import { compare, header, type Loop, measure, report } from './report.js';

/**
 * The SQLite event store (synchronous=FULL, the embedded default) against raw better-sqlite3
 * doing the same work on a plain table with a unique index, on the same disk, in the same run.
 * Appends are also put beside raw inserts into the store's own table shape (its second unique
 * index, on stream and revision), which splits their cost into the schema's and the adapter's.
 * Every row gets the event ids the command side makes (`newEventId`, UUIDv7, ADR 20): the id
 * index's cost depends on them.
 */

/** Figure and raw limits alternate in rounds so disk noise hits them alike. */
const ROUNDS = 3;
const ROUND_MS = 1000;
const CONCURRENCY = 64;
const BATCH = 100;

type Body = (loop: Loop) => void | Promise<void>;

export async function eventStoreBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-event-store-'));
  const raw = new RawTable(join(dir, 'raw.sqlite'));
  const shaped = new RawStreamTable(join(dir, 'raw-shaped.sqlite'));
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

    // Each round starts CONCURRENCY fresh streams, as that many organizations would. Group
    // commit writes them all in one transaction: the limit is those rows in one transaction.
    const concurrent = await interleave('concurrent appends', {
      figure: async (loop) => {
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
      },
      plain: insertInGroups(raw, CONCURRENCY),
      shaped: (loop) => {
        const streams = Array.from({ length: CONCURRENCY }, () => ({
          stream: `bench-concurrent-${randomUUID()}`,
          revision: -1,
        }));
        while (loop.running()) {
          shaped.insertMany(
            streams.map((s) => ({ stream: s.stream, revision: ++s.revision, event: event() })),
          );
          loop.add(CONCURRENCY);
        }
      },
    });
    const inFlight = `(b) durable appends, ${CONCURRENCY} in flight`;
    report(`${inFlight} (group commit)`, concurrent.figure, single.raw, 'events/s');
    report(
      `${inFlight}, raw ${CONCURRENCY} per tx`,
      concurrent.figure,
      concurrent.plain,
      'events/s',
    );
    report(`${inFlight}, same-shape raw`, concurrent.figure, concurrent.shaped, 'events/s');

    let batchedRevision: number | 'no_stream' = 'no_stream';
    let shapedRevision = -1;
    const batched = await interleave('batched appends', {
      figure: async (loop) => {
        while (loop.running()) {
          const events = Array.from({ length: BATCH }, event);
          batchedRevision = (await store.append('bench-batched', events, batchedRevision)).revision;
          loop.add(BATCH);
        }
      },
      plain: insertInGroups(raw, BATCH),
      shaped: (loop) => {
        while (loop.running()) {
          shaped.insertMany(rowsOf('bench-batched', shapedRevision + 1));
          shapedRevision += BATCH;
          loop.add(BATCH);
        }
      },
    });
    const perAppend = `(c) batched appends, ${BATCH} per append`;
    report(perAppend, batched.figure, batched.plain, 'events/s');
    report(`${perAppend}, same-shape raw`, batched.figure, batched.shaped, 'events/s');

    // A stream per append (an import, many new organizations): the (stream, revision) index
    // takes a new key range each time, where one stream only grows at its end.
    const newStreams = await interleave('batched appends to new streams', {
      figure: async (loop) => {
        while (loop.running()) {
          const events = Array.from({ length: BATCH }, event);
          await store.append(`bench-batched-${randomUUID()}`, events, 'no_stream');
          loop.add(BATCH);
        }
      },
      plain: insertInGroups(raw, BATCH),
      shaped: (loop) => {
        while (loop.running()) {
          shaped.insertMany(rowsOf(`bench-batched-${randomUUID()}`, 0));
          loop.add(BATCH);
        }
      },
    });
    const toNewStreams = `(c) the same, each to a new stream`;
    report(toNewStreams, newStreams.figure, newStreams.plain, 'events/s');
    report(`${toNewStreams}, same-shape raw`, newStreams.figure, newStreams.shaped, 'events/s');

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
    shaped.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `compare` for a figure and several raw limits: each body runs once a round, in turn, so a
 * noisy disk or a busy neighbour hits them alike. Returns the mean rate of each.
 */
async function interleave<K extends string>(
  label: string,
  bodies: Record<K, Body>,
): Promise<Record<K, number>> {
  const names = Object.keys(bodies) as K[];
  const sums = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const name of names) {
      sums[name] += await measure(
        `${label}, ${name}, round ${round}/${ROUNDS}`,
        ROUND_MS,
        bodies[name],
      );
    }
  }
  for (const name of names) sums[name] /= ROUNDS;
  return sums;
}

/** Plain-table rows, `size` to a transaction. */
function insertInGroups(raw: RawTable, size: number): Body {
  return (loop) => {
    while (loop.running()) {
      raw.insertMany(Array.from({ length: size }, event));
      loop.add(size);
    }
  };
}

/** A batch for the same-shape table: BATCH events of `stream` from revision `first` on. */
function rowsOf(stream: string, first: number): RawStreamRow[] {
  return Array.from({ length: BATCH }, (_, i) => ({ stream, revision: first + i, event: event() }));
}

/** A typical access-ledger event: a member's role changed. */
function event(): NewEvent {
  return {
    id: newEventId(),
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
