import { workspaceDecider, workspaceStream } from './workspace.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import { admin, auditor, NOW, support, system } from '../testing/organization.fixtures.js';
import type { Actor } from '../shared/actor.js';
import type { WorkspaceCommand } from './workspace.commands.js';
import type { WorkspaceEvent } from './workspace.events.js';

const given = DeciderSpecification.for(workspaceDecider);
const as = <C extends WorkspaceCommand>(c: Omit<C, 'metadata'>, actor: Actor = system): C =>
  ({ ...c, metadata: { actor, now: NOW } }) as C;

const create = (actor: Actor = system) =>
  as<Extract<WorkspaceCommand, { type: 'CreateWorkspace' }>>(
    {
      type: 'CreateWorkspace',
      data: {
        workspaceId: 'ws-1',
        organizationId: 'acme',
        name: ' Default ',
        principals: [
          { principal: { type: 'user', id: 'u-admin' }, role: 'admin' },
          { principal: { type: 'group', id: 'g-1' }, role: 'member' },
        ],
      },
    },
    actor,
  );
const addPrincipal = (id: string, role: 'user' | 'admin' = 'user', actor: Actor = system) =>
  as<Extract<WorkspaceCommand, { type: 'AddWorkspacePrincipal' }>>(
    {
      type: 'AddWorkspacePrincipal',
      data: { workspaceId: 'ws-1', principal: { type: 'user', id }, role },
    },
    actor,
  );

const created: WorkspaceEvent = {
  type: 'WorkspaceCreated',
  data: { workspaceId: 'ws-1', organizationId: 'acme', name: 'Default' },
};
const added = (id: string, role: 'admin' | 'user' = 'user'): WorkspaceEvent => ({
  type: 'WorkspacePrincipalAdded',
  data: { workspaceId: 'ws-1', principal: { type: 'user', id }, role },
});

describe('workspace', () => {
  it('names its stream workspace-<id>', () => {
    expect(workspaceStream('ws-1')).toBe('workspace-ws-1');
  });

  it('R1 creates a workspace with one principal-added event per initial principal', () => {
    given([])
      .when(create())
      .then([
        created,
        added('u-admin', 'admin'),
        {
          type: 'WorkspacePrincipalAdded',
          data: { workspaceId: 'ws-1', principal: { type: 'group', id: 'g-1' }, role: 'member' },
        },
      ]);
  });

  it('refuses creating a workspace that exists', () => {
    given([created])
      .when(create())
      .thenThrows('WORKSPACE_ALREADY_EXISTS', (e) => expect(e.kind).toBe('conflict'));
  });

  it('refuses an unknown role or a principal listed twice', () => {
    const bad = create();
    bad.data.principals = [{ principal: { type: 'user', id: 'u1' }, role: 'owner' as 'admin' }];
    given([]).when(bad).thenThrows('INVALID_WORKSPACE_ROLE');
    const twice = create();
    twice.data.principals = [
      { principal: { type: 'user', id: 'u1' }, role: 'admin' },
      { principal: { type: 'user', id: 'u1' }, role: 'user' },
    ];
    given([]).when(twice).thenThrows('DUPLICATE_PRINCIPAL');
  });

  it('R9 adds a principal', () => {
    given([created])
      .when(addPrincipal('u2'))
      .then([added('u2')]);
  });

  it('R9 adding a principal already there appends nothing, whatever the role (follow-ups may run twice)', () => {
    given([created, added('u2')])
      .when(addPrincipal('u2'))
      .thenNothing();
    given([created, added('u2')])
      .when(addPrincipal('u2', 'admin'))
      .thenNothing();
  });

  it('refuses adding to an unknown workspace', () => {
    given([])
      .when(addPrincipal('u2'))
      .thenThrows('WORKSPACE_NOT_FOUND', (e) => expect(e.kind).toBe('not_found'));
  });

  it('support may run workspace commands too', () => {
    given([created])
      .when(addPrincipal('u2', 'user', support))
      .then([added('u2')]);
  });

  it('members cannot manage workspaces yet; auditors never can', () => {
    given([created])
      .when(addPrincipal('u2', 'user', admin))
      .thenThrows('WORKSPACE_MANAGEMENT_UNAVAILABLE', (e) => {
        expect(e.kind).toBe('forbidden');
        expect(e.message).toContain('workspace issue');
      });
    given([]).when(create(auditor)).thenThrows('READ_ONLY_ACTOR');
  });
});
