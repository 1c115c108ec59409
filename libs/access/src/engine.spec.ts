import { organizationDecider, type OrganizationEvent, type OrganizationState } from '#libs/domain';
import {
  ENG,
  MEMBERS,
  WS,
  groupP,
  projectMemberAdded,
  userP,
  workspacePrincipalAdded,
  world,
} from '../../domain/src/testing/access-graph.fixtures.js';
import { apiKeyIssued, roleCreated } from '../../domain/src/testing/organization.fixtures.js';
import {
  check,
  explain,
  projectGrants,
  workspaceWideProjectGrants,
  type AccessPath,
} from './engine.js';
import { Provenance, type ProvenanceEvent } from './provenance.js';
import type { AccessQuery, Subject } from './vocabulary.js';

const NOW = '2026-06-01T00:00:00.000Z';

/** The fixture history as the store would record it: ids, positions, an actor, a time. */
function recorded(events: OrganizationEvent[]): ProvenanceEvent[] {
  return events.map((event, index) => ({
    id: `e-${index + 1}`,
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: { actor: { type: 'user', id: 'sub-admin' } },
    recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
    position: String(index + 1),
  }));
}

function graphOf(events: OrganizationEvent[]): {
  state: OrganizationState;
  provenance: Provenance;
  history: ProvenanceEvent[];
} {
  let state = organizationDecider.initialState();
  const provenance = new Provenance();
  const history = recorded(events);
  events.forEach((event, index) => {
    state = organizationDecider.evolve(state, event);
    provenance.record(history[index]);
  });
  return { state, provenance, history };
}

const member = (name: keyof typeof MEMBERS): Subject => ({ type: 'user', id: MEMBERS[name] });
const project = (
  projectId: string,
  action: 'view' | 'edit' | 'manage_members' | 'delete',
): AccessQuery => ({
  kind: 'project',
  projectId,
  action,
});
const workspace = (
  action: 'view' | 'create_project' | 'view_all_projects' | 'manage' | 'view_usage',
  workspaceId = WS,
): AccessQuery => ({ kind: 'workspace', workspaceId, action });

const shape = (paths: AccessPath[]) =>
  paths.map((path) => ({
    via: path.via,
    edges: path.edges.map(
      (edge) => `${edge.from} -${edge.relation}-> ${edge.to} @${edge.event?.type}`,
    ),
  }));

