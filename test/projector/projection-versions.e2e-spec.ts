import { SqliteEventStore } from '#libs/event-store';
import {
  ALL_PROJECTIONS,
  checkpointName,
  MemoryDocumentStore,
  membersProjection,
  PROJECTION_INDEXES,
  type DocumentChange,
  type DocumentStore,
  type Projection,
} from '#libs/read-models';
import { Projector } from '../../apps/projector/src/projector.js';
import { contents, writeHistory } from './support.js';

/**
 * ADR 20: each projection declares a version; a start that finds one changed rebuilds that
 * projection alone, from position 0, while the others resume from their checkpoints.
 */
describe('projection versions', () => {
  const run = async (
    events: SqliteEventStore,
    documents: DocumentStore,
    projections: readonly Projection[],
  ) => {
    const projector = new Projector(events, documents, projections, {
      batchSize: 100,
      maxBatchDelayMs: 0,
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });
    await projector.start();
    await projector.stop();
  };

  it('a changed version rebuilds that projection alone; the others keep their documents and checkpoints', async () => {
    const events = new SqliteEventStore(':memory:');
    await writeHistory(events, { organizations: 3, commands: 150, seed: 31 });
    const documents = new MemoryDocumentStore(PROJECTION_INDEXES);
    await run(events, documents, ALL_PROJECTIONS);
    const before = await contents(documents, PROJECTION_INDEXES);
    const head = await events.headPosition();

    // The next release changes the members projection: same name, a new version.
    const members2 = { ...membersProjection, version: (membersProjection.version ?? 0) + 1 };
    const next = ALL_PROJECTIONS.map((p) => (p === membersProjection ? members2 : p));
    const written = new Set<string>();
    const apply = documents.apply.bind(documents);
    documents.apply = (changes: readonly DocumentChange[], checkpoints, position) => {
      for (const change of changes) written.add(change.collection);
      return apply(changes, checkpoints, position);
    };
    await run(events, documents, next);

    expect([...written]).toEqual(Object.keys(membersProjection.collections));
    expect(await documents.checkpoint(checkpointName(members2))).toBe(head);
    for (const projection of ALL_PROJECTIONS) {
      expect(await documents.checkpoint(checkpointName(projection))).toBe(head);
    }
    expect(await contents(documents, PROJECTION_INDEXES)).toEqual(before);
    await events.close();
  });
});
