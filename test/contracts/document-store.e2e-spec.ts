import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadSettings } from '#libs/config';
import { START } from '#libs/event-store';
import {
  type CollectionIndexes,
  createDocumentStore,
  DocumentStoreUnavailableError,
  DocumentStoreUsageError,
  MemoryDocumentStore,
  MongoDocumentStore,
  READ_MODELS_FILE,
  SqliteDocumentStore,
} from '#libs/read-models';
import {
  checkpointName,
  CONTRACT_INDEXES,
  documentStoreContract,
  ids,
  organizationId,
  put,
  thing,
  THINGS,
} from './document-store.contract.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'document-store-'));
  dirs.push(dir);
  return join(dir, 'read-models.sqlite');
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

documentStoreContract('memory', (indexes) => new MemoryDocumentStore(indexes));
documentStoreContract(
  'SQLite, temporary file',
  (indexes) => new SqliteDocumentStore(tempFile(), indexes),
);
// A small scan page, so that the contract's scans cross many page boundaries.
documentStoreContract(
  'SQLite, in memory, scan pages of 7',
  (indexes) => new SqliteDocumentStore(':memory:', indexes, { scanPageSize: 7 }),
);

const mongoUrl = process.env.MONGO_URL;
if (mongoUrl) {
  documentStoreContract(
    'MongoDB',
    (indexes) =>
      new MongoDocumentStore(mongoUrl, indexes, {
        databaseName: 'access_ledger_contract',
        serverSelectionTimeoutMS: 5000,
      }),
  );
} else {
  describe.skip('MongoDB adapter (skipped: no server here; set MONGO_URL to run it, docker compose up provides one; issue #4)', () => {
    it('passes the DocumentStore contract', () => undefined);
  });
}

describe('MemoryDocumentStore', () => {
  it('hands out frozen documents, deeply', async () => {
    const store = new MemoryDocumentStore(CONTRACT_INDEXES);
    const org = organizationId();
    await put(store, thing(org, 'a', { tags: ['x'], usage: { n: 1 } }));

    const stored = (await store.get(THINGS, `${org}:a`))!;

    expect(Object.isFrozen(stored)).toBe(true);
    expect(Object.isFrozen(stored.tags)).toBe(true);
    expect(Object.isFrozen(stored.usage)).toBe(true);
    expect(() => {
      stored.kind = 'changed';
    }).toThrow(TypeError);
    await store.close();
  });

  it('finds by index among many documents without walking them all', async () => {
    const store = new MemoryDocumentStore(CONTRACT_INDEXES);
    const orgs = Array.from({ length: 200 }, () => organizationId());
    await store.apply(
      orgs.flatMap((org) =>
        Array.from({ length: 500 }, (_, i) => ({
          type: 'put' as const,
          collection: THINGS,
          document: thing(org, `t${i}`, { kind: i % 2 ? 'odd' : 'even' }),
        })),
      ),
      [],
      '1',
    );

    const started = performance.now();
    for (const org of orgs) {
      const page = await store.find(THINGS, { organizationId: org, kind: 'odd' }, { limit: 20 });
      expect(page).toHaveLength(20);
    }
    // 100,000 documents; 200 indexed queries. A full scan per query would take seconds.
    expect(performance.now() - started).toBeLessThan(1000);
    await store.close();
  });
});

