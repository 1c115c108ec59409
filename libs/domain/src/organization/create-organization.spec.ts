import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import {
  ADMIN,
  admin,
  command,
  organizationCreated,
  ORG,
  stateOf,
  support,
  user,
} from '../testing/organization.fixtures.js';
import { memberPermissions, rolePermissions } from './organization.permissions.js';
import { visibleWorkspaces, workspaceRoleOf } from '../testing/access-answers.js';

const given = DeciderSpecification.for(organizationDecider);

const create = (overrides: Partial<Parameters<typeof command<'CreateOrganization'>>[1]> = {}) =>
  command(
    'CreateOrganization',
    {
      organizationId: ORG,
      name: '  Acme  ',
      catalog: ['checks.write', 'checks.read'],
      firstUser: ADMIN,
      defaultWorkspaceId: 'ws-acme',
      ...overrides,
    },
    support,
  );

describe('CreateOrganization', () => {
  it('R1 creates the organization with its catalog, truora.users and truora.keys, an active full_access first member, and the Default workspace with them as admin', () => {
    given([])
      .when(create())
      .then([
        {
          type: 'OrganizationCreated',
          data: {
            organizationId: ORG,
            name: 'Acme',
            catalog: ['checks.read', 'checks.write', 'truora.keys', 'truora.users'],
            firstMember: ADMIN,
            defaultWorkspaceId: 'ws-acme',
          },
        },
        {
          type: 'WorkspaceCreated',
          data: { workspaceId: 'ws-acme', name: 'Default' },
          causedBy: 0,
        },
        {
          type: 'WorkspacePrincipalAdded',
          data: {
            workspaceId: 'ws-acme',
            principal: { type: 'user', id: ADMIN.userId },
            role: 'admin',
          },
          causedBy: 0,
        },
      ]);
  });

  it('R1 once folded, the first member is admin of the Default workspace', () => {
    const state = stateOf(organizationDecider.decide(create(), organizationDecider.initialState()));
    expect(state.workspaces.get('ws-acme')?.name).toBe('Default');
    expect(workspaceRoleOf(state, ADMIN.userId, 'ws-acme')).toBe('admin');
    expect(visibleWorkspaces(state, ADMIN.userId)).toEqual([
      { workspaceId: 'ws-acme', name: 'Default', role: 'admin' },
    ]);
  });

  it('R1 the first member is active with full_access once the event is folded', () => {
    const [event] = organizationDecider.decide(create(), organizationDecider.initialState());
    const state = stateOf([event]);
    expect(state.members.get(ADMIN.userId)).toMatchObject({
      roleId: 'full_access',
      status: 'active',
    });
    expect(memberPermissions(state, ADMIN.userId)).toEqual(rolePermissions(state, 'full_access'));
  });

  it('R1 leaves out the default admin permissions when support says so', () => {
    const [event] = organizationDecider.decide(
      create({ withoutDefaultAdminPermissions: true }),
      organizationDecider.initialState(),
    );
    expect(event.data).toMatchObject({ catalog: ['checks.read', 'checks.write'] });
  });

  it('R6 never puts truora.roles in a new catalog by default', () => {
    const [event] = organizationDecider.decide(create(), organizationDecider.initialState());
    expect(event.data).toMatchObject({ catalog: expect.not.arrayContaining(['truora.roles']) });
  });

  it('R6 puts truora.roles in the catalog when support asks for it', () => {
    const [event] = organizationDecider.decide(
      create({ catalog: ['truora.roles', 'checks.read', 'checks.read'] }),
      organizationDecider.initialState(),
    );
    expect(event.data).toMatchObject({
      catalog: ['checks.read', 'truora.keys', 'truora.roles', 'truora.users'],
    });
  });

  it('R1 a new catalog holds neither entitlement unless support lists it', () => {
    const catalogOf = (overrides: Parameters<typeof create>[0]) => {
      const [event] = organizationDecider.decide(
        create(overrides),
        organizationDecider.initialState(),
      );
      return (event.data as { catalog: string[] }).catalog;
    };
    for (const overrides of [{}, { withoutDefaultAdminPermissions: true }]) {
      expect(catalogOf(overrides)).toEqual(expect.not.arrayContaining(['truora.workspaces']));
      expect(catalogOf(overrides)).toEqual(expect.not.arrayContaining(['truora.directory']));
    }
    expect(catalogOf({ catalog: ['checks.read', 'truora.workspaces'] })).toEqual([
      'checks.read',
      'truora.keys',
      'truora.users',
      'truora.workspaces',
    ]);
    expect(
      catalogOf({ catalog: ['truora.directory'], withoutDefaultAdminPermissions: true }),
    ).toEqual(['truora.directory']);
  });

  it('R1 R42 the Default workspace comes with the organization even without truora.workspaces, and the org admin is then refused a second one', () => {
    const events = organizationDecider.decide(create(), organizationDecider.initialState());
    expect(events.map((e) => e.type)).toEqual([
      'OrganizationCreated',
      'WorkspaceCreated',
      'WorkspacePrincipalAdded',
    ]);
    given(events)
      .when(
        command('CreateWorkspace', { workspaceId: 'ws-2', name: 'Sales', principals: [] }, admin),
      )
      .thenThrows('ENTITLEMENT_REQUIRED');
  });

  it('R1 refuses an organization that already exists', () => {
    given([organizationCreated()])
      .when(create())
      .thenThrows('ORGANIZATION_ALREADY_EXISTS', (e) => expect(e.kind).toBe('conflict'));
  });

  it('R1 only support creates organizations', () => {
    given([])
      .when({ ...create(), metadata: { actor: admin, now: create().metadata.now } })
      .thenThrows('ORGANIZATION_NOT_FOUND');
    given([organizationCreated()])
      .when({ ...create(), metadata: { actor: admin, now: create().metadata.now } })
      .thenThrows('SUPPORT_ONLY', (e) => expect(e.kind).toBe('forbidden'));
  });

  it('refuses malformed permissions, naming them', () => {
    given([])
      .when(create({ catalog: ['checks.read', 'Checks Write', ''] }))
      .thenThrows('INVALID_PERMISSION', (e) => {
        expect(e.kind).toBe('invalid');
        expect(e.details).toEqual({ invalid: ['Checks Write', ''] });
        expect(e.message).toContain('"Checks Write"');
      });
  });

  it('refuses a first user without a valid e-mail, and a blank name', () => {
    given([])
      .when(create({ firstUser: { userId: 'u1', email: 'not-an-email' } }))
      .thenThrows('INVALID_EMAIL');
    given([])
      .when(create({ name: '   ' }))
      .thenThrows('INVALID_ORGANIZATION_NAME');
  });

  it('S1 a user of no organization is told the organization does not exist', () => {
    given([organizationCreated()])
      .when(command('AddCatalogPermissions', { permissions: ['x.y'] }, user('eve@evil.test')))
      .thenThrows('ORGANIZATION_NOT_FOUND', (e) => expect(e.kind).toBe('not_found'));
  });
});
