import { comparePositions } from '#libs/event-store';
import { checkpointName, type DocumentStore, type Projection } from '#libs/read-models';
import type { ReadModelProgress } from './tokens.js';

const POLL_MS = 25;

/**
 * R35 when the projector runs in another process: the read models have reached a position
 * once every projection's checkpoint, stored with the documents, has.
 */
export class CheckpointProgress implements ReadModelProgress {
  constructor(
    private readonly store: DocumentStore,
    private readonly projections: readonly Projection[],
  ) {}

  async waitFor(position: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.reached(position)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async reached(position: string): Promise<boolean> {
    const checkpoints = await Promise.all(
      this.projections.map((p) => this.store.checkpoint(checkpointName(p))),
    );
    return checkpoints.every((checkpoint) => comparePositions(checkpoint, position) >= 0);
  }
}
