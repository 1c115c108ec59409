import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import {
  activeMember,
  admin,
  command,
  memberInvited,
  organizationCreated,
  roleCreated,
  user,
} from '../testing/organization.fixtures.js';

const given = DeciderSpecification.for(organizationDecider);

/** An organization whose catalog holds truora.roles, so that its admin can manage roles (R6). */
const WITH_ROLES = [
  'checks.read',
  'checks.write',
  'reports.read',
  'truora.keys',
  'truora.roles',
  'truora.users',
];
const created = organizationCreated(WITH_ROLES);
const createRole = (roleId: string, name: string, permissions: string[], actor = admin) =>
  command('CreateRole', { roleId, name, permissions }, actor);

describe('roles', () => {
  it('creates a custom role with trimmed name and sorted, de-duplicated permissions', () => {
    given([created])
      .when(createRole('r-ops', '  Ops  ', ['checks.write', 'checks.read', 'checks.write']))
      .then([roleCreated('r-ops', 'Ops', ['checks.read', 'checks.write'])]);
  });

  it('R3 refuses permissions outside the catalog, naming them', () => {
    given([created])
      .when(createRole('r-ops', 'Ops', ['checks.read', 'billing.write', 'audit.read']))
      .thenThrows('PERMISSIONS_NOT_IN_CATALOG', (e) => {
        expect(e.kind).toBe('rule');
        expect(e.details).toEqual({ missing: ['audit.read', 'billing.write'] });
        expect(e.message).toContain('audit.read, billing.write');
      });
  });

  it('R3 refuses an update that adds a permission outside the catalog', () => {
    given([created, roleCreated('r-ops', 'Ops', ['checks.read'])])
      .when(command('UpdateRole', { roleId: 'r-ops', permissions: ['checks.read', 'nope.x'] }))
      .thenThrows('PERMISSIONS_NOT_IN_CATALOG');
  });

  it('refuses malformed permissions in a role', () => {
    given([created])
      .when(createRole('r-ops', 'Ops', ['Checks.Read']))
      .thenThrows('INVALID_PERMISSION', (e) => expect(e.kind).toBe('invalid'));
  });

  it('R5 refuses creating, editing or deleting a built-in role', () => {
    given([created])
      .when(createRole('full_access', 'Everything', []))
      .thenThrows('BUILT_IN_ROLE', (e) => expect(e.kind).toBe('rule'));
    given([created])
      .when(command('UpdateRole', { roleId: 'default_access', name: 'Users' }))
      .thenThrows('BUILT_IN_ROLE');
    given([created])
      .when(command('UpdateRole', { roleId: 'full_access', permissions: ['checks.read'] }))
      .thenThrows('BUILT_IN_ROLE');
    given([created])
      .when(command('DeleteRole', { roleId: 'default_access' }))
      .thenThrows('BUILT_IN_ROLE');
  });

  it('R5 role names are unique case-insensitively, built-in names included', () => {
    given([created, roleCreated('r-ops', 'Ops', [])])
      .when(createRole('r-ops2', ' OPS ', []))
      .thenThrows('ROLE_NAME_TAKEN', (e) => expect(e.kind).toBe('conflict'));
    given([created])
      .when(createRole('r-x', 'Full_Access', []))
      .thenThrows('ROLE_NAME_TAKEN');
    given([created, roleCreated('r-ops', 'Ops', []), roleCreated('r-dev', 'Dev', [])])
      .when(command('UpdateRole', { roleId: 'r-dev', name: 'ops' }))
      .thenThrows('ROLE_NAME_TAKEN');
  });

  it('R5 a role may be renamed to another case of its own name, and a deleted name is free again', () => {
    given([created, roleCreated('r-ops', 'Ops', [])])
      .when(command('UpdateRole', { roleId: 'r-ops', name: 'OPS' }))
      .then([{ type: 'RoleUpdated', data: { roleId: 'r-ops', name: 'OPS', permissions: [] } }]);
    given([
      created,
      roleCreated('r-ops', 'Ops', []),
      { type: 'RoleDeleted', data: { roleId: 'r-ops' } },
    ])
      .when(createRole('r-ops2', 'ops', []))
      .then([roleCreated('r-ops2', 'ops', [])]);
  });

  it('refuses a role id that already exists', () => {
    given([created, roleCreated('r-ops', 'Ops', [])])
      .when(createRole('r-ops', 'Other', []))
      .thenThrows('ROLE_ALREADY_EXISTS', (e) => expect(e.kind).toBe('conflict'));
  });

  it('refuses a blank or over-long role name', () => {
    given([created])
      .when(createRole('r-x', '   ', []))
      .thenThrows('INVALID_ROLE_NAME');
    given([created])
      .when(createRole('r-x', 'x'.repeat(65), []))
      .thenThrows('INVALID_ROLE_NAME');
  });

  it('updates name and permissions, keeping what is left out; an unchanged role appends nothing', () => {
    const history = [created, roleCreated('r-ops', 'Ops', ['checks.read'])];
    given(history)
      .when(
        command('UpdateRole', { roleId: 'r-ops', permissions: ['reports.read', 'checks.read'] }),
      )
      .then([
        {
          type: 'RoleUpdated',
          data: { roleId: 'r-ops', name: 'Ops', permissions: ['checks.read', 'reports.read'] },
        },
      ]);
    given(history)
      .when(command('UpdateRole', { roleId: 'r-ops', name: 'Ops', permissions: ['checks.read'] }))
      .thenNothing();
  });

  it('refuses updating or deleting an unknown role', () => {
    given([created])
      .when(command('UpdateRole', { roleId: 'r-none', name: 'X' }))
      .thenThrows('ROLE_NOT_FOUND', (e) => expect(e.kind).toBe('not_found'));
    given([created])
      .when(command('DeleteRole', { roleId: 'r-none' }))
      .thenThrows('ROLE_NOT_FOUND');
  });

  it('deletes a role nobody holds', () => {
    given([created, roleCreated('r-ops', 'Ops', [])])
      .when(command('DeleteRole', { roleId: 'r-ops' }))
      .then([{ type: 'RoleDeleted', data: { roleId: 'r-ops' } }]);
  });

  it('R5 refuses deleting a role held by any member, invitees included, listing them', () => {
    given([
      created,
      roleCreated('r-ops', 'Ops', []),
      memberInvited('u2', 'two@acme.test', 'r-ops'),
      ...activeMember('u3', 'three@acme.test', 'r-ops'),
    ])
      .when(command('DeleteRole', { roleId: 'r-ops' }))
      .thenThrows('ROLE_IN_USE', (e) => {
        expect(e.kind).toBe('conflict');
        expect(e.details).toMatchObject({ userIds: ['u2', 'u3'], count: 2 });
      });
  });

  it('R5 a role is free to delete once its last holder has moved to another role', () => {
    given([
      created,
      roleCreated('r-ops', 'Ops', []),
      memberInvited('u2', 'two@acme.test', 'r-ops'),
      {
        type: 'MemberRoleChanged',
        data: { userId: 'u2', roleId: 'default_access', previousRoleId: 'r-ops' },
      },
    ])
      .when(command('DeleteRole', { roleId: 'r-ops' }))
      .then([{ type: 'RoleDeleted', data: { roleId: 'r-ops' } }]);
  });

  it('R6 R42 without truora.roles in the catalog nobody can create or edit roles, not even full_access, and is told to ask Support', () => {
    given([organizationCreated()])
      .when(createRole('r-ops', 'Ops', ['checks.read']))
      .thenThrows('ENTITLEMENT_REQUIRED', (e) => {
        expect(e.kind).toBe('forbidden');
        expect(e.message).toBe(
          "Custom roles are enabled on request: ask Support to add truora.roles to this organization's catalog.",
        );
        expect(e.details).toEqual({ entitlement: 'truora.roles' });
      });
    given([organizationCreated(), roleCreated('r-ops', 'Ops', [])])
      .when(command('DeleteRole', { roleId: 'r-ops' }))
      .thenThrows('ENTITLEMENT_REQUIRED');
  });

  it('R6 a member whose role lacks truora.roles cannot manage roles', () => {
    given([created, ...activeMember('u2', 'two@acme.test', 'default_access')])
      .when(createRole('r-ops', 'Ops', ['checks.read'], user('two@acme.test')))
      .thenThrows('MISSING_PERMISSION');
  });

  it('R12 refuses putting in a role a permission the actor does not hold', () => {
    const history = [
      created,
      roleCreated('r-rolemgr', 'Role managers', ['truora.roles', 'checks.read']),
      ...activeMember('u2', 'two@acme.test', 'r-rolemgr'),
    ];
    given(history)
      .when(createRole('r-ops', 'Ops', ['checks.read', 'checks.write'], user('two@acme.test')))
      .thenThrows('PRIVILEGE_ESCALATION', (e) => {
        expect(e.kind).toBe('forbidden');
        expect(e.details).toEqual({ missing: ['checks.write'] });
      });
    given(history)
      .when(createRole('r-ops', 'Ops', ['checks.read'], user('two@acme.test')))
      .then([roleCreated('r-ops', 'Ops', ['checks.read'])]);
  });

  it('R12 on update only the permissions being added count; removing what one lacks is allowed', () => {
    const history = [
      created,
      roleCreated('r-rolemgr', 'Role managers', ['truora.roles', 'checks.read']),
      roleCreated('r-ops', 'Ops', ['checks.read', 'checks.write']),
      ...activeMember('u2', 'two@acme.test', 'r-rolemgr'),
    ];
    given(history)
      .when(
        command(
          'UpdateRole',
          { roleId: 'r-ops', permissions: ['checks.read'] },
          user('two@acme.test'),
        ),
      )
      .then([
        {
          type: 'RoleUpdated',
          data: { roleId: 'r-ops', name: 'Ops', permissions: ['checks.read'] },
        },
      ]);
    given(history)
      .when(
        command(
          'UpdateRole',
          { roleId: 'r-ops', permissions: ['checks.read', 'checks.write', 'reports.read'] },
          user('two@acme.test'),
        ),
      )
      .thenThrows('PRIVILEGE_ESCALATION', (e) =>
        expect(e.details).toEqual({ missing: ['reports.read'] }),
      );
  });
});
