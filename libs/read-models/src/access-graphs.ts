import { projectCell, Provenance, type ProjectCell } from '#libs/access';
import { organizationDecider, type OrganizationEvent, type OrganizationState } from '#libs/domain';
import { START, type Position, type RecordedEvent } from '#libs/event-store';
import { Collections, type ProjectAccessDocument } from './documents.js';
import type { ProjectedEvent } from './projection.js';
import type { Document, DocumentChange } from './document-store.port.js';
import {
  projectAccessDocuments,
  projectAccessProjection,
} from './projections/project-access.projection.js';

/** userId -> projectId -> the engine's answer for that member on that project (R28). */
export type ProjectCells = ReadonlyMap<string, ReadonlyMap<string, ProjectCell>>;

/** One organization's access graph: its state, each edge's provenance, and how far it reaches. */
export interface FoldedOrganization {
  readonly state: OrganizationState;
  readonly provenance: Provenance;
  /** The fast path of project checks, when the graphs keep it (`indexProjects`). */
  readonly projectCells?: ProjectCells;
  /** Global position of the organization's last event folded. */
  readonly position: Position;
  /** Stream revision of that event (where a snapshot of this fold stands, ADR 19). */
  readonly revision: number;
  /** `recordedAt` of that event. */
  readonly time: string;
  /** The latest `recordedAt` folded, in ms: a snapshot of this fold serves instants from it on. */
  readonly reachedTime: number;
}

interface Entry {
  state: OrganizationState;
  provenance: Provenance;
  projectCells?: Map<string, Map<string, ProjectCell>>;
  position: Position;
  revision: number;
  time: string;
  reachedTime: number;
}

export interface AccessGraphsOptions {
  /**
   * Keep, beside each state, the project cells the checks answer from without a walk (R31's
   * fast path): the project_access projection's rows — the engine's answers for the cells an
   * event touched — folded into nested maps. Costs that projection's work once more per event.
   */
  indexProjects?: boolean;
}

/**
 * Every organization's state folded with the domain's own evolve, and beside it the provenance
 * of each edge (libs/access): what the access engine answers checks and explanations over
 * (R31). The projector folds the history once, through this, for the read models and the
 * checks alike (one fold, one memory cost).
 */
export class AccessGraphs {
  private readonly organizations = new Map<string, Entry>();
  private folded: Position = START;
  /** Organizations folded since the last `takeChanged`: those whose snapshot is behind. */
  private changed = new Set<string>();
  /** While a bulk rebuild folds (suspendProjectCells), the cells wait to be built at its end. */
  private cellsSuspended = false;

  constructor(private readonly options: AccessGraphsOptions = {}) {}

  /** The organization's state before `event` (initial for a new one), to scope projections. */
  stateBefore(event: RecordedEvent): OrganizationState {
    return (
      this.organizations.get(event.metadata.organizationId)?.state ??
      organizationDecider.initialState()
    );
  }

  /** Folds one event (in global order, each once) and answers the state after it. */
  apply(event: RecordedEvent): OrganizationState {
    const organizationId = event.metadata.organizationId;
    let entry = this.organizations.get(organizationId);
    if (!entry) {
      entry = {
        state: organizationDecider.initialState(),
        provenance: new Provenance(),
        projectCells: this.options.indexProjects && !this.cellsSuspended ? new Map() : undefined,
        position: START,
        revision: -1,
        time: '',
        reachedTime: -Infinity,
      };
      this.organizations.set(organizationId, entry);
    }
    const projectCells = this.cellsSuspended ? undefined : entry.projectCells;
    const projected = event as ProjectedEvent;
    const scope = projectCells && projectAccessProjection.scope(projected, entry.state);
    // evolve updates in place and returns the state (decider.ts).
    entry.state = organizationDecider.evolve(entry.state, event as unknown as OrganizationEvent);
    entry.provenance.record(event);
    if (projectCells && scope) {
      applyToCells(projectCells, projectAccessProjection.project(projected, scope, entry.state));
    }
    entry.position = event.position;
    entry.revision = event.revision;
    entry.time = event.recordedAt;
    entry.reachedTime = Math.max(entry.reachedTime, Date.parse(event.recordedAt));
    this.folded = event.position;
    this.changed.add(organizationId);
    return entry.state;
  }

