import { SignJWT } from 'jose';
import { schemaOf, toCloudEvent, validate } from '#libs/messaging';
import {
  bearer,
  createOrganization,
  organizationEvents,
  startTestApp,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

/**
 * S3 and S5 over HTTP: the command side, the query side and the change feed judge a token the
 * same way (libs/domain member-identity.ts).
 */
describe('member identity over HTTP (S3, S5)', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  beforeEach(async () => {
    t = await startTestApp();
    org = await createOrganization(t, { email: 'ada@acme.test' });
  });
  afterEach(() => t.close());

  /** A correctly signed development JWT with any claims; `exp` only when asked. */
  const signed = (claims: Record<string, unknown>, subject: string, expires = true) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject)
      .setIssuer(t.settings.jwt.issuer)
      .setAudience(t.settings.jwt.audience)
      .setIssuedAt();
    return (expires ? jwt.setExpirationTime('5m') : jwt).sign(
      new TextEncoder().encode(t.settings.jwt.secret),
    );
  };
  const orgUrl = (path: string) => `/v1/orgs/${org.organizationId}/${path}`;
  const invite = (email: string, token = org.adminToken) =>
    t.http.post(orgUrl('invitations')).set(bearer(token)).send({ email });
  const signIn = (token: string) => t.http.post(orgUrl('sign-ins')).set(bearer(token));
  const eventCount = async () => (await organizationEvents(t, org.organizationId)).length;

  it('S3 a correctly signed JWT without exp is refused (401) on commands and reads', async () => {
    const forever = await signed({ email: 'ada@acme.test' }, 'sub|ada@acme.test', false);
    const before = await eventCount();
    for (const response of [
      await invite('someone@acme.test', forever),
      await t.http.get(orgUrl('roles')).set(bearer(forever)),
      await t.http.get(orgUrl('changes')).set(bearer(forever)),
    ]) {
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'INVALID_TOKEN' });
      expect(response.body.message).toContain('`exp`');
    }
    expect(await eventCount()).toBe(before);
    // The same claims with an expiry are accepted: only the missing `exp` was at fault.
    const expiring = await signed({ email: 'ada@acme.test' }, 'sub|ada@acme.test');
    await t.http.get(orgUrl('roles')).set(bearer(expiring)).expect(200);
  });

  it('S5 same email, other sub: 401 IDENTITY_MISMATCH on commands, reads and the change feed, appending nothing', async () => {
    await invite('grace@acme.test').expect(201);
    await signIn(await t.tokenFor('grace@acme.test', 'idp|grace')).expect(200);
    const impostor = await t.tokenFor('grace@acme.test', 'idp|someone-else');
    const before = await eventCount();
    for (const response of [
      await signIn(impostor),
      await invite('mallory@acme.test', impostor),
      await t.http.get(orgUrl('roles')).set(bearer(impostor)),
      await t.http.get(orgUrl('members')).set(bearer(impostor)),
      await t.http.get(orgUrl('changes')).set(bearer(impostor)),
    ]) {
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'IDENTITY_MISMATCH' });
      expect(response.body.message).toMatch(/org admin/);
    }
    expect(await eventCount()).toBe(before);
    // Grace herself is unaffected.
    const grace = await t.tokenFor('grace@acme.test', 'idp|grace');
    await t.http.get(orgUrl('roles')).set(bearer(grace)).expect(200);
  });

  it('S5 the first user is bound at their first sign-in; then their e-mail with another sub gets 401', async () => {
    // Before any sign-in the first user is known by the e-mail support gave (R1).
    await t.http.get(orgUrl('roles')).set(bearer(org.adminToken)).expect(200);
    const first = await signIn(org.adminToken).expect(200);
    expect(first.body.events.map((e: { type: string }) => e.type)).toEqual(['MemberActivated']);
    await signIn(org.adminToken).expect(200);
    const activations = (await organizationEvents(t, org.organizationId)).filter(
      (e) => e.type === 'MemberActivated',
    );
    expect(activations.map((e) => e.data)).toEqual([
      { userId: org.firstUserId, subject: 'sub|ada@acme.test', issuer: t.settings.jwt.issuer },
    ]);
    const other = await t.tokenFor('ada@acme.test', 'idp|new-ada');
    const refused = await invite('eve@acme.test', other).expect(401);
    expect(refused.body.code).toBe('IDENTITY_MISMATCH');
    await t.http.get(orgUrl('roles')).set(bearer(other)).expect(401);
    await invite('eve@acme.test').expect(201);
  });

  it('S5 a bound member keeps access when the provider changes their e-mail; the new holder of the old address gets nothing', async () => {
    const invited = await invite('grace@acme.test').expect(201);
    await signIn(await t.tokenFor('grace@acme.test', 'idp|grace')).expect(200);
    const renamed = await t.tokenFor('grace.hopper@acme.test', 'idp|grace');
    const members = await t.http.get(orgUrl('members')).set(bearer(renamed)).expect(200);
    expect(
      members.body.items.find((m: { userId: string }) => m.userId === invited.body.userId),
    ).toMatchObject({ email: 'grace@acme.test', subject: 'idp|grace', status: 'active' });
    // The address was given to someone else at the provider: it grants them nothing.
    const heir = await t.tokenFor('grace@acme.test', 'idp|heir');
    expect((await signIn(heir)).status).toBe(401);
    expect((await t.http.get(orgUrl('roles')).set(bearer(heir))).status).toBe(401);
  });

  it('S5 a first sign-in with email_verified false is refused (401 EMAIL_NOT_VERIFIED); a verified one binds', async () => {
    await invite('grace@acme.test').expect(201);
    const unverified = await signed(
      { email: 'grace@acme.test', email_verified: false },
      'idp|grace',
    );
    const before = await eventCount();
    const refused = await signIn(unverified).expect(401);
    expect(refused.body.code).toBe('EMAIL_NOT_VERIFIED');
    expect(await eventCount()).toBe(before);
    const verified = await signed({ email: 'grace@acme.test', email_verified: true }, 'idp|grace');
    const accepted = await signIn(verified).expect(200);
    expect(accepted.body.events.map((e: { type: string }) => e.type)).toEqual(['MemberActivated']);
  });

  it('S5 MemberActivated publishes the issuer and sub, valid against its v1 schema', async () => {
    await invite('grace@acme.test').expect(201);
    await signIn(await t.tokenFor('grace@acme.test', 'idp|grace')).expect(200);
    const activated = (await organizationEvents(t, org.organizationId)).find(
      (e) => e.type === 'MemberActivated',
    )!;
    const envelope = toCloudEvent(activated);
    expect(envelope.data).toMatchObject({ subject: 'idp|grace', issuer: t.settings.jwt.issuer });
    expect(validate(schemaOf('MemberActivated', 1)!, envelope.data)).toEqual([]);
    // Events recorded before S5 have no issuer, and stay valid.
    const { issuer: _issuer, ...legacy } = envelope.data as Record<string, unknown>;
    expect(validate(schemaOf('MemberActivated', 1)!, legacy)).toEqual([]);
  });
});
