import { projectCell, Provenance, type ProjectCellIndex } from '#libs/access';
import { organizationDecider, type OrganizationEvent, type OrganizationState } from '#libs/domain';
import { START, type Position, type RecordedEvent } from '#libs/event-store';
import { Collections, type ProjectAccessDocument } from './documents.js';
import type { ProjectedEvent } from './projection.js';
import { projectAccessProjection } from './projections/project-access.projection.js';
import {
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
}

interface Entry {
  state: OrganizationState;
  provenance: Provenance;
  projectCells?: MutableCellIndex;
  position: Position;
}

export interface AccessGraphsOptions {
  /**
   * Keep, beside each state, the project cells the checks answer from without a walk (R31's
   * fast path): the project_access projection's rows — the engine's answers for the cells an
   * event touched — folded into nested maps, and the workspace-wide cells of the members an
   * event touched (workspace-wide-cells.ts). Costs that projection's work once more per event.
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
        projectCells: this.options.indexProjects
          ? { projects: new Map(), workspaces: new Map() }
          : undefined,
        position: START,
      };
      this.organizations.set(organizationId, entry);
    }
    const { projectCells } = entry;
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
    this.folded = event.position;
    return entry.state;
  }

  /**
   * Starts an organization from a fold made earlier (a snapshot, ADR 19) instead of its first
   * event; the events after `position` are then applied as usual. Only without `indexProjects`:
   * the project cells are not part of a snapshot.
   */
  restore(
    organizationId: string,
    folded: { state: OrganizationState; provenance: Provenance; position: Position },
  ): void {
    if (this.options.indexProjects) {
      throw new TypeError('AccessGraphs with indexProjects cannot start from a snapshot.');
    }
    this.organizations.set(organizationId, { ...folded });
    if (BigInt(folded.position) > BigInt(this.folded)) this.folded = folded.position;
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

function applyToCells(
  cells: MutableCellIndex['projects'],
  changes: ReturnType<typeof projectAccessProjection.project>,
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
