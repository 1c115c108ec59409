import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import {
  ADMIN,
  command,
  memberActivated,
  memberInvited,
  organizationCreated,
} from '../testing/organization.fixtures.js';
import type { UserActor } from '../shared/actor.js';
import type { OrganizationEvent } from './organization.events.js';

const given = DeciderSpecification.for(organizationDecider);
const ISS = 'https://idp.acme.test';

/** A verified JWT as libs/auth makes it: always with its issuer. */
const token = (
  email: string,
  subject: string,
  extra: Partial<Pick<UserActor, 'issuer' | 'emailVerified'>> = {},
): UserActor => ({ type: 'user', issuer: ISS, subject, email, groups: [], ...extra });
const signIn = (actor: UserActor) =>
  command('SignIn', { subject: actor.subject, email: actor.email, groups: [] }, actor);
const invite = (actor: UserActor, userId = 'u3', email = 'three@acme.test') =>
  command('InviteMember', { userId, email }, actor);
const bound = (userId: string, subject: string, issuer: string | undefined = ISS) => ({
  type: 'MemberActivated' as const,
  data: issuer === undefined ? { userId, subject } : { userId, subject, issuer },
});

const created = organizationCreated();
const invited = memberInvited('u2', 'two@acme.test', 'full_access');
/** u2 signed in as idp|two of ISS; the admin (first user) signed in as idp|admin. */
const history: OrganizationEvent[] = [
  created,
  invited,
  bound('u2', 'idp|two'),
  bound(ADMIN.userId, 'idp|admin'),
];

describe('S5 identity bound at first sign-in', () => {
  it("S5 the first sign-in records the token's issuer and sub", () => {
    given([created, invited])
      .when(signIn(token('two@acme.test', 'idp|two')))
      .then([bound('u2', 'idp|two')]);
  });

  it('S5 the first user, active from R1, is bound at their first sign-in, and only once', () => {
    given([created])
      .when(signIn(token(ADMIN.email, 'idp|admin')))
      .then([bound(ADMIN.userId, 'idp|admin')]);
    given([created, bound(ADMIN.userId, 'idp|admin')])
      .when(signIn(token(ADMIN.email, 'idp|admin')))
      .thenNothing();
  });

  it('S5 same email, other sub: refused with IDENTITY_MISMATCH (401), for sign-ins and commands', () => {
    const impostor = token('two@acme.test', 'idp|someone-else');
    given(history)
      .when(signIn(impostor))
      .thenThrows('IDENTITY_MISMATCH', (e) => expect(e.kind).toBe('unauthenticated'));
    given(history).when(invite(impostor)).thenThrows('IDENTITY_MISMATCH');
    // The first user too, once bound: the e-mail support gave grants nothing by itself.
    given(history)
      .when(invite(token(ADMIN.email, 'idp|not-the-admin')))
      .thenThrows('IDENTITY_MISMATCH');
  });

  it('S5 the same sub from another issuer is not the member', () => {
    given(history)
      .when(invite(token('two@acme.test', 'idp|two', { issuer: 'https://other-idp.test' })))
      .thenThrows('IDENTITY_MISMATCH');
  });

  it('S5 a bound member is found by issuer and sub, whatever e-mail the token now carries', () => {
    // The provider changed u2's address: still u2 (full_access, so the invitation goes through).
    given(history)
      .when(invite(token('two.renamed@acme.test', 'idp|two')))
      .then([
        {
          type: 'MemberInvited',
          data: {
            userId: 'u3',
            email: 'three@acme.test',
            roleId: 'default_access',
            invitedBy: 'u2',
          },
        },
      ]);
    // A token of u2's identity carrying an invitee's address is u2: it activates nobody.
    given([...history, memberInvited('u4', 'four@acme.test')])
      .when(signIn(token('four@acme.test', 'idp|two')))
      .thenNothing();
  });

  it('S5 a first sign-in with email_verified false is refused; true or no claim binds', () => {
    given([created, invited])
      .when(signIn(token('two@acme.test', 'idp|two', { emailVerified: false })))
      .thenThrows('EMAIL_NOT_VERIFIED', (e) => expect(e.kind).toBe('unauthenticated'));
    given([created, invited])
      .when(signIn(token('two@acme.test', 'idp|two', { emailVerified: true })))
      .then([bound('u2', 'idp|two')]);
    // Once bound, identity decides, not the e-mail: the claim no longer matters.
    given(history)
      .when(signIn(token('two@acme.test', 'idp|two', { emailVerified: false })))
      .thenNothing();
  });

  it('S5 a member bound before issuers were recorded is matched by sub alone', () => {
    const legacy = [created, invited, memberActivated('u2', 'idp|two')];
    given(legacy)
      .when(signIn(token('two@acme.test', 'idp|two')))
      .thenNothing();
    given(legacy)
      .when(signIn(token('two@acme.test', 'idp|other')))
      .thenThrows('IDENTITY_MISMATCH');
  });

  it('S5 a removed member re-invited under the same e-mail is bound afresh at the next sign-in', () => {
    given([
      ...history,
      { type: 'MemberRemoved', data: { userId: 'u2' } },
      memberInvited('u5', 'two@acme.test'),
    ])
      .when(signIn(token('two@acme.test', 'idp|new-account')))
      .then([bound('u5', 'idp|new-account')]);
  });
});
