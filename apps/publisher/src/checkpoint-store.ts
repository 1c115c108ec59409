import type { Position } from '#libs/event-store';

/** Where a subscriber keeps the position of the last event whose work is durable. */
export interface CheckpointStore {
  load(name: string): Promise<Position | undefined>;
  save(name: string, position: Position): Promise<void>;
  close(): Promise<void>;
}

export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly positions = new Map<string, Position>();

  async load(name: string): Promise<Position | undefined> {
    return this.positions.get(name);
  }

  async save(name: string, position: Position): Promise<void> {
    this.positions.set(name, position);
  }

  async close(): Promise<void> {}
}
