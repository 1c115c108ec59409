import { randomUUID } from 'node:crypto';
import {
  bearer,
  createOrganization,
  startTestApp,
  SUPPORT_TOKEN,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

/**
 * R38: every refusal is a 4xx with a stable code, and appends nothing. Each case below runs
 * against an organization with some history, and the store's head must not move.
 */
describe('bad input and refusals', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  let other: CreatedOrganization;
  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
    other = await createOrganization(t);
  });
  afterAll(() => t.close());

  type Case = {
    name: string;
    send: () => Promise<{ status: number; body: { code?: string } }>;
    status: number;
    code: string;
  };
  const orgPath = (suffix: string) => `/v1/orgs/${org.organizationId}${suffix}`;
  const post = (path: string, body: unknown, token = org.adminToken) =>
    t.http
      .post(path)
      .set(bearer(token))
      .send(body as object);

  const cases: Case[] = [
    {
      name: 'malformed JSON',
      status: 400,
      code: 'MALFORMED_JSON',
      send: () =>
        t.http
          .post(orgPath('/roles'))
          .set(bearer(org.adminToken))
          .set('content-type', 'application/json')
          .send('{"name":'),
    },
    {
      name: 'missing fields',
      status: 400,
      code: 'VALIDATION_FAILED',
      send: () => post(orgPath('/roles'), {}),
    },
    {
      name: 'a field of the wrong type',
      status: 400,
      code: 'VALIDATION_FAILED',
      send: () => post(orgPath('/roles'), { name: 7, permissions: 'checks.read' }),
    },
    {
      name: 'an unknown field',
      status: 400,
      code: 'VALIDATION_FAILED',
      send: () => post(orgPath('/invitations'), { email: 'a@b.io', admin: true }),
    },
    {
      name: 'a malformed permission',
      status: 400,
      code: 'VALIDATION_FAILED',
      send: () => post(orgPath('/roles'), { name: 'X', permissions: ['Not Valid!'] }),
    },
    {
      name: 'a malformed email',
      status: 400,
      code: 'VALIDATION_FAILED',
      send: () => post(orgPath('/invitations'), { email: 'not-an-email' }),
    },
    {
      name: 'no token',
      status: 401,
      code: 'UNAUTHENTICATED',
      send: () => t.http.post(orgPath('/roles')).send({ name: 'X', permissions: [] }),
    },
    {
      name: 'a forged token',
      status: 401,
      code: 'INVALID_TOKEN',
      send: () =>
        post(
          orgPath('/roles'),
          { name: 'X', permissions: [] },
          'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl',
        ),
    },
    {
      name: 'a malformed organization id',
      status: 404,
      code: 'ORGANIZATION_NOT_FOUND',
      send: () => post('/v1/orgs/..%2F..%2Fetc/roles', { name: 'X', permissions: [] }),
    },
    {
      name: 'an unknown organization',
      status: 404,
      code: 'ORGANIZATION_NOT_FOUND',
      send: () => post(`/v1/orgs/${randomUUID()}/roles`, { name: 'X', permissions: [] }),
    },
    {
      name: 'S1 another organization’s admin',
      status: 404,
      code: 'ORGANIZATION_NOT_FOUND',
      send: () => post(orgPath('/invitations'), { email: 'x@y.io' }, other.adminToken),
    },
    {
      name: 'S1 another organization’s admin reading keys',
      status: 404,
      code: 'ORGANIZATION_NOT_FOUND',
      send: () => t.http.get(orgPath('/api-keys')).set(bearer(other.adminToken)),
    },
    {
      name: 'an unknown member',
      status: 404,
      code: 'MEMBER_NOT_FOUND',
      send: () =>
        t.http
          .put(orgPath(`/members/${randomUUID()}/role`))
          .set(bearer(org.adminToken))
          .send({ roleId: 'full_access' }),
    },
    {
      name: 'an unknown role',
      status: 404,
      code: 'ROLE_NOT_FOUND',
      send: () => t.http.delete(orgPath(`/roles/${randomUUID()}`)).set(bearer(org.adminToken)),
    },
    {
      name: 'an unknown API key',
      status: 404,
      code: 'API_KEY_NOT_FOUND',
      send: () => post(orgPath(`/api-keys/${randomUUID()}/revoke`), {}),
    },
    {
      name: 'an unknown route',
      status: 404,
      code: 'NOT_FOUND',
      send: () => t.http.get('/v1/nowhere').set(bearer(org.adminToken)),
    },
    {
      name: 'R3 a permission outside the catalog',
      status: 422,
      code: 'PERMISSIONS_NOT_IN_CATALOG',
      send: () => post(orgPath('/roles'), { name: 'X', permissions: ['billing.read'] }),
    },
    {
      name: 'R5 editing a built-in role',
      status: 422,
      code: 'BUILT_IN_ROLE',
      send: () =>
        t.http
          .patch(orgPath('/roles/full_access'))
          .set(bearer(org.adminToken))
          .send({ name: 'root' }),
    },
    {
      name: 'R5 a role named like a built-in one',
      status: 409,
      code: 'ROLE_NAME_TAKEN',
      send: () => post(orgPath('/roles'), { name: 'Full_Access', permissions: [] }),
    },
    {
      name: 'R8 demoting the last admin',
      status: 409,
      code: 'LAST_FULL_ACCESS_MEMBER',
      send: () =>
        t.http
          .put(orgPath(`/members/${org.firstUserId}/role`))
          .set(bearer(org.adminToken))
          .send({ roleId: 'default_access' }),
    },
    {
      name: 'R8 removing the last admin',
      status: 409,
      code: 'LAST_FULL_ACCESS_MEMBER',
      send: () => t.http.delete(orgPath(`/members/${org.firstUserId}`)).set(bearer(org.adminToken)),
    },
    {
      name: 'R10 inviting an existing member',
      status: 409,
      code: 'EMAIL_ALREADY_MEMBER',
      send: async () =>
        post(orgPath('/invitations'), { email: (await firstEmail()).toUpperCase() }),
    },
    {
      name: 'R13 support issuing a key',
      status: 403,
      code: 'FORBIDDEN_FOR_SUPPORT',
      send: () => post(orgPath('/api-keys'), { name: 'k' }, SUPPORT_TOKEN),
    },
    {
      name: 'R14 an expiry in the past',
      status: 422,
      code: 'EXPIRY_NOT_IN_FUTURE',
      send: () => post(orgPath('/api-keys'), { name: 'k', expiresAt: '2001-01-01T00:00:00Z' }),
    },
    {
      name: 'a member on a support route',
      status: 403,
      code: 'SUPPORT_ONLY',
      send: () =>
        t.http
          .get(`/v1/support/organizations/${org.organizationId}/catalog`)
          .set(bearer(org.adminToken)),
    },
  ];

  async function firstEmail(): Promise<string> {
    const created = (await t.allEvents()).find(
      (e) => e.type === 'OrganizationCreated' && e.metadata.organizationId === org.organizationId,
    )!;
    return (created.data as { firstMember: { email: string } }).firstMember.email;
  }

  it.each(cases)('R38 $name: $status $code, nothing appended', async ({ send, status, code }) => {
    const before = await t.store.headPosition();
    const response = await send();
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(response.body).toEqual(
      expect.objectContaining({ statusCode: status, message: expect.any(String) }),
    );
    expect(await t.store.headPosition()).toBe(before);
  });

  it('R38 a 400 names every field at fault', async () => {
    const response = await post(orgPath('/roles'), { name: '', permissions: ['OK?'] });
    const fields = response.body.details.fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(['name', 'permissions']);
  });

  it('R38 error messages never echo a token or body secrets (S2)', async () => {
    const response = await t.http
      .post(orgPath('/roles'))
      .set(bearer(org.adminToken))
      .set('content-type', 'application/json')
      .send('{"name":"alk_supersecretvalue');
    expect(JSON.stringify(response.body)).not.toContain('alk_supersecretvalue');
  });

  it('R38 a __proto__ key in a body cannot smuggle a field past validation', async () => {
    const response = await t.http
      .post(orgPath('/invitations'))
      .set(bearer(org.adminToken))
      .set('content-type', 'application/json')
      .send('{"email":"proto@acme.test","__proto__":{"roleId":"full_access"}}');
    expect(response.status).toBeLessThan(500);
    const invited = (await t.allEvents()).find(
      (e) => e.type === 'MemberInvited' && e.data.email === 'proto@acme.test',
    );
    if (invited) expect(invited.data.roleId).toBe('default_access');
  });

  it('S1 only health and API docs are served without a token', async () => {
    await t.http.get('/health/live').expect(200);
    await t.http.get('/health/ready').expect(200);
    await t.http.get('/docs-json').expect(200);
    await t.http.get(orgPath('/roles')).expect(401);
    await t.http.get(`/v1/support/organizations/${org.organizationId}/catalog`).expect(401);
  });
});
