import { DomainError, type OrganizationState } from '#libs/domain';
import type { EventStore, Position } from '#libs/event-store';
import type {
  CollectionIndexes,
  Document,
  DocumentChange,
  DocumentStore,
  Filter,
  FindOptions,
  Projection,
} from '#libs/read-models';
import { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import { organizationAggregate } from '../../apps/command-service/src/organizations/aggregates.js';
import type { ProjectorLogger } from '../../apps/projector/src/projector.options.js';
import { mulberry32, OrganizationScript } from '../../bench/organization-script.js';

/**
 * Writes `commands` commands per organization through the real command path (CommandExecutor
 * on the given store). Organizations run concurrently, so their streams interleave in the
 * global order and their appends share group commits; each has its own seeded script, so its
 * own history is the same on every run. Refused commands are dropped.
 */
export async function writeHistory(
  store: EventStore,
  options: { organizations: number; commands: number; seed: number },
): Promise<void> {
  const executor = new CommandExecutor(store, 0);
  await Promise.all(
    Array.from({ length: options.organizations }, async (_, i) => {
      const id = `org-${options.seed}-${i}`;
      const script = new OrganizationScript(id, mulberry32(options.seed * 1000 + i));
      let clock = Date.parse('2025-01-01T00:00:00.000Z');
      for (let n = 0; n < options.commands; n++) {
        const state = await executor.load(organizationAggregate, id);
        clock += 1000;
        const command = script.next(state, new Date(clock).toISOString());
        const trace = {
          organizationId: id,
          actor: { type: 'system' as const, id: 'test' },
          correlationId: `c-${n}`,
          causationId: `c-${n}`,
        };
        try {
          await executor.execute(organizationAggregate, id, command, trace);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
        }
      }
    }),
  );
}

/** Every document of every collection, in `_id` order: what two stores are compared by. */
export async function contents(
  store: DocumentStore,
  indexes: CollectionIndexes,
): Promise<Record<string, Document[]>> {
  const result: Record<string, Document[]> = {};
  for (const collection of Object.keys(indexes).sort()) {
    const documents: Document[] = [];
    for await (const document of store.scan(collection, {})) documents.push(document);
    result[collection] = documents;
  }
  return result;
}

export interface ApplyCall {
  checkpoints: string[];
  position: Position;
  changes: number;
}

/**
 * A DocumentStore that records every apply and can be told to fail the next ones, with an
 * error whose message quotes a secret (as a driver's duplicate-key message can).
 */
export class RecordingDocumentStore implements DocumentStore {
  readonly applied: ApplyCall[] = [];
  failures = 0;
  attempts = 0;

  constructor(private readonly inner: DocumentStore) {}

  async apply(
    changes: readonly DocumentChange[],
    checkpoints: readonly string[],
    position: Position,
  ): Promise<void> {
    this.attempts += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      throw Object.assign(new Error(`E11000 duplicate key: { _id: "${SECRET_IN_ERROR}" }`), {
        code: 11000,
      });
    }
    await this.inner.apply(changes, checkpoints, position);
    this.applied.push({ checkpoints: [...checkpoints], position, changes: changes.length });
  }

  checkpoint(name: string): Promise<Position> {
    return this.inner.checkpoint(name);
  }
  get(collection: string, id: string): Promise<Document | undefined> {
    return this.inner.get(collection, id);
  }
  find(collection: string, filter: Filter, options: FindOptions): Promise<Document[]> {
    return this.inner.find(collection, filter, options);
  }
  scan(collection: string, filter: Filter): AsyncIterable<Document> {
    return this.inner.scan(collection, filter);
  }
  reset(collections: readonly string[], checkpoints: readonly string[]): Promise<void> {
    return this.inner.reset(collections, checkpoints);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export const SECRET_IN_ERROR = 'c0ffee-secret-hash';

/** A logger that keeps what it was told, for assertions. */
export function recordingLogger(): ProjectorLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: (message) => lines.push(message),
    warn: (message) => lines.push(message),
    error: (message) => lines.push(message),
  };
}

/**
 * Two small projections with an exact oracle: one document per event (so a skipped or
 * doubled event shows), and one per organization with its member count from the state.
 */
export const eventLogProjection: Projection<void> = {
  name: 'test-event-log',
  collections: { test_events: ['organizationId', 'type'] },
  scope: () => undefined,
  project: (event) => [
    {
      type: 'put',
      collection: 'test_events',
      document: {
        _id: event.position.padStart(12, '0'),
        organizationId: event.metadata.organizationId,
        type: event.type,
        eventId: event.id,
      },
    },
  ],
};

export const memberCountProjection: Projection<number> = {
  name: 'test-member-count',
  collections: { test_organizations: ['organizationId'] },
  scope: (_event, before: OrganizationState) => before.members.size,
  project: (event, membersBefore, after) => [
    {
      type: 'put',
      collection: 'test_organizations',
      document: {
        _id: event.metadata.organizationId,
        organizationId: event.metadata.organizationId,
        members: after.members.size,
        membersBefore,
        revision: event.revision,
      },
    },
  ],
};

export const TEST_PROJECTIONS: readonly Projection[] = [
  eventLogProjection as Projection,
  memberCountProjection as Projection,
];
export const TEST_INDEXES: CollectionIndexes = {
  ...eventLogProjection.collections,
  ...memberCountProjection.collections,
};
