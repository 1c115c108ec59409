import {
  addActiveMember,
  AUDITOR_TOKEN,
  bearer,
  createOrganization,
  organizationEvents,
  startTestApp,
  SUPPORT_TOKEN,
  type ActiveMember,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';
import { FeedClient } from './sse-client.js';

const CATALOG = ['checks.read', 'checks.write', 'truora.users', 'truora.keys', 'truora.roles'];

/**
 * R40 over the whole app (authentication of keys through the credentials read model
 * included): who reads an organization's change feed.
 */
describe('R40 change feed readers', () => {
  let t: TestApp;
  let base: string;
  let org: CreatedOrganization;
  let plain: ActiveMember;
  let keyAdmin: ActiveMember;
  let namespaceHolder: ActiveMember;
  let adminKey: string;
  let keyAdminKey: string;

  const feed = (organizationId: string) => `${base}/v1/orgs/${organizationId}/changes`;
  const createRole = async (name: string, permissions: string[]): Promise<string> => {
    const created = await t.http
      .post(`/v1/orgs/${org.organizationId}/roles`)
      .set(bearer(org.adminToken))
      .send({ name, permissions })
      .expect(201);
    return created.body.roleId as string;
  };
  const issueKey = async (
    organizationId: string,
    issuerToken: string,
    name: string,
  ): Promise<string> => {
    const issued = await t.http
      .post(`/v1/orgs/${organizationId}/api-keys`)
      .set(bearer(issuerToken))
      .send({ name })
      .expect(201);
    return issued.body.secret as string;
  };
  const refusal = async (url: string, token: string) => {
    const client = await FeedClient.open(url, token);
    await client.close(); // a stream served by mistake must not outlive the test
    return { status: client.status, code: client.body?.code };
  };

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    org = await createOrganization(t, { catalog: CATALOG });
    // Every admin permission but truora.roles; and every admin permission but no other.
    const keyAdminRole = await createRole('Key admin', [
      'checks.read',
      'truora.users',
      'truora.keys',
    ]);
    const namespaceRole = await createRole('Namespace', [
      'truora.users',
      'truora.keys',
      'truora.roles',
    ]);
    plain = await addActiveMember(t, org);
    keyAdmin = await addActiveMember(t, org, { roleId: keyAdminRole });
    namespaceHolder = await addActiveMember(t, org, { roleId: namespaceRole });
    adminKey = await issueKey(org.organizationId, org.adminToken, 'admin key');
    keyAdminKey = await issueKey(org.organizationId, keyAdmin.token, 'key admin key');
  });
  afterAll(() => t.close());

  it('R40 a default_access member and a custom-role member without the whole admin namespace get 403', async () => {
    const client = await FeedClient.open(feed(org.organizationId), plain.token);
    await client.close();
    expect(client.status).toBe(403);
    expect(client.body).toEqual(
      expect.objectContaining({
        statusCode: 403,
        code: 'CHANGE_FEED_FORBIDDEN',
        message: expect.stringMatching(/support, auditors, org admins and API keys/),
      }),
    );
    expect(await refusal(feed(org.organizationId), keyAdmin.token)).toEqual({
      status: 403,
      code: 'CHANGE_FEED_FORBIDDEN',
    });
  });

  it('R40 an API key lacking one admin permission gets 403', async () => {
    expect(await refusal(feed(org.organizationId), keyAdminKey)).toEqual({
      status: 403,
      code: 'CHANGE_FEED_FORBIDDEN',
    });
  });

  it('R40 org admins, their keys, members holding the whole admin namespace, support and auditors read the stream', async () => {
    const events = await organizationEvents(t, org.organizationId);
    const readers: [string, string][] = [
      ['org admin', org.adminToken],
      ["org admin's key", adminKey],
      ['member holding the whole admin namespace', namespaceHolder.token],
      ['support', SUPPORT_TOKEN],
      ['auditor', AUDITOR_TOKEN],
    ];
    for (const [who, token] of readers) {
      const client = await FeedClient.open(feed(org.organizationId), token);
      expect([who, client.status]).toEqual([who, 200]);
      await client.waitFor(events.length);
      expect(client.envelopes.slice(0, events.length).map((envelope) => envelope.id)).toEqual(
        events.map((event) => event.id),
      );
      expect(client.envelopes.map((envelope) => envelope.type)).toContain('ApiKeyIssued');
      await client.close();
    }
  });

  it("R40 R15 an org admin's key stops qualifying when the catalog gains an admin permission its snapshot lacks", async () => {
    const other = await createOrganization(t, { catalog: CATALOG });
    const key = await issueKey(other.organizationId, other.adminToken, 'before the entitlement');
    const before = await FeedClient.open(feed(other.organizationId), key);
    expect(before.status).toBe(200);
    await before.close();

    await t.http
      .post(`/v1/support/organizations/${other.organizationId}/catalog/permissions`)
      .set(bearer(SUPPORT_TOKEN))
      .send({ permissions: ['truora.workspaces'] })
      .expect(200);

    expect(await refusal(feed(other.organizationId), key)).toEqual({
      status: 403,
      code: 'CHANGE_FEED_FORBIDDEN',
    });
    // The org admin's full_access follows the catalog (R2): they still read it.
    const admin = await FeedClient.open(feed(other.organizationId), other.adminToken);
    expect(admin.status).toBe(200);
    await admin.close();
  });

  it('R40 a reader demoted out of the admin namespace while connected stops receiving', async () => {
    const second = await addActiveMember(t, org, { roleId: 'full_access' });
    const client = await FeedClient.open(feed(org.organizationId), second.token);
    expect(client.status).toBe(200);
    const before = await organizationEvents(t, org.organizationId);
    await client.waitFor(before.length);

    await t.http
      .put(`/v1/orgs/${org.organizationId}/members/${second.userId}/role`)
      .set(bearer(org.adminToken))
      .send({ roleId: 'default_access' })
      .expect(200);
    await t.http
      .post(`/v1/orgs/${org.organizationId}/invitations`)
      .set(bearer(org.adminToken))
      .send({ email: 'after-demotion@acme.test' })
      .expect(201);

    await client.waitForEnd();
    expect(client.messages).toHaveLength(before.length);
    expect(client.raw).toContain(': access ended');
  });

  it('R40 the feed of every organization stays with support and auditors', async () => {
    for (const token of [SUPPORT_TOKEN, AUDITOR_TOKEN]) {
      const client = await FeedClient.open(`${base}/v1/support/changes`, token);
      expect(client.status).toBe(200);
      await client.close();
    }
    for (const token of [org.adminToken, adminKey, namespaceHolder.token]) {
      expect(await refusal(`${base}/v1/support/changes`, token)).toEqual({
        status: 403,
        code: 'SUPPORT_ONLY',
      });
    }
  });
});