  /**
   * Starts an organization from a fold made earlier (a snapshot, ADR 19) instead of its first
   * event; the events after `position` are then applied as usual. With `indexProjects` the
   * project cells are rebuilt from the state by the project_access projection's own
   * documents, as folding would have left them.
   */
  restore(organizationId: string, folded: Omit<FoldedOrganization, 'projectCells'>): void {
    const projectCells = this.options.indexProjects ? cellsOf(folded.state) : undefined;
    const { state, provenance, position, revision, time, reachedTime } = folded;
    this.organizations.set(organizationId, {
      state,
      provenance,
      projectCells,
      position,
      revision,
      time,
      reachedTime,
    });
    if (BigInt(folded.position) > BigInt(this.folded)) this.folded = folded.position;
  }

  /**
   * For a bulk rebuild (the projector's, ADR 20): until resumeProjectCells, folding keeps no
   * project cells — they would be rewritten event after event only to be read at the end —
   * and the checks walk the graph instead.
   */
  suspendProjectCells(): void {
    if (!this.options.indexProjects) return;
    this.cellsSuspended = true;
    for (const entry of this.organizations.values()) entry.projectCells = undefined;
  }

  /** Builds every organization's cells from its state, as folding would have left them. */
  resumeProjectCells(): void {
    if (!this.cellsSuspended) return;
    this.cellsSuspended = false;
    for (const entry of this.organizations.values()) entry.projectCells = cellsOf(entry.state);
  }

  /** Every organization folded so far, by id. */
  organizationIds(): string[] {
    return [...this.organizations.keys()];
  }

  /** The organizations folded since the last call (snapshots of them are behind). */
  takeChanged(): string[] {
    const changed = [...this.changed];
    this.changed = new Set();
    return changed;
  }

  /** The organization as folded so far; undefined before its first event. */
  get(organizationId: string): FoldedOrganization | undefined {
    const entry = this.organizations.get(organizationId);
    return entry?.state.exists ? entry : undefined;
  }

  /** Global position of the last event folded, of any organization. */
  get position(): Position {
    return this.folded;
  }
}

/** The project cells of a state: the project_access projection's documents of it. */
function cellsOf(state: OrganizationState): Map<string, Map<string, ProjectCell>> {
  const cells = new Map<string, Map<string, ProjectCell>>();
  applyToCells(
    cells,
    projectAccessDocuments(state).map((document) => ({
      type: 'put' as const,
      collection: Collections.projectAccess,
      document: document as unknown as Document,
    })),
  );
  return cells;
}

function applyToCells(
  cells: Map<string, Map<string, ProjectCell>>,
  changes: readonly DocumentChange[],
): void {
  for (const change of changes) {
    if (change.collection !== Collections.projectAccess) continue;
    if (change.type === 'put') {
      const row = change.document as unknown as ProjectAccessDocument;
      let ofUser = cells.get(row.userId);
      if (!ofUser) cells.set(row.userId, (ofUser = new Map()));
      ofUser.set(row.projectId, projectCell(row.role, row.manages, row.status === 'active'));
    } else if (change.type === 'delete') {
      // Row ids are `<organizationId>:<projectId>:<userId>`, each a UUID (no colon inside).
      const [, projectId, userId] = change.id.split(':');
      const ofUser = cells.get(userId);
      ofUser?.delete(projectId);
      if (ofUser?.size === 0) cells.delete(userId);
    } else {
      throw new TypeError(
        'project_access writes rows one by one; a replaceWhere is unexpected here.',
      );
    }
  }
}
