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
 * S2: an error body quotes nothing a client sent that could be a secret. A path id is echoed
 * only when it is a well-formed id; anything else — an API-key secret pasted where its id
 * belongs, a token, an unknown route — is described, not quoted.
 */
describe('echoed input', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  let secret: string;
  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
    const issued = await t.http
      .post(`/v1/orgs/${org.organizationId}/api-keys`)
      .set(bearer(org.adminToken))
      .send({ name: 'ci' });
    expect(issued.status).toBe(201);
    secret = issued.body.secret as string;
    expect(secret).toMatch(/^alk_/);
  });
  afterAll(() => t.close());

  const orgPath = (suffix: string) => `/v1/orgs/${org.organizationId}${suffix}`;

  it('S2 an error body never echoes a malformed id or anything shaped like a secret', async () => {
    const sends = [
      () => t.http.get(orgPath(`/api-keys/${secret}`)).set(bearer(org.adminToken)),
      () => t.http.post(orgPath(`/api-keys/${secret}/revoke`)).set(bearer(org.adminToken)),
      () =>
        t.http
          .get(`/v1/support/organizations/${org.organizationId}/api-keys/${secret}`)
          .set(bearer(SUPPORT_TOKEN)),
      () => t.http.get(`/v1/orgs/${secret}/members`).set(bearer(org.adminToken)),
      () => t.http.delete(orgPath(`/roles/${secret}`)).set(bearer(org.adminToken)),
      () =>
        t.http
          .put(orgPath(`/workspaces/${org.defaultWorkspaceId}/principals/user/${secret}/role`))
          .set(bearer(org.adminToken))
          .send({ role: 'admin' }),
      () => t.http.get(orgPath(`/api-keys/${secret}/and/more`)).set(bearer(org.adminToken)),
      () => t.http.get(`/v1/${secret}`).set(bearer(org.adminToken)),
    ];
    const before = await t.store.headPosition();
    for (const send of sends) {
      const response = await send();
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.body.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      const text = JSON.stringify(response.body);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(4, 20));
    }
    expect(await t.store.headPosition()).toBe(before);
  });

  it('S2 a name shaped like a secret is not quoted back in a refusal', async () => {
    const name = `alk_${'N'.repeat(43)}`;
    const create = () => t.http.post(orgPath('/groups')).set(bearer(org.adminToken)).send({ name });
    expect((await create()).status).toBe(201);
    const taken = await create();
    expect({ status: taken.status, code: taken.body.code }).toEqual({
      status: 409,
      code: 'GROUP_NAME_TAKEN',
    });
    expect(JSON.stringify(taken.body)).not.toContain('N'.repeat(16));
    expect(taken.body.message).toContain('alk_[redacted]');
  });

  it('S2 a malformed id is described, not quoted', async () => {
    const response = await t.http
      .get(orgPath('/members/not-a-uuid-but-a-name'))
      .set(bearer(org.adminToken));
    expect({ status: response.status, code: response.body.code }).toEqual({
      status: 404,
      code: 'MEMBER_NOT_FOUND',
    });
    expect(response.body.message).not.toContain('not-a-uuid-but-a-name');
  });

  it('S2 a well-formed unknown id is still named, so a client can tell which one', async () => {
    const unknown = randomUUID();
    const response = await t.http
      .post(orgPath(`/api-keys/${unknown}/revoke`))
      .set(bearer(org.adminToken));
    expect({ status: response.status, code: response.body.code }).toEqual({
      status: 404,
      code: 'API_KEY_NOT_FOUND',
    });
    expect(response.body.message).toContain(unknown);
  });
});
