import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import {
  ADMIN,
  activeMember,
  admin,
  apiKeyIssued,
  command,
  fullAccessSnapshot,
  memberActivated,
  memberInvited,
  NOW,
  organizationCreated,
  roleCreated,
  stateOf,
  user,
} from '../testing/organization.fixtures.js';
import type { OrganizationEvent } from './organization.events.js';
import { apiKeyEffectivePermissions, memberPermissions } from './organization.permissions.js';
import { DEFAULT_WS, orgCreated } from '../testing/access-graph.fixtures.js';
import { workspaceRoleOf } from '../testing/access-answers.js';

const given = DeciderSpecification.for(organizationDecider);
const joinedDefault = (userId: string): OrganizationEvent => ({
  type: 'WorkspacePrincipalAdded',
  data: { workspaceId: DEFAULT_WS, principal: { type: 'user', id: userId }, role: 'user' },
  causedBy: 0,
});
const created = organizationCreated();
const invite = (userId: string, email: string, roleId?: string, actor = admin) =>
  command(
    'InviteMember',
    roleId === undefined ? { userId, email } : { userId, email, roleId },
    actor,
  );
const signIn = (email: string, subject = `sub-${email}`) =>
  command('SignIn', { subject, email, groups: [] }, user(email, subject));
const deactivated = (userId: string): OrganizationEvent => ({
  type: 'MemberDeactivated',
  data: { userId },
});