describe('SqliteDocumentStore', () => {
  it('keeps documents, indexes and checkpoints when the file is closed and reopened', async () => {
    const file = tempFile();
    const org = organizationId();
    const name = checkpointName();
    const first = new SqliteDocumentStore(file, CONTRACT_INDEXES);
    await first.apply(
      [
        { type: 'put', collection: THINGS, document: thing(org, 'a', { kind: 'widget', n: [1] }) },
        { type: 'put', collection: THINGS, document: thing(org, 'b', { kind: 'gadget' }) },
      ],
      [name],
      '12',
    );
    await first.close();

    const reopened = new SqliteDocumentStore(file, CONTRACT_INDEXES);

    expect(await reopened.get(THINGS, `${org}:a`)).toEqual(
      thing(org, 'a', { kind: 'widget', n: [1] }),
    );
    expect(
      await ids(reopened.find(THINGS, { organizationId: org, kind: 'gadget' }, { limit: 9 })),
    ).toEqual([`${org}:b`]);
    expect(await reopened.checkpoint(name)).toBe('12');
    await reopened.close();
  });

  it('indexes a field declared after the file was made, over the documents already in it', async () => {
    const file = tempFile();
    const org = organizationId();
    const before = new SqliteDocumentStore(file, { [THINGS]: ['organizationId'] });
    await put(before, thing(org, 'a', { colour: 'red' }), thing(org, 'b', { colour: 'blue' }));
    await before.close();

    const after = new SqliteDocumentStore(file, { [THINGS]: ['organizationId', 'colour'] });

    expect(
      await ids(after.find(THINGS, { organizationId: org, colour: 'red' }, { limit: 9 })),
    ).toEqual([`${org}:a`]);
    await after.close();
    const db = new Database(file, { readonly: true });
    const indexes = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`)
      .all(THINGS) as { name: string }[];
    db.close();
    expect(indexes.map((index) => index.name)).toContain(`${THINGS}__colour`);
  });

  it('opens the file in WAL mode', async () => {
    const file = tempFile();
    const store = new SqliteDocumentStore(file, CONTRACT_INDEXES);
    await put(store, thing(organizationId(), 'a'));
    await store.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('rolls back the whole apply, checkpoint included, when a statement fails mid-batch', async () => {
    const file = tempFile();
    const org = organizationId();
    const name = checkpointName();
    const store = new SqliteDocumentStore(file, CONTRACT_INDEXES);
    await store.apply(
      [{ type: 'put', collection: THINGS, document: thing(org, 'kept') }],
      [name],
      '1',
    );
    // Another connection makes the third write of the next batch fail inside SQLite, after the
    // first two have run in the same transaction.
    const saboteur = new Database(file);
    saboteur.exec(
      `CREATE TRIGGER refuse_boom BEFORE INSERT ON ${THINGS}
       WHEN NEW._id LIKE '%:boom' BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`,
    );
    saboteur.close();

    const error = await store
      .apply(
        [
          { type: 'put', collection: THINGS, document: thing(org, 'first') },
          { type: 'delete', collection: THINGS, id: `${org}:kept` },
          { type: 'put', collection: THINGS, document: thing(org, 'boom') },
        ],
        [name],
        '2',
      )
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DocumentStoreUnavailableError);
    expect((error as Error).message).toMatch(/simulated failure/);
    await expect(store.get(THINGS, `${org}:first`)).resolves.toBeUndefined();
    expect(await store.get(THINGS, `${org}:kept`)).toBeDefined();
    expect(await store.checkpoint(name)).toBe('1');
    // And the store goes on working.
    await store.apply(
      [{ type: 'put', collection: THINGS, document: thing(org, 'next') }],
      [name],
      '3',
    );
    expect(await store.checkpoint(name)).toBe('3');
    await store.close();
  });

  it('sees what another connection to the same file committed', async () => {
    const file = tempFile();
    const org = organizationId();
    const writer = new SqliteDocumentStore(file, CONTRACT_INDEXES);
    const reader = new SqliteDocumentStore(file, CONTRACT_INDEXES);

    await put(writer, thing(org, 'a', { kind: 'widget' }));

    expect(
      await ids(reader.find(THINGS, { organizationId: org, kind: 'widget' }, { limit: 9 })),
    ).toEqual([`${org}:a`]);
    await writer.close();
    await reader.close();
  });

  it('refuses collection and field names that are not plain identifiers', () => {
    const refused: CollectionIndexes[] = [
      { 'things; DROP TABLE x': [] },
      { _checkpoints: [] },
      { things: ["a') --"] },
      { things: ['__proto__'] },
    ];
    for (const indexes of refused) {
      expect(() => new SqliteDocumentStore(':memory:', indexes)).toThrow(DocumentStoreUsageError);
    }
  });
});

describe('MongoDocumentStore without a server', () => {
  it('fails with DocumentStoreUnavailableError naming MONGO_URL once server selection times out', async () => {
    // Port 9 (discard) on loopback: nothing answers, so server selection fails fast.
    const store = new MongoDocumentStore(
      'mongodb://127.0.0.1:9/?directConnection=true',
      CONTRACT_INDEXES,
      {
        serverSelectionTimeoutMS: 200,
      },
    );

    const error = await store.checkpoint('c').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DocumentStoreUnavailableError);
    expect((error as Error).message).toMatch(/MONGO_URL/);
    await store.close();
  });

  it('refuses a malformed URL at construction, clearly', () => {
    expect(() => new MongoDocumentStore('not-a-url', CONTRACT_INDEXES)).toThrow(/MONGO_URL/);
  });

  it('refuses bad requests before touching the server', async () => {
    const store = new MongoDocumentStore('mongodb://127.0.0.1:9/', CONTRACT_INDEXES, {
      serverSelectionTimeoutMS: 60_000,
    });
    const started = performance.now();

    await expect(
      store.find(THINGS, { organizationId: 'o', colour: 'red' }, { limit: 1 }),
    ).rejects.toMatchObject({ code: 'UNINDEXED_FILTER' });
    await expect(store.find(THINGS, { organizationId: 'o' }, { limit: 0 })).resolves.toEqual([]);
    await expect(store.apply([], [], '1')).resolves.toBeUndefined();

    expect(performance.now() - started).toBeLessThan(1000);
    await store.close();
  });
});

describe('createDocumentStore', () => {
  it('builds the SQLite store in DATA_DIR when MONGO_URL is unset, and it persists', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'read-models-'));
    try {
      const settings = loadSettings({ DATA_DIR: dataDir });
      const store = createDocumentStore(settings, CONTRACT_INDEXES);
      expect(store).toBeInstanceOf(SqliteDocumentStore);
      await expect(store.checkpoint('c')).resolves.toBe(START);
      await store.apply([], ['c'], '42');
      await store.close();
      expect(existsSync(join(dataDir, READ_MODELS_FILE))).toBe(true);
      const reopened = createDocumentStore(settings, CONTRACT_INDEXES);
      await expect(reopened.checkpoint('c')).resolves.toBe('42');
      await reopened.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('builds the MongoDB store when MONGO_URL is set', async () => {
    const store = createDocumentStore(
      loadSettings({ MONGO_URL: 'mongodb://127.0.0.1:9/?replicaSet=rs0' }),
      CONTRACT_INDEXES,
    );
    expect(store).toBeInstanceOf(MongoDocumentStore);
    await store.close();
  });
});
