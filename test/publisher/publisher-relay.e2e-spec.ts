import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { generateApiKeySecret } from '#libs/auth';
import type { Actor, OrganizationCommand } from '#libs/domain';
import type { SqliteEventStore } from '#libs/event-store';
import type { CloudEvent } from '#libs/messaging';
import { InMemoryCheckpointStore } from '../../apps/publisher/src/checkpoint-store.js';
import {
  InMemoryPublisher,
  type PublishedRecord,
} from '../../apps/publisher/src/in-memory-publisher.js';
import { registerPublisherMetrics } from '../../apps/publisher/src/publisher-metrics.js';
import { PublisherRelay } from '../../apps/publisher/src/publisher-relay.js';
import type { Publisher } from '../../apps/publisher/src/publisher.port.js';
import { SqliteCheckpointStore } from '../../apps/publisher/src/sqlite-checkpoint-store.js';
import { ADMIN } from '../messaging/fixtures/every-event-type.js';
import { allEvents, Commands, openStore, tempDir } from './support.js';

const FAST = { initialMs: 1, maxMs: 8 };
const admin: Actor = { type: 'user', subject: 'sub-admin', email: ADMIN.email, groups: [] };
const invite = (email: string): OrganizationCommand => ({
  type: 'InviteMember',
  data: { userId: randomUUID(), email },
  metadata: { actor: admin, now: new Date().toISOString() },
});

/** Per organization, the event ids in the order the broker received them. */
function idsByOrganization(records: PublishedRecord[]): Map<string, string[]> {
  const byOrganization = new Map<string, string[]>();
  for (const record of records) {
    const ids = byOrganization.get(record.key) ?? [];
    ids.push(record.headers.ce_id);
    byOrganization.set(record.key, ids);
  }
  return byOrganization;
}

describe('PublisherRelay: store -> broker, at least once, in order per organization', () => {
  let dir: string;
  let store: SqliteEventStore;
  let commands: Commands;

  beforeEach(() => {
    dir = tempDir();
    store = openStore(dir);
    commands = new Commands(store);
  });
  afterEach(() => store.close());

  it('publishes every stored event in order and checkpoints the last one acknowledged', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await Promise.all([commands.everyEventType(a), commands.everyEventType(b)]);
    const publisher = new InMemoryPublisher();
    const checkpoints = new InMemoryCheckpointStore();
    const relay = new PublisherRelay(store, publisher, checkpoints, { batchSize: 7 });
    await relay.start();
    // Live events too, after catch-up.
    await commands.run(a, invite('late@acme.test'));
    const head = await store.headPosition();
    await relay.waitFor(head);
    await relay.stop();

    const stored = await allEvents(store);
    expect(publisher.records.map((record) => record.headers.ce_id)).toEqual(
      stored.map((event) => event.id),
    );
    expect(await checkpoints.load('publisher')).toBe(head);
    expect(publisher.publishCalls).toBeGreaterThan(stored.length / 7 - 1);
  });

  it('checkpoints only after the broker acknowledged, and retries with exponential backoff', async () => {
    const organizationId = randomUUID();
    const head = await commands.everyEventType(organizationId);
    const publisher = new InMemoryPublisher();
    publisher.failNext(5);
    const checkpoints = new InMemoryCheckpointStore();
    const saved: string[] = [];
    const original = checkpoints.save.bind(checkpoints);
    checkpoints.save = async (name, position) => {
      // Everything up to the checkpoint must already be on the broker.
      const acknowledged = publisher.records.map((record) => record.headers.ce_position);
      expect(acknowledged).toContain(position);
      saved.push(position);
      return original(name, position);
    };
    const delays: string[] = [];
    const relay = new PublisherRelay(store, publisher, checkpoints, {
      backoff: { initialMs: 2, maxMs: 10 },
      logger: { log: () => {}, error: () => {}, warn: (message) => delays.push(message) },
    });
    await relay.start();
    await relay.waitFor(head);
    await relay.stop();
    expect(delays.map((message) => /retrying in (\d+) ms/.exec(message)?.[1])).toEqual([
      '2',
      '4',
      '8',
      '10',
      '10',
    ]);
    expect(saved.at(-1)).toBe(head);
    expect(publisher.publishCalls).toBe(6);
  });

  it('exposes lag while the broker is down, and catches up when it is back', async () => {
    const organizationId = randomUUID();
    const head = await commands.everyEventType(organizationId);
    const publisher = new InMemoryPublisher();
    publisher.failNext(Number.POSITIVE_INFINITY);
    const relay = new PublisherRelay(store, publisher, new InMemoryCheckpointStore(), {
      backoff: FAST,
    });
    const registry = new Registry();
    registerPublisherMetrics(registry, relay);
    await relay.start();
    await waitUntil(async () => (await relay.lag()).failedAttempts >= 3);
    const lag = await relay.lag();
    expect(lag).toEqual(
      expect.objectContaining({
        status: 'retrying',
        checkpoint: '0',
        head,
        positionsBehind: Number(head),
      }),
    );
    expect(lag.pendingEvents).toBeGreaterThan(0);
    expect(await registry.metrics()).toMatch(
      new RegExp(`^access_ledger_publish_lag_positions ${head}$`, 'm'),
    );
    expect(publisher.records).toEqual([]);

    publisher.failNext(0);
    await relay.waitFor(head);
    expect(await relay.lag()).toEqual(
      expect.objectContaining({ status: 'running', positionsBehind: 0 }),
    );
    await relay.stop();
  });

  it('skips and reorders nothing across broker failures and relay restarts while commands run', async () => {
    const organizations = [randomUUID(), randomUUID(), randomUUID()];
    await Promise.all(
      organizations.map((organizationId) => commands.everyEventType(organizationId)),
    );
    const publisher = new InMemoryPublisher();
    const checkpointFile = join(dir, 'checkpoints.sqlite');
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const organizationId = organizations[i % organizations.length];
        await commands.run(organizationId, invite(`m${i}@acme.test`));
      }
    })();

    for (let round = 0; round < 6; round++) {
      // Each run of the relay meets a broker that fails, sometimes after writing part of a batch.
      publisher.failNext(1 + (round % 3), { partial: round % 2 === 0 ? 3 : 0 });
      const checkpoints = new SqliteCheckpointStore(checkpointFile);
      const relay = new PublisherRelay(store, publisher, checkpoints, {
        batchSize: 10,
        backoff: FAST,
      });
      await relay.start();
      await new Promise((resolve) => setTimeout(resolve, 30 + round * 10));
      await relay.stop();
      await checkpoints.close();
    }
    writing = false;
    await writer;

    // A last, healthy run drains what is left.
    const checkpoints = new SqliteCheckpointStore(checkpointFile);
    const relay = new PublisherRelay(store, publisher, checkpoints, {
      batchSize: 10,
      backoff: FAST,
    });
    await relay.start();
    await relay.waitFor(await store.headPosition());
    await relay.stop();
    await checkpoints.close();

    const stored = await allEvents(store);
    const published = idsByOrganization(publisher.records);
    for (const organizationId of organizations) {
      const expected = stored.filter((event) => event.metadata.organizationId === organizationId);
      const received = published.get(organizationId) ?? [];
      // At least once: every event, first seen in stream order.
      expect([...new Set(received)]).toEqual(expected.map((event) => event.id));
      // In order: a repeat only ever goes back (a redelivery from a checkpoint), never skips ahead.
      const revisionOf = new Map(expected.map((event) => [event.id, event.revision]));
      const revisions = received.map((id) => revisionOf.get(id) as number);
      revisions.slice(1).forEach((revision, i) => {
        if (revision !== revisions[i] + 1) expect(revision).toBeLessThanOrEqual(revisions[i]);
      });
    }
    expect(publisher.records.length).toBeGreaterThan(stored.length); // the failures did redeliver
  });

  it('stops at an event type it cannot publish, rather than skip it (S2: unknown data stays in)', async () => {
    const organizationId = randomUUID();
    await commands.run(organizationId, {
      type: 'CreateOrganization',
      data: {
        organizationId,
        name: 'Acme',
        catalog: [],
        firstUser: ADMIN,
        defaultWorkspaceId: randomUUID(),
      },
      metadata: { actor: { type: 'support', id: 'support-1' }, now: new Date().toISOString() },
    });
    const before = await store.headPosition();
    await store.append(
      `organization-${organizationId}`,
      [
        {
          id: randomUUID(),
          type: 'SecretRotated',
          data: { secret: 'never' },
          metadata: {
            organizationId,
            schemaVersion: 1,
            actor: { type: 'system', id: 'test' },
            correlationId: 'c',
            causationId: 'c',
          },
        },
      ],
      'any',
    );
    await commands.run(organizationId, invite('after@acme.test'));
    const publisher = new InMemoryPublisher();
    const checkpoints = new InMemoryCheckpointStore();
    const relay = new PublisherRelay(store, publisher, checkpoints, { batchSize: 1 });
    await relay.start();
    await waitUntil(async () => relay.status === 'failed');
    expect(await checkpoints.load('publisher')).toBe(before);
    expect(JSON.stringify(publisher.records)).not.toContain('never');
    expect(publisher.records.map((record) => record.headers.ce_type)).not.toContain(
      'MemberInvited',
    );
    expect((await relay.lag()).lastError).toMatch(/SecretRotated/);
    await relay.stop();
  });
});

