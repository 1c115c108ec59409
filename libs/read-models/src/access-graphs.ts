import { projectCell, Provenance, type ProjectCellIndex } from '#libs/access';
import { organizationDecider, type OrganizationEvent, type OrganizationState } from '#libs/domain';
import { START, type Position, type RecordedEvent } from '#libs/event-store';
import { Collections, type ProjectAccessDocument } from './documents.js';
import type { ProjectedEvent } from './projection.js';
import type { Document, DocumentChange } from './document-store.port.js';
import {
  projectAccessProjection,
  storedProjectAccessDocuments,
} from './projections/project-access.projection.js';
import {
  buildWorkspaceCells,
  refreshWorkspaceCells,
  workspaceCellsScope,
  type MutableCellIndex,
} from './workspace-wide-cells.js';

/**
 * The engine's answers for members on projects (R28), as checks read them: per project where
 * the member holds a role of their own, and per workspace for the rest of its projects.
 */
export type ProjectCells = ProjectCellIndex;

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

/**
 * One organization's fold. Its project cells are built from the state the first time a check
 * reads them, then kept in step event by event: a restart or a bulk rebuild builds none it
 * does not need (building them all is the engine's answer for every member and project).
 */
class Entry implements FoldedOrganization {
  private cells: MutableCellIndex | undefined;

  constructor(
    private readonly keepsCells: boolean,
    public state: OrganizationState,
    public provenance: Provenance,
    public position: Position,
    public revision: number,
    public time: string,
    public reachedTime: number,
  ) {}

  get projectCells(): ProjectCells | undefined {
    if (!this.keepsCells) return undefined;
    this.cells ??= cellsOf(this.state);
    return this.cells;
  }

  /** The cells being kept in step, if a check has read them yet. */
  get builtCells(): MutableCellIndex | undefined {
    return this.cells;
  }
}

export interface AccessGraphsOptions {
  /**
   * Keep, beside each state, the project cells the checks answer from without a walk (R31's
   * fast path): the project_access projection's rows — the engine's answers for the cells an
   * event touched — folded into nested maps, and the workspace-wide cells of the members an
   * event touched (workspace-wide-cells.ts), from the first check of an organization on. Costs
   * that projection's work once more per event of it.
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
      entry = new Entry(
        this.options.indexProjects ?? false,
        organizationDecider.initialState(),
        new Provenance(),
        START,
        -1,
        '',
        -Infinity,
      );
      this.organizations.set(organizationId, entry);
    }
    const projectCells = entry.builtCells;
    const projected = event as ProjectedEvent;
    const scope = projectCells && projectAccessProjection.scope(projected, entry.state);
    const wideScope = projectCells && workspaceCellsScope(projected, entry.state);
    // evolve updates in place and returns the state (decider.ts).
    entry.state = organizationDecider.evolve(entry.state, event as unknown as OrganizationEvent);
    entry.provenance.record(event);
    if (projectCells && scope && wideScope) {
      const changes = projectAccessProjection.project(projected, scope, entry.state);
      applyToCells(projectCells.projects, changes);
      for (const userId of wideScope) refreshWorkspaceCells(projectCells, entry.state, userId);
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
   * event; the events after `position` are then applied as usual (project cells, if kept, are
   * built from the state when first read).
   */
  restore(organizationId: string, folded: Omit<FoldedOrganization, 'projectCells'>): void {
    const { state, provenance, position, revision, time, reachedTime } = folded;
    this.organizations.set(
      organizationId,
      new Entry(
        this.options.indexProjects ?? false,
        state,
        provenance,
        position,
        revision,
        time,
        reachedTime,
      ),
    );
    if (BigInt(folded.position) > BigInt(this.folded)) this.folded = folded.position;
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

/**
 * The project cells of a state: the project_access projection's stored documents of it, and
 * the workspace cells of every member who may have one (ADR 22).
 */
function cellsOf(state: OrganizationState): MutableCellIndex {
  const cells: MutableCellIndex = { projects: new Map(), workspaces: new Map() };
  applyToCells(
    cells.projects,
    storedProjectAccessDocuments(state).map((document) => ({
      type: 'put' as const,
      collection: Collections.projectAccess,
      document: document as unknown as Document,
    })),
  );
  buildWorkspaceCells(cells, state);
  return cells;
}

function applyToCells(
  cells: MutableCellIndex['projects'],
  changes: readonly DocumentChange[],
): void {
  for (const change of changes) {
    if (change.collection !== Collections.projectAccess) continue;
    if (change.type === 'put') {
      const row = change.document as unknown as ProjectAccessDocument;
      const cell = projectCell(row.role, row.manages, row.status === 'active');
      let ofUser = cells.get(row.userId);
      if (!ofUser) cells.set(row.userId, (ofUser = new Map()));
      ofUser.set(row.projectId, cell);
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
