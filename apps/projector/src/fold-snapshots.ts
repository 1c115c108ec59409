import { organizationStream } from '#libs/domain';
import { START, type Position } from '#libs/event-store';
import { Collections, type AccessGraphs, type DocumentStore } from '#libs/read-models';
import { saveHistorySnapshot, type HistoryFold, type SnapshotStore } from '#libs/snapshots';
import type { ProjectorLogger } from './projector.options.js';

/** Who folds an organization up to a position, from its newest snapshot before it. */
export interface OrganizationsAsOf {
  at(organizationId: string, asOf: { kind: 'position'; position: Position }): Promise<HistoryFold>;
}

/**
 * A restart that resumes instead of refolding (ADR 20): the projector's folds of every
 * organization are kept as the history's own snapshots (state and provenance, ADR 19), so at
 * start each organization the read models know of is folded from its newest snapshot up to
 * where the read models stand — the events before are neither read nor folded again.
 */
export class FoldSnapshots {
  constructor(
    private readonly snapshots: SnapshotStore,
    private readonly history: OrganizationsAsOf,
    private readonly logger: ProjectorLogger,
  ) {}

  /**
   * Every organization of `documents` as of `position` into `graphs`. Returns how many; throws
   * if one cannot be folded (the projector then fails: nothing is projected on a wrong state).
   */
  async restore(
    graphs: AccessGraphs,
    documents: DocumentStore,
    position: Position,
  ): Promise<number> {
    if (position === START) return 0;
    let restored = 0;
    for await (const organization of documents.scan(Collections.organizations, {})) {
      const organizationId = organization._id;
      const past = await this.history.at(organizationId, { kind: 'position', position });
      graphs.restore(organizationId, past);
      restored++;
      // Decoding is synchronous: let HTTP in between organizations (/health/live answers).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return restored;
  }

  /**
   * Snapshots the organizations folded since the last save, each at its last event: one
   * encoded per turn of the event loop (requests go in between; each is encoded whole, so it
   * is consistent whatever the fold has done meanwhile). A snapshot lost only makes the next
   * start fold more.
   */
  async save(graphs: AccessGraphs): Promise<number> {
    let saved = 0;
    for (const organizationId of graphs.takeChanged()) {
      if (saved > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const folded = graphs.get(organizationId);
      if (!folded) continue;
      const stream = organizationStream(organizationId);
      let written: Promise<void>;
      try {
        written = saveHistorySnapshot(this.snapshots, stream, folded);
      } catch (error) {
        this.logger.warn(`Snapshot of ${stream} not encoded: ${(error as Error).message}`);
        continue;
      }
      saved++;
      await written.catch((error: unknown) =>
        this.logger.warn(`Snapshot of ${stream} not saved: ${(error as Error).message}`),
      );
    }
    return saved;
  }
}