describe('the access engine (R31)', () => {
  const { state, provenance, history } = graphOf([
    ...world(),
    roleCreated('r-checks', 'Checks', ['checks.read']),
    apiKeyIssued('k-1', {
      roleId: 'full_access',
      roleName: 'full_access',
      permissions: ['checks.read', 'truora.keys'],
    }),
  ]);
  const ask = (subject: Subject, query: AccessQuery) => check(state, subject, query, { now: NOW });
  const why = (subject: Subject, query: AccessQuery) =>
    explain(state, provenance, subject, query, { now: NOW });

  describe('permissions', () => {
    it('R31 a member holds the permissions of their role now; explain names the role and catalog events', () => {
      expect(ask(member('bob'), { kind: 'permission', permission: 'checks.read' })).toEqual({
        allowed: true,
      });
      expect(ask(member('bob'), { kind: 'permission', permission: 'truora.keys' })).toEqual({
        allowed: false,
      });
      const explained = why(member('bob'), { kind: 'permission', permission: 'checks.read' });
      expect(shape(explained.paths)).toEqual([
        {
          via: 'role',
          edges: [
            'user:u-bob -has_role-> role:default_access @MemberInvited',
            'role:default_access -grants-> permission:checks.read @OrganizationCreated',
            'catalog -includes-> permission:checks.read @OrganizationCreated',
          ],
        },
      ]);
    });

    it('R31 an API key holds its snapshot within the catalog; a permission outside it is refused', () => {
      const key: Subject = { type: 'api_key', id: 'k-1' };
      expect(ask(key, { kind: 'permission', permission: 'checks.read' })).toEqual({
        allowed: true,
      });
      expect(ask(key, { kind: 'permission', permission: 'checks.write' })).toEqual({
        allowed: false,
      });
      expect(shape(why(key, { kind: 'permission', permission: 'truora.keys' }).paths)).toEqual([
        {
          via: 'api_key',
          edges: [
            'api_key:k-1 -snapshot_holds-> permission:truora.keys @ApiKeyIssued',
            'catalog -includes-> permission:truora.keys @OrganizationCreated',
          ],
        },
      ]);
    });

    it('R31 R15 a revoked or expired key holds nothing, and says why', () => {
      const revoked = graphOf([
        ...world(),
        apiKeyIssued('k-2', {
          roleId: 'default_access',
          roleName: 'default_access',
          permissions: ['checks.read'],
        }),
        { type: 'ApiKeyRevoked', data: { keyId: 'k-2' } },
      ]);
      const query: AccessQuery = { kind: 'permission', permission: 'checks.read' };
      expect(
        explain(revoked.state, revoked.provenance, { type: 'api_key', id: 'k-2' }, query, {
          now: NOW,
        }),
      ).toEqual({
        allowed: false,
        reason: 'key is revoked',
        paths: [],
      });
      const expiring = graphOf([
        ...world(),
        apiKeyIssued(
          'k-3',
          { roleId: 'default_access', roleName: 'default_access', permissions: ['checks.read'] },
          { expiresAt: '2026-05-01T00:00:00.000Z' },
        ),
      ]);
      const subject: Subject = { type: 'api_key', id: 'k-3' };
      expect(
        check(expiring.state, subject, query, { now: '2026-04-30T23:59:59.999Z' }).allowed,
      ).toBe(true);
      expect(
        check(expiring.state, subject, query, { now: '2026-05-01T00:00:00.000Z' }).allowed,
      ).toBe(false);
    });

    it('R31 an API key holds no workspace or project role', () => {
      expect(why({ type: 'api_key', id: 'k-1' }, project('p-1', 'view'))).toMatchObject({
        allowed: false,
        reason: 'API keys hold permissions, not workspace or project roles',
      });
    });

    it('R31 an invited or deactivated member holds nothing; a stranger neither', () => {
      const later = graphOf([
        ...world(),
        { type: 'MemberDeactivated', data: { userId: MEMBERS.bob } },
      ]);
      expect(
        explain(later.state, later.provenance, member('bob'), workspace('view'), { now: NOW }),
      ).toEqual({
        allowed: false,
        reason: 'member is deactivated',
        paths: [],
      });
      expect(ask({ type: 'user', id: 'u-nobody' }, workspace('view')).allowed).toBe(false);
    });
  });

  describe('workspace actions', () => {
    it('R31 R22 each action takes its least role, directly or through a group; org admins take all', () => {
      const allowed = (name: keyof typeof MEMBERS, action: Parameters<typeof workspace>[0]) =>
        ask(member(name), workspace(action)).allowed;
      expect(allowed('bob', 'view')).toBe(true);
      expect(allowed('bob', 'create_project')).toBe(false);
      expect(allowed('alice', 'create_project')).toBe(true);
      expect(allowed('carol', 'create_project')).toBe(true);
      expect(allowed('alice', 'view_all_projects')).toBe(false);
      expect(allowed('editor', 'view_all_projects')).toBe(true);
      expect(allowed('editor', 'manage')).toBe(false);
      expect(allowed('wsAdmin', 'manage')).toBe(true);
      expect(allowed('wsAdmin', 'view_usage')).toBe(true);
      expect(allowed('orgAdmin2', 'view_usage')).toBe(true);
      expect(allowed('dave', 'view')).toBe(false);
      expect(ask(member('carol'), workspace('view'))).toEqual({ allowed: true, role: 'user' });
    });

    it('R31 explain lists the group path and the org-admin path with their events', () => {
      expect(shape(why(member('carol'), workspace('create_project')).paths)).toEqual([
        {
          via: 'group',
          edges: [
            'user:u-carol -member_of-> group:g-eng @GroupMembersAdded',
            'group:g-eng -user-> workspace:ws-1 @WorkspacePrincipalAdded',
          ],
        },
      ]);
      expect(shape(why(member('orgAdmin2'), workspace('manage')).paths)).toEqual([
        { via: 'org_admin', edges: ['user:u-admin2 -has_role-> role:full_access @MemberInvited'] },
      ]);
    });
  });

  describe('project actions', () => {
    it('R31 R28 the effective role is the highest of ownership, direct, group, workspace and org-admin paths', () => {
      expect(ask(member('alice'), project('p-1', 'view'))).toEqual({
        allowed: true,
        role: 'owner',
      });
      expect(ask(member('bob'), project('p-1', 'view'))).toEqual({ allowed: true, role: 'viewer' });
      expect(ask(member('bob'), project('p-1', 'edit'))).toEqual({
        allowed: false,
        role: 'viewer',
      });
      expect(ask(member('editor'), project('p-1', 'view'))).toEqual({
        allowed: true,
        role: 'viewer',
      });
      expect(ask(member('orgAdmin2'), project('p-2', 'view'))).toEqual({
        allowed: true,
        role: 'viewer',
      });
      expect(ask(member('carol'), project('p-2', 'edit'))).toEqual({
        allowed: true,
        role: 'owner',
      });
      expect(ask(member('dave'), project('p-1', 'view'))).toEqual({ allowed: false });
    });

    it('R31 R25-R27 owners, workspace admins and org admins manage a project; members do not', () => {
      for (const name of ['alice', 'wsAdmin', 'orgAdmin2'] as const) {
        expect(ask(member(name), project('p-1', 'manage_members')).allowed).toBe(true);
        expect(ask(member(name), project('p-1', 'delete')).allowed).toBe(true);
      }
      expect(ask(member('bob'), project('p-1', 'manage_members')).allowed).toBe(false);
      expect(ask(member('editor'), project('p-1', 'delete')).allowed).toBe(false);
    });

    it('R31 explain gives every path of a member with several, each edge naming the latest event to set it', () => {
      const {
        state: s,
        provenance: p,
        history: h,
      } = graphOf([
        ...world(),
        projectMemberAdded('p-2', userP(MEMBERS.carol), 'viewer'),
        {
          type: 'ProjectMemberRoleChanged',
          data: {
            projectId: 'p-2',
            principal: userP(MEMBERS.carol),
            role: 'user',
            previousRole: 'viewer',
          },
        },
        workspacePrincipalAdded(WS, groupP(ENG), 'user'),
      ]);
      const explained = explain(s, p, member('carol'), project('p-2', 'view'), { now: NOW });
      expect(explained.role).toBe('owner');
      expect(shape(explained.paths)).toEqual([
        {
          via: 'ownership',
          edges: [
            'user:u-carol -member_of-> group:g-eng @GroupMembersAdded',
            'group:g-eng -owns-> project:p-2 @ProjectCreated',
          ],
        },
        { via: 'direct', edges: ['user:u-carol -user-> project:p-2 @ProjectMemberRoleChanged'] },
      ]);
      const changed = explained.paths[1].edges[0].event!;
      expect(h.find((event) => event.id === changed.eventId)?.type).toBe(
        'ProjectMemberRoleChanged',
      );
      expect(changed).toEqual({
        eventId: changed.eventId,
        type: 'ProjectMemberRoleChanged',
        actor: { type: 'user', id: 'sub-admin' },
        time: expect.any(String),
        position: String(h.findIndex((event) => event.id === changed.eventId) + 1),
      });
    });

    it('R22 R28 workspace editors and admins and org admins hold viewer on every project of a workspace by that role alone; admins manage them', () => {
      const wide = (name: keyof typeof MEMBERS) =>
        workspaceWideProjectGrants(state, MEMBERS[name], WS);
      expect(wide('editor')).toEqual({ role: 'viewer', manager: false });
      expect(wide('wsAdmin')).toEqual({ role: 'viewer', manager: true });
      expect(wide('orgAdmin2')).toEqual({ role: 'viewer', manager: true });
      // Project roles of one's own are not workspace-wide; nor are workspace users' and members'.
      for (const name of ['alice', 'bob', 'carol', 'dave'] as const) {
        expect(wide(name)).toBeUndefined();
      }
      // Where a member holds nothing on the project itself, that is their whole answer there.
      for (const name of ['editor', 'wsAdmin', 'orgAdmin2'] as const) {
        const grants = projectGrants(state, MEMBERS[name], 'p-1')!;
        expect({ role: grants.role, manager: grants.manager }).toEqual(wide(name));
      }
    });

    it('R31 a deleted or unknown project grants nothing', () => {
      const deleted = graphOf([...world(), { type: 'ProjectDeleted', data: { projectId: 'p-1' } }]);
      expect(check(deleted.state, member('alice'), project('p-1', 'view'), { now: NOW })).toEqual({
        allowed: false,
      });
      expect(ask(member('alice'), project('p-404', 'view')).allowed).toBe(false);
    });
  });

  describe('dashboard actions', () => {
    const dashboard = (
      action: 'view' | 'delete' | 'view_data',
      projectId?: string,
    ): AccessQuery => ({
      kind: 'dashboard',
      dashboardId: 'd-1',
      action,
      projectId,
    });

    it('R31 R29 workspace members see a dashboard; its creator, workspace admins and org admins delete it', () => {
      expect(ask(member('bob'), dashboard('view')).allowed).toBe(true);
      expect(ask(member('dave'), dashboard('view')).allowed).toBe(false);
      expect(ask(member('alice'), dashboard('delete')).allowed).toBe(true);
      expect(ask(member('wsAdmin'), dashboard('delete')).allowed).toBe(true);
      expect(ask(member('bob'), dashboard('delete')).allowed).toBe(false);
      expect(shape(why(member('alice'), dashboard('delete')).paths)).toEqual([
        { via: 'creator', edges: ['user:u-alice -created-> dashboard:d-1 @DashboardCreated'] },
      ]);
    });

    it('R31 R29 its data is served per project, to readers of that project only', () => {
      expect(ask(member('bob'), dashboard('view_data', 'p-1')).allowed).toBe(true);
      expect(ask(member('carol'), dashboard('view_data', 'p-1')).allowed).toBe(false);
      expect(why(member('bob'), dashboard('view_data', 'p-2'))).toMatchObject({
        allowed: false,
        reason: 'the dashboard does not read that project',
      });
    });
  });

  it('R31 explain and check agree on every member, query and resource of the fixture', () => {
    const queries: AccessQuery[] = [
      ...(['view', 'create_project', 'view_all_projects', 'manage', 'view_usage'] as const).map(
        (a) => workspace(a),
      ),
      ...['p-1', 'p-2'].flatMap((id) =>
        (['view', 'edit', 'manage_members', 'delete'] as const).map((a) => project(id, a)),
      ),
      { kind: 'permission', permission: 'checks.read' },
      { kind: 'permission', permission: 'truora.users' },
    ];
    for (const name of Object.keys(MEMBERS) as (keyof typeof MEMBERS)[]) {
      for (const query of queries) {
        const checked = ask(member(name), query);
        const explained = why(member(name), query);
        expect({ name, query, ...checked }).toEqual({
          name,
          query,
          allowed: explained.allowed,
          ...(explained.role && { role: explained.role }),
        });
        expect(explained.paths.length > 0).toBe(checked.allowed);
        for (const path of explained.paths) {
          for (const e of path.edges)
            expect(history.some((event) => event.id === e.event?.eventId)).toBe(true);
        }
      }
    }
  });
});