describe('members', () => {
  describe('InviteMember', () => {
    it('R9 invites an email with default_access unless a role is given, into the Default workspace as user', () => {
      given(orgCreated())
        .when(invite('u2', ' Two@Acme.test '))
        .then([
          memberInvited('u2', 'Two@Acme.test', 'default_access', ADMIN.userId),
          joinedDefault('u2'),
        ]);
    });

    it('R9 invites with the given role', () => {
      given([...orgCreated(), roleCreated('r-ops', 'Ops', ['checks.read'])])
        .when(invite('u2', 'two@acme.test', 'r-ops'))
        .then([memberInvited('u2', 'two@acme.test', 'r-ops', ADMIN.userId), joinedDefault('u2')]);
    });

    it('R9 the Default workspace is found by id, even renamed', () => {
      given([
        ...orgCreated(),
        { type: 'WorkspaceRenamed', data: { workspaceId: DEFAULT_WS, name: 'Everyone' } },
      ])
        .when(invite('u2', 'two@acme.test'))
        .then([
          memberInvited('u2', 'two@acme.test', 'default_access', ADMIN.userId),
          joinedDefault('u2'),
        ]);
    });

    it('R9 once folded, the invitee is a user of the Default workspace', () => {
      const state = stateOf(orgCreated());
      const events = organizationDecider.decide(invite('u2', 'two@acme.test'), state);
      expect(workspaceRoleOf(stateOf([...orgCreated(), ...events]), 'u2', DEFAULT_WS)).toBe('user');
    });

    it('R9 a history without a Default workspace (from before R1 recorded it) invites without one', () => {
      given([created])
        .when(invite('u2', 'two@acme.test'))
        .then([memberInvited('u2', 'two@acme.test', 'default_access', ADMIN.userId)]);
    });

    it('R9 the invitee is invited, not active, and holds no permissions until sign-in', () => {
      const state = stateOf([created, memberInvited('u2', 'two@acme.test')]);
      expect(state.members.get('u2')?.status).toBe('invited');
      expect(memberPermissions(state, 'u2')).toEqual([]);
    });

    it('R9 records a null inviter when an API key invites', () => {
      given([created, apiKeyIssued('k1', fullAccessSnapshot())])
        .when(
          invite('u2', 'two@acme.test', undefined, {
            type: 'api_key',
            keyId: 'k1',
            organizationId: 'acme',
          }),
        )
        .then([memberInvited('u2', 'two@acme.test', 'default_access', null)]);
    });

    it('R10 refuses inviting an email that is already a member, whatever its case or status', () => {
      given([created])
        .when(invite('u2', 'ADMIN@acme.TEST'))
        .thenThrows('EMAIL_ALREADY_MEMBER', (e) => expect(e.kind).toBe('conflict'));
      given([created, memberInvited('u2', 'two@acme.test')])
        .when(invite('u3', 'two@acme.test'))
        .thenThrows('EMAIL_ALREADY_MEMBER');
      given([created, memberInvited('u2', 'two@acme.test'), deactivated('u2')])
        .when(invite('u3', 'Two@acme.test'))
        .thenThrows('EMAIL_ALREADY_MEMBER');
    });

    it('R10 a removed member can be invited again', () => {
      given([
        created,
        memberInvited('u2', 'two@acme.test'),
        { type: 'MemberRemoved', data: { userId: 'u2' } },
      ])
        .when(invite('u2', 'two@acme.test'))
        .then([memberInvited('u2', 'two@acme.test', 'default_access', ADMIN.userId)]);
    });

    it('refuses a user id that is already a member', () => {
      given([created, memberInvited('u2', 'two@acme.test')])
        .when(invite('u2', 'other@acme.test'))
        .thenThrows('MEMBER_ALREADY_EXISTS', (e) => expect(e.kind).toBe('conflict'));
    });

    it('refuses an unknown role and a malformed e-mail', () => {
      given([created])
        .when(invite('u2', 'two@acme.test', 'r-none'))
        .thenThrows('ROLE_NOT_FOUND');
      given([created])
        .when(invite('u2', 'two at acme'))
        .thenThrows('INVALID_EMAIL', (e) => expect(e.kind).toBe('invalid'));
    });

    it('requires truora.users', () => {
      given([created, ...activeMember('u2', 'two@acme.test')])
        .when(invite('u3', 'three@acme.test', undefined, user('two@acme.test')))
        .thenThrows('MISSING_PERMISSION', (e) =>
          expect(e.details).toEqual({ missing: ['truora.users'] }),
        );
    });

    it('R12 refuses inviting with a role the inviter does not hold', () => {
      const history = [
        created,
        roleCreated('r-inviter', 'Inviters', ['truora.users', 'checks.read']),
        ...activeMember('u2', 'two@acme.test', 'r-inviter'),
      ];
      given(history)
        .when(invite('u3', 'three@acme.test', 'full_access', user('two@acme.test')))
        .thenThrows('PRIVILEGE_ESCALATION', (e) =>
          expect(e.details).toEqual({ missing: ['checks.write', 'truora.keys'] }),
        );
      // default_access is checks.read + checks.write here, so also out of reach.
      given(history)
        .when(invite('u3', 'three@acme.test', undefined, user('two@acme.test')))
        .thenThrows('PRIVILEGE_ESCALATION', (e) =>
          expect(e.details).toEqual({ missing: ['checks.write'] }),
        );
    });
  });

  describe('SignIn', () => {
    it('R9 the first sign-in of an invitee with a matching e-mail activates them', () => {
      given([created, memberInvited('u2', 'two@acme.test')])
        .when(signIn('TWO@acme.test', 'sub-2'))
        .then([{ type: 'MemberActivated', data: { userId: 'u2', subject: 'sub-2' } }]);
    });

    it('R9 later sign-ins of an active member append nothing', () => {
      given([created, ...activeMember('u2', 'two@acme.test')])
        .when(signIn('two@acme.test'))
        .thenNothing();
    });

    it('R9 refuses the sign-in of a deactivated member', () => {
      given([created, ...activeMember('u2', 'two@acme.test'), deactivated('u2')])
        .when(signIn('two@acme.test'))
        .thenThrows('MEMBER_DEACTIVATED', (e) => expect(e.kind).toBe('forbidden'));
    });

    it('R9 an e-mail that is not a member gets ORGANIZATION_NOT_FOUND (S1)', () => {
      given([created]).when(signIn('stranger@else.test')).thenThrows('ORGANIZATION_NOT_FOUND');
    });

    it("R9 refuses a sign-in whose claims are not the actor's own", () => {
      given([created, memberInvited('u2', 'two@acme.test')])
        .when(command('SignIn', { subject: 's', email: 'two@acme.test', groups: [] }, admin))
        .thenThrows('SIGN_IN_NOT_SELF');
    });
  });

  describe('ChangeMemberRole', () => {
    const history = [created, ...activeMember('u2', 'two@acme.test')];

    it('R7 replaces the one role a member holds', () => {
      given(history)
        .when(command('ChangeMemberRole', { userId: 'u2', roleId: 'full_access' }))
        .then([
          {
            type: 'MemberRoleChanged',
            data: { userId: 'u2', roleId: 'full_access', previousRoleId: 'default_access' },
          },
        ]);
    });

    it('R7 one role may be held by many members', () => {
      const state = stateOf([...history, ...activeMember('u3', 'three@acme.test')]);
      expect(state.holdersByRole.get('default_access')).toEqual(new Set(['u2', 'u3']));
      expect(memberPermissions(state, 'u2')).toEqual(memberPermissions(state, 'u3'));
    });

    it('changing to the role already held appends nothing', () => {
      given(history)
        .when(command('ChangeMemberRole', { userId: 'u2', roleId: 'default_access' }))
        .thenNothing();
    });

    it('refuses an unknown member or role', () => {
      given(history)
        .when(command('ChangeMemberRole', { userId: 'u9', roleId: 'full_access' }))
        .thenThrows('MEMBER_NOT_FOUND', (e) => expect(e.kind).toBe('not_found'));
      given(history)
        .when(command('ChangeMemberRole', { userId: 'u2', roleId: 'r-none' }))
        .thenThrows('ROLE_NOT_FOUND');
    });

    it('R8 refuses demoting the last active full_access member', () => {
      given(history)
        .when(command('ChangeMemberRole', { userId: ADMIN.userId, roleId: 'default_access' }))
        .thenThrows('LAST_FULL_ACCESS_MEMBER', (e) => expect(e.kind).toBe('conflict'));
    });

    it('R8 allows demoting a full_access member while another active one remains', () => {
      given([created, ...activeMember('u2', 'two@acme.test', 'full_access')])
        .when(command('ChangeMemberRole', { userId: ADMIN.userId, roleId: 'default_access' }))
        .then([
          {
            type: 'MemberRoleChanged',
            data: { userId: ADMIN.userId, roleId: 'default_access', previousRoleId: 'full_access' },
          },
        ]);
    });

    it('R8 an invited or deactivated full_access member does not count', () => {
      given([created, memberInvited('u2', 'two@acme.test', 'full_access')])
        .when(command('ChangeMemberRole', { userId: ADMIN.userId, roleId: 'default_access' }))
        .thenThrows('LAST_FULL_ACCESS_MEMBER');
      given([created, ...activeMember('u2', 'two@acme.test', 'full_access'), deactivated('u2')])
        .when(command('ChangeMemberRole', { userId: ADMIN.userId, roleId: 'default_access' }))
        .thenThrows('LAST_FULL_ACCESS_MEMBER');
    });

    it('R12 refuses assigning a role the actor does not hold', () => {
      given([
        created,
        roleCreated('r-hr', 'HR', ['truora.users', 'checks.read']),
        ...activeMember('u2', 'two@acme.test', 'r-hr'),
        ...activeMember('u3', 'three@acme.test'),
      ])
        .when(
          command(
            'ChangeMemberRole',
            { userId: 'u3', roleId: 'full_access' },
            user('two@acme.test'),
          ),
        )
        .thenThrows('PRIVILEGE_ESCALATION', (e) =>
          expect(e.details).toEqual({ missing: ['checks.write', 'truora.keys'] }),
        );
    });
  });

  describe('R41 no demoting superiors', () => {
    // HR holds truora.users but not full_access: it manages members, yet not those above it.
    const hr = user('hr@acme.test');
    const history = [
      created,
      roleCreated('r-hr', 'HR', ['truora.users', 'checks.read']),
      roleCreated('r-viewer', 'Viewer', ['checks.read']),
      ...activeMember('u-hr', 'hr@acme.test', 'r-hr'),
      ...activeMember('u-hr2', 'hr2@acme.test', 'r-hr'),
      ...activeMember('u-viewer', 'viewer@acme.test', 'r-viewer'),
    ];
    const outranked = (userId: string) => (e: { details?: unknown }) =>
      expect(e.details).toEqual({ userId, missing: ['checks.write', 'truora.keys'] });

    it('R41 refuses demoting an org admin, even to a role the actor holds (R12 allows it)', () => {
      given(history)
        .when(command('ChangeMemberRole', { userId: ADMIN.userId, roleId: 'r-hr' }, hr))
        .thenThrows('MEMBER_OUTRANKS_ACTOR', outranked(ADMIN.userId));
    });

    it('R41 refuses deactivating or removing an org admin', () => {
      given(history)
        .when(command('DeactivateMember', { userId: ADMIN.userId }, hr))
        .thenThrows('MEMBER_OUTRANKS_ACTOR', outranked(ADMIN.userId));
      given(history)
        .when(command('RemoveMember', { userId: ADMIN.userId }, hr))
        .thenThrows('MEMBER_OUTRANKS_ACTOR', outranked(ADMIN.userId));
    });

    it('R41 refuses acting on a default_access member holding a permission the actor lacks', () => {
      given([...history, ...activeMember('u4', 'four@acme.test')])
        .when(command('DeactivateMember', { userId: 'u4' }, hr))
        .thenThrows('MEMBER_OUTRANKS_ACTOR', (e) =>
          expect(e.details).toEqual({ userId: 'u4', missing: ['checks.write'] }),
        );
    });

    it('R41 allows changing, deactivating and removing members whose role the actor holds entirely', () => {
      given(history)
        .when(command('ChangeMemberRole', { userId: 'u-viewer', roleId: 'r-hr' }, hr))
        .then([
          {
            type: 'MemberRoleChanged',
            data: { userId: 'u-viewer', roleId: 'r-hr', previousRoleId: 'r-viewer' },
          },
        ]);
      given(history)
        .when(command('DeactivateMember', { userId: 'u-hr2' }, hr))
        .then([{ type: 'MemberDeactivated', data: { userId: 'u-hr2' } }]);
      given(history)
        .when(command('RemoveMember', { userId: 'u-viewer' }, hr))
        .then([{ type: 'MemberRemoved', data: { userId: 'u-viewer' } }]);
    });
  });

  describe('DeactivateMember and ReactivateMember', () => {
    const history = [created, ...activeMember('u2', 'two@acme.test')];

    it('deactivates and reactivates a member', () => {
      given(history)
        .when(command('DeactivateMember', { userId: 'u2' }))
        .then([{ type: 'MemberDeactivated', data: { userId: 'u2' } }]);
      given([...history, deactivated('u2')])
        .when(command('ReactivateMember', { userId: 'u2' }))
        .then([{ type: 'MemberReactivated', data: { userId: 'u2' } }]);
    });

    it('a reactivated invitee is invited again, not active: they still have to sign in', () => {
      const state = stateOf([
        created,
        memberInvited('u2', 'two@acme.test'),
        deactivated('u2'),
        { type: 'MemberReactivated', data: { userId: 'u2' } },
      ]);
      expect(state.members.get('u2')?.status).toBe('invited');
      const active = stateOf([
        ...history,
        deactivated('u2'),
        { type: 'MemberReactivated', data: { userId: 'u2' } },
      ]);
      expect(active.members.get('u2')?.status).toBe('active');
    });

    it('refuses deactivating a deactivated member and reactivating one who is not deactivated', () => {
      given([...history, deactivated('u2')])
        .when(command('DeactivateMember', { userId: 'u2' }))
        .thenThrows('MEMBER_ALREADY_DEACTIVATED', (e) => expect(e.kind).toBe('conflict'));
      given(history)
        .when(command('ReactivateMember', { userId: 'u2' }))
        .thenThrows('MEMBER_NOT_DEACTIVATED', (e) => expect(e.kind).toBe('conflict'));
      given([created, memberInvited('u3', 'three@acme.test')])
        .when(command('ReactivateMember', { userId: 'u3' }))
        .thenThrows('MEMBER_NOT_DEACTIVATED');
    });

    it('R8 refuses deactivating the last active full_access member, themself included', () => {
      given(history)
        .when(command('DeactivateMember', { userId: ADMIN.userId }))
        .thenThrows('LAST_FULL_ACCESS_MEMBER');
    });

    it('a deactivated member can no longer act', () => {
      given([created, ...activeMember('u2', 'two@acme.test', 'full_access'), deactivated('u2')])
        .when(
          command(
            'InviteMember',
            { userId: 'u3', email: 'three@acme.test' },
            user('two@acme.test'),
          ),
        )
        .thenThrows('MEMBER_NOT_ACTIVE', (e) => expect(e.kind).toBe('forbidden'));
    });

    it('refuses an unknown member', () => {
      given(history)
        .when(command('DeactivateMember', { userId: 'u9' }))
        .thenThrows('MEMBER_NOT_FOUND');
    });
  });

  describe('RemoveMember', () => {
    it('R11 removes a member who holds nothing else', () => {
      given([created, ...activeMember('u2', 'two@acme.test')])
        .when(command('RemoveMember', { userId: 'u2' }))
        .then([{ type: 'MemberRemoved', data: { userId: 'u2' } }]);
    });

    it('R11 the API keys of a removed member keep working', () => {
      const snapshot = {
        roleId: 'full_access',
        roleName: 'full_access',
        permissions: ['checks.read'],
      };
      const state = stateOf([
        created,
        ...activeMember('u2', 'two@acme.test', 'full_access'),
        apiKeyIssued('k2', snapshot, { issuedBy: 'u2' }),
        { type: 'MemberRemoved', data: { userId: 'u2' } },
      ]);
      expect(state.members.has('u2')).toBe(false);
      expect(apiKeyEffectivePermissions(state, 'k2', NOW)).toEqual(['checks.read']);
    });

    it('R8 refuses removing the last active full_access member', () => {
      given([created, ...activeMember('u2', 'two@acme.test')])
        .when(command('RemoveMember', { userId: ADMIN.userId }))
        .thenThrows('LAST_FULL_ACCESS_MEMBER');
    });

    it('R8 allows removing a full_access member while another active one remains', () => {
      given([created, memberInvited('u2', 'two@acme.test', 'full_access'), memberActivated('u2')])
        .when(command('RemoveMember', { userId: ADMIN.userId }))
        .then([{ type: 'MemberRemoved', data: { userId: ADMIN.userId } }]);
    });

    it('refuses an unknown member', () => {
      given([created])
        .when(command('RemoveMember', { userId: 'u9' }))
        .thenThrows('MEMBER_NOT_FOUND');
    });
  });
});
