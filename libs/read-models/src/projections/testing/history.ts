import {
  organizationDecider,
  type Actor,
  type OrganizationCommand,
  type OrganizationEvent,
} from '#libs/domain';
import { Collections, type ProjectAccessDocument } from '../../documents.js';
import { impliedProjectAccessRows } from '../implied-project-access.js';
import { TestProjector } from './test-projector.js';

export const NOW = '2026-03-01T12:00:00.000Z';
export const support: Actor = { type: 'support', id: 'support-1' };
export const userActor = (email: string, groups: string[] = []): Actor => ({
  type: 'user',
  subject: `sub-${email}`,
  email,
  groups,
});

type CommandOf<T extends OrganizationCommand['type']> = Extract<OrganizationCommand, { type: T }>;

/**
 * Builds a history from real commands — the domain decides, so cascades (R11, R19) and R9's
 * Default workspace come as in production — and feeds each event to a TestProjector.
 */
export class History {
  readonly projector: TestProjector;
  readonly events: OrganizationEvent[] = [];
  /** Runs after every event, e.g. to compare incremental documents with the oracle. */
  afterEach?: (event: OrganizationEvent) => void;

  constructor(
    readonly organizationId = 'acme',
    readonly admin = { userId: 'u-admin', email: 'admin@acme.test' },
    // With the R42 entitlements, so that histories can create workspaces and directory groups.
    catalog: string[] = [
      'checks.read',
      'checks.write',
      'truora.directory',
      'truora.keys',
      'truora.users',
      'truora.workspaces',
    ],
  ) {
    this.projector = new TestProjector(organizationId);
    this.run(
      'CreateOrganization',
      {
        organizationId,
        name: `${organizationId} inc`,
        catalog,
        firstUser: admin,
        defaultWorkspaceId: `ws-default`,
      },
      support,
    );
  }

  get state() {
    return this.projector.state;
  }

  /** Decides the command on the current state (as `actor`, the first admin by default) and projects its events. */
  run<T extends OrganizationCommand['type']>(
    type: T,
    data: CommandOf<T>['data'],
    actor: Actor = userActor(this.admin.email),
  ): OrganizationEvent[] {
    const command = { type, data, metadata: { actor, now: NOW } } as CommandOf<T>;
    const events = organizationDecider.decide(command, this.projector.state);
    for (const event of events) {
      this.projector.handle(event);
      this.events.push(event);
      this.afterEach?.(event);
    }
    return events;
  }

  /** An invited member who signed in (R9), with `groups` claims (R18). */
  member(userId: string, email: string, roleId?: string, groups: string[] = []): void {
    this.run('InviteMember', { userId, email, ...(roleId ? { roleId } : {}) });
    this.signIn(email, groups);
  }

  signIn(email: string, groups: string[] = []): void {
    this.run('SignIn', { subject: `sub-${email}`, email, groups }, userActor(email, groups));
  }

  doc<T>(collection: string, ...idParts: string[]): T | undefined {
    return this.projector.get(collection, [this.organizationId, ...idParts].join(':')) as
      T | undefined;
  }

  /**
   * A member's project_access row as the reads serve it (ProjectAccessReads, ADR 22): the
   * stored row, else the one the engine implies for an org admin or workspace editor.
   */
  projectAccessRow(projectId: string, userId: string): ProjectAccessDocument | undefined {
    const filter = { organizationId: this.organizationId, projectId, userId };
    return (
      this.doc<ProjectAccessDocument>(Collections.projectAccess, projectId, userId) ??
      impliedProjectAccessRows(this.state, filter).next().value ??
      undefined
    );
  }
}