describe('S2: nothing of an API key secret leaves the process', () => {
  it('hands the publisher no secret and no hash, in envelopes or on the wire', async () => {
    const store = openStore();
    const commands = new Commands(store);
    const organizationId = randomUUID();
    await commands.everyEventType(organizationId);
    const { secret, secretHash, secretPrefix } = generateApiKeySecret();
    await commands.run(organizationId, {
      type: 'IssueApiKey',
      data: { keyId: randomUUID(), name: 'deploy', secretHash, secretPrefix, expiresAt: null },
      metadata: { actor: admin, now: new Date().toISOString() },
    });
    const wire = new InMemoryPublisher();
    const handed: CloudEvent[] = [];
    // Records everything handed over, before any adapter could drop something.
    const recording: Publisher = {
      publish: async (envelopes) => {
        handed.push(...structuredClone(envelopes));
        await wire.publish(envelopes);
      },
      close: async () => {},
    };
    const relay = new PublisherRelay(store, recording, new InMemoryCheckpointStore());
    await relay.start();
    await relay.waitFor(await store.headPosition());
    await relay.stop();

    const stored = JSON.stringify(await allEvents(store));
    expect(stored).toContain(secretHash); // the store keeps the hash (R14)...
    const everything = JSON.stringify({ handed, wire: wire.records });
    expect(handed.filter((envelope) => envelope.type === 'ApiKeyIssued')).toHaveLength(2);
    expect(everything).not.toContain(secretHash); // ...nothing published does (S2)
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(secret.slice(secretPrefix.length));
    expect(everything).not.toMatch(/secretHash/i);
    expect(everything).not.toMatch(/\b[0-9a-f]{64}\b/); // no SHA-256 of anything
    await store.close();
  });
});

async function waitUntil(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('Condition not met in time.');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
