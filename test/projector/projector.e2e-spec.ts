import { SqliteEventStore, type Position } from '#libs/event-store';
import { MemoryDocumentStore, type Projection } from '#libs/read-models';
import { ProjectionFailedError } from '../../apps/projector/src/projection-fold.js';
import { Projector } from '../../apps/projector/src/projector.js';
import type { ProjectorOptions } from '../../apps/projector/src/projector.options.js';
import {
  contents,
  eventLogProjection,
  memberCountProjection,
  recordingLogger,
  RecordingDocumentStore,
  SECRET_IN_ERROR,
  TEST_INDEXES,
  TEST_PROJECTIONS,
  writeHistory,
} from './support.js';

/**
 * The projector in process, on a real SQLite event store and the in-memory document store,
 * with two test projections whose documents say exactly which events were projected.
 */
describe('Projector', () => {
  let events: SqliteEventStore;
  let documents: RecordingDocumentStore;
  const projectors: Projector[] = [];

  beforeEach(async () => {
    events = new SqliteEventStore(':memory:');
    documents = new RecordingDocumentStore(new MemoryDocumentStore(TEST_INDEXES));
    await writeHistory(events, { organizations: 3, commands: 25, seed: 1 });
  });
  afterEach(async () => {
    await Promise.all(projectors.splice(0).map((projector) => projector.stop()));
    await events.close();
  });

  function projector(
    options: Partial<ProjectorOptions> = {},
    projections: readonly Projection[] = TEST_PROJECTIONS,
  ): Projector {
    const created = new Projector(events, documents, projections, {
      batchSize: 10,
      maxBatchDelayMs: 0,
      logger: recordingLogger(),
      backoff: { initialMs: 1, maxMs: 5 },
      ...options,
    });
    projectors.push(created);
    return created;
  }

  const eventLog = async () =>
    (await contents(documents, TEST_INDEXES)).test_events.map((document) => Number(document._id));
  const range = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('catches up with the history in batches, then applies events appended after start', async () => {
    const head = await events.headPosition();
    const running = projector();
    await running.start();
    expect(running.position()).toBe(head);
    expect(running.status()).toBe('live');
    expect(await eventLog()).toEqual(range(1, Number(head)));
    // At most batchSize events per apply: two changes an event, one per projection.
    expect(Math.max(...documents.applied.map((call) => call.changes))).toBeLessThanOrEqual(20);

    await writeHistory(events, { organizations: 2, commands: 10, seed: 2 });
    const newHead = await events.headPosition();
    expect(await running.waitFor(newHead, 2000)).toBe(true);
    expect(running.position()).toBe(newHead);
    expect(await eventLog()).toEqual(range(1, Number(newHead)));
    expect(await running.lag()).toBe(0);
  });

  it('waitFor: true at once when reached, true when reached later, false on timeout or stop', async () => {
    const running = projector();
    await running.start();
    const head = await events.headPosition();
    await expect(running.waitFor(head, 0)).resolves.toBe(true);
    await expect(running.waitFor('1', 0)).resolves.toBe(true);

    const next = String(Number(head) + 1);
    const started = performance.now();
    await expect(running.waitFor(next, 50)).resolves.toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);

    const waiting = running.waitFor(next, 5000);
    await writeHistory(events, { organizations: 1, commands: 1, seed: 3 });
    await expect(waiting).resolves.toBe(true);

    const far = running.waitFor('1000000000', 5000);
    await running.stop();
    await expect(far).resolves.toBe(false);
    await expect(running.waitFor('abc', 10)).rejects.toThrow(RangeError);
  });

  it('retries a failing apply with backoff and skips nothing; the log carries no driver message', async () => {
    const logger = recordingLogger();
    documents.failures = 4;
    const running = projector({ logger });
    await running.start();
    const head = await events.headPosition();
    expect(documents.attempts).toBe(documents.applied.length + 4);
    expect(await eventLog()).toEqual(range(1, Number(head)));
    const positions = documents.applied.map((call) => Number(call.position));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    expect(logger.lines.filter((line) => line.includes('retrying'))).toHaveLength(4);
    expect(logger.lines.join('\n')).toContain('(Error (11000))');
    expect(logger.lines.join('\n')).not.toContain(SECRET_IN_ERROR);
  });

  it('resumes after a restart from the checkpoints, projecting only newer events', async () => {
    const first = projector();
    await first.start();
    await first.stop();
    const oldHead = Number(await events.headPosition());
    await writeHistory(events, { organizations: 2, commands: 5, seed: 4 });
    const newHead = Number(await events.headPosition());
    documents.applied.length = 0;

    const second = projector();
    await second.start();
    expect(second.position()).toBe(String(newHead));
    const projected = documents.applied.reduce((sum, call) => sum + call.changes, 0);
    expect(projected).toBe(2 * (newHead - oldHead));
    expect(Math.min(...documents.applied.map((call) => Number(call.position)))).toBeGreaterThan(
      oldHead,
    );
    expect(await eventLog()).toEqual(range(1, newHead));
  });

  it('rebuilds one projection from 0 while the other keeps its checkpoint', async () => {
    const first = projector();
    await first.start();
    await first.stop();
    const head = await events.headPosition();
    const expected = await contents(documents, TEST_INDEXES);

    await documents.reset(Object.keys(memberCountProjection.collections), [
      memberCountProjection.name,
    ]);
    documents.applied.length = 0;
    const rebuilding = projector();
    await rebuilding.start();
    expect(documents.applied.length).toBeGreaterThan(0);
    for (const call of documents.applied) {
      expect(call.checkpoints).toEqual([memberCountProjection.name]);
    }
    expect(await documents.checkpoint(eventLogProjection.name)).toBe(head);
    expect(await documents.checkpoint(memberCountProjection.name)).toBe(head);
    expect(await contents(documents, TEST_INDEXES)).toEqual(expected);

    // Past the head, both move together again.
    await writeHistory(events, { organizations: 1, commands: 3, seed: 5 });
    const newHead = await events.headPosition();
    expect(await rebuilding.waitFor(newHead, 2000)).toBe(true);
    expect(await documents.checkpoint(eventLogProjection.name)).toBe(newHead);
  });

  it('stops at an event a projection throws on, applying nothing from it on', async () => {
    const failAt = 40;
    const broken: Projection<void> = {
      name: 'broken',
      collections: {},
      scope: () => undefined,
      project: (event) => {
        if (Number(event.position) === failAt) throw new Error(`cannot project ${SECRET_IN_ERROR}`);
        return [];
      },
    };
    const logger = recordingLogger();
    const running = projector({ logger }, [...TEST_PROJECTIONS, broken as Projection]);
    const started = running.start();
    await expect(started).rejects.toBeInstanceOf(ProjectionFailedError);
    await expect(started).rejects.toThrow(/broken failed on event .* at position 40/);
    expect(running.status()).toBe('failed');
    const checkpoint: Position = await documents.checkpoint('broken');
    expect(Number(checkpoint)).toBeLessThan(failAt);
    expect((await eventLog()).every((position) => position < failAt)).toBe(true);
    await expect(running.waitFor(String(failAt), 1000)).resolves.toBe(false);
    expect(logger.lines.join('\n')).not.toContain(SECRET_IN_ERROR);
  });

  it('reports progress up to caught up', async () => {
    const reports: boolean[] = [];
    const running = projector({ onProgress: (progress) => reports.push(progress.caughtUp) });
    await running.start();
    expect(reports.length).toBeGreaterThan(2);
    expect(reports.at(-1)).toBe(true);
  });
});
