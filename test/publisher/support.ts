import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrganizationCommand } from '#libs/domain';
import {
  SqliteEventStore,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '#libs/event-store';
import { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import { organizationAggregate } from '../../apps/command-service/src/organizations/aggregates.js';
import { eventActorOf } from '../../apps/command-service/src/organizations/run-organization-command.js';
import { everyEventCommands } from '../messaging/fixtures/every-event-type.js';

export const tempDir = (prefix = 'access-ledger-publisher-'): string =>
  mkdtempSync(join(tmpdir(), prefix));

export const openStore = (dir = tempDir()): SqliteEventStore =>
  new SqliteEventStore(join(dir, 'events.sqlite'), { pollIntervalMs: 20 });

/** Runs commands through the command side, as the HTTP layer would (R32 metadata and all). */
export class Commands {
  readonly executor: CommandExecutor;

  constructor(store: EventStore) {
    this.executor = new CommandExecutor(store, 5);
  }

  async run(organizationId: string, command: OrganizationCommand): Promise<Position> {
    const correlationId = randomUUID();
    const outcome = await this.executor.execute(organizationAggregate, organizationId, command, {
      organizationId,
      actor: eventActorOf(command.metadata.actor),
      correlationId,
      causationId: correlationId,
    });
    return outcome.position;
  }

  /** The fixture history (every event type) for one organization; returns the last position. */
  async everyEventType(organizationId: string): Promise<Position> {
    let position = '0';
    for (const command of everyEventCommands(organizationId)) {
      position = await this.run(organizationId, command);
    }
    return position;
  }
}

export async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}
