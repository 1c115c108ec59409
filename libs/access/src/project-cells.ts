import { check, type AskOptions, type Decision } from './engine.js';
import type { AccessGraph } from './graph.js';
import { projectRoleAtLeast, PROJECT_ROLES, type ProjectRole } from './roles.js';
import {
  PROJECT_ACTION_ROLE,
  PROJECT_ACTIONS,
  type AccessQuery,
  type ProjectAction,
  type Subject,
} from './vocabulary.js';

/*
 * The fast path of R31 for project checks: the engine's structural answer for one (member,
 * project) — the effective role and whether they manage it — packed in a small integer, so an
 * index of them answers `check` with a few map lookups and no walk. The cells are written from
 * the engine's own answers and read here by the same action table the walk uses: for a
 * project where the member holds a role of their own, projectGrants (through the stored
 * project_access rows); for the rest of a workspace's projects, workspaceWideProjectGrants —
 * what workspace editors and admins and org admins hold on every project of it (R22, R28),
 * one cell per (member, workspace) instead of one per project (ADR 22).
 */

/**
 * 0 for no access; else bits 0-1 hold 1 + the role's rank, bit 2 is set for a manager
 * (R25-R27) and bit 3 for an active member — only they may use what the graph grants (R9).
 */
export type ProjectCell = number;

const MANAGER = 4;
const ACTIVE = 8;

export function projectCell(role: ProjectRole, manager: boolean, active: boolean): ProjectCell {
  return (PROJECT_ROLES.indexOf(role) + 1) | (manager ? MANAGER : 0) | (active ? ACTIVE : 0);
}

export function cellRole(cell: ProjectCell): ProjectRole | undefined {
  const rank = cell & 3;
  return rank === 0 ? undefined : PROJECT_ROLES[rank - 1];
}

/** What `check` answers for a cell and an action, the walk's rule read off the cell. */
function decide(cell: ProjectCell, action: ProjectAction): Decision {
  const role = cellRole(cell);
  if (role === undefined || (cell & ACTIVE) === 0) return { allowed: false };
  const needs = PROJECT_ACTION_ROLE[action];
  const allowed = needs === 'manager' ? (cell & MANAGER) !== 0 : projectRoleAtLeast(role, needs);
  return { allowed, role };
}

/** Every answer a cell can give, computed once: the fast path allocates nothing. */
const DECISIONS: ReadonlyMap<ProjectAction, readonly Decision[]> = new Map(
  PROJECT_ACTIONS.map((action) => [
    action,
    Array.from({ length: 16 }, (_, cell) => Object.freeze(decide(cell, action))),
  ]),
);

/** R31 for a project action, from an index cell (undefined: no access). */
export function checkProjectCell(cell: ProjectCell | undefined, action: ProjectAction): Decision {
  return DECISIONS.get(action)![cell ?? 0];
}

/** The cells `checkWithCells` answers from, both kept from the engine's answers. */
export interface ProjectCellIndex {
  /**
   * userId -> projectId -> cell, where the member holds a role on the project itself; and, for
   * a member with workspace cells, WORKSPACE_CELLS_MARK -> 0.
   */
  readonly projects: ReadonlyMap<string, ReadonlyMap<string, ProjectCell>>;
  /**
   * userId -> workspaceId -> cell: what the member holds on every live project of the workspace
   * by their workspace and org roles alone (workspaceWideProjectGrants). Few members have any.
   */
  readonly workspaces: ReadonlyMap<string, ReadonlyMap<string, ProjectCell>>;
}

/**
 * The key, among a member's project cells, saying they have workspace cells too: read in the
 * map the check has already fetched, it spares most members (who have none) a lookup in a
 * second large map — measured, that lookup cost a tenth of the throughput. No project has
 * this id (the domain refuses empty ids), and its cell, 0, would answer no access anyway.
 */
export const WORKSPACE_CELLS_MARK = '';

/**
 * `check` with the fast path: a member's project action is read from the index of cells (no
 * walk) — their own cell on the project, else their cell on its workspace, which is the whole
 * answer where they hold no role on the project itself; everything else is walked (a
 * permission, a workspace or dashboard action, an API key), which costs a handful of lookups.
 */
export function checkWithCells(
  graph: AccessGraph,
  cells: ProjectCellIndex | undefined,
  subject: Subject,
  query: AccessQuery,
  options: AskOptions = {},
): Decision {
  if (cells && subject.type === 'user' && query.kind === 'project') {
    const mine = cells.projects.get(subject.id);
    const own = mine?.get(query.projectId);
    if (own !== undefined || mine?.has(WORKSPACE_CELLS_MARK) !== true) {
      return checkProjectCell(own, query.action);
    }
    const project = graph.projects.get(query.projectId);
    const wide = project?.live
      ? cells.workspaces.get(subject.id)?.get(project.workspaceId)
      : undefined;
    return checkProjectCell(wide, query.action);
  }
  return check(graph, subject, query, options);
}
