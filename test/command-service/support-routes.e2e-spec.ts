import { randomUUID } from 'node:crypto';
import {
  addActiveMember,
  AUDITOR_TOKEN,
  bearer,
  createOrganization,
  expectRefusal,
  startTestApp,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  template: string;
}

/**
 * R38, one answer per situation: every route under /v1/support answers anyone but Support
 * (and auditors reading) the same way, before it looks anything up, so the answer tells
 * nothing about any organization (S1). The routes come from the OpenAPI document, so a new
 * support route is held to it too.
 */
describe('support routes: one answer for everyone else', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  let other: CreatedOrganization;
  let operations: Operation[];
  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
    other = await createOrganization(t);
    const document = (await t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(document.paths)
      .filter(([template]) => template.startsWith('/v1/support/'))
      .flatMap(([template, methods]) =>
        Object.keys(methods).map((method) => ({ method, template }) as Operation),
      );
  });
  afterAll(() => t.close());

  /** The organizations a path can name: the caller's, another one, none, and no id at all. */
  const orgIds = () => [org.organizationId, other.organizationId, randomUUID(), 'not-an-id'];
  const send = (operation: Operation, token: string, orgId: string) =>
    t.http[operation.method](
      operation.template.replace('{orgId}', orgId).replace('{keyId}', randomUUID()),
    )
      .set(bearer(token))
      .send({});

  it('R38 covers every support route: organizations, catalog, reads, audit log, change feed', () => {
    expect(operations.map((o) => `${o.method} ${o.template}`).sort()).toEqual([
      'get /v1/support/audit-log',
      'get /v1/support/changes',
      'get /v1/support/organizations/{orgId}/api-keys/{keyId}',
      'get /v1/support/organizations/{orgId}/catalog',
      'post /v1/support/organizations',
      'post /v1/support/organizations/{orgId}/catalog/permissions',
      'post /v1/support/organizations/{orgId}/catalog/permissions/remove',
    ]);
  });

  it('R38 S1 a member, an org admin and an API key get 403 SUPPORT_ONLY on every support route, whatever organization it names; nothing appended', async () => {
    const member = await addActiveMember(t, org);
    const key = await t.http
      .post(`/v1/orgs/${org.organizationId}/api-keys`)
      .set(bearer(org.adminToken))
      .send({ name: 'ci' })
      .expect(201);
    const answers = new Set<string>();
    for (const token of [member.token, org.adminToken, key.body.secret as string]) {
      for (const operation of operations) {
        for (const orgId of orgIds()) {
          const refusal = await expectRefusal(
            t,
            () => send(operation, token, orgId),
            403,
            'SUPPORT_ONLY',
          );
          answers.add(JSON.stringify(refusal.body));
        }
      }
    }
    // Word for word the same answer, whoever asks about whichever organization.
    expect([...answers]).toHaveLength(1);
    const { message } = JSON.parse([...answers][0]!) as { message: string };
    expect(message).toMatch(/for Support operators/);
    expect(message).toMatch(/ask the Support team/);
    expect(message).not.toContain(other.organizationId);
  });

  it('R38 S4 auditors read the support routes; a write is 403 READ_ONLY_ACTOR before anything is looked up', async () => {
    for (const operation of operations) {
      // The change feed streams: change-feed-readers.e2e-spec.ts reads it as an auditor.
      if (operation.method === 'get' && operation.template !== '/v1/support/changes') {
        const read = await send(operation, AUDITOR_TOKEN, org.organizationId);
        expect({ template: operation.template, refused: read.status === 403 }).toEqual({
          template: operation.template,
          refused: false,
        });
      }
      if (operation.method !== 'get') {
        for (const orgId of orgIds()) {
          await expectRefusal(
            t,
            () => send(operation, AUDITOR_TOKEN, orgId),
            403,
            'READ_ONLY_ACTOR',
          );
        }
      }
    }
  });

  it('R38 the route decides, not the spelling of its path: /V1/Support/… is refused the same', async () => {
    await expectRefusal(
      t,
      () =>
        t.http
          .get(`/V1/Support/organizations/${org.organizationId}/catalog`)
          .set(bearer(org.adminToken)),
      403,
      'SUPPORT_ONLY',
    );
  });
});

describe('entitlement and permission refusals say what to do next and who can do it', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('R6 R42 an org admin, before Support has added the entitlement, is sent to Support — not to "an administrator", which she is', async () => {
    const org = await createOrganization(t, { catalog: ['checks.read'] });
    const post = (path: string, body: object) =>
      t.http.post(`/v1/orgs/${org.organizationId}${path}`).set(bearer(org.adminToken)).send(body);
    const refusals = [
      ['truora.roles', () => post('/roles', { name: 'Analyst', permissions: ['checks.read'] })],
      ['truora.workspaces', () => post('/workspaces', { name: 'Fraud' })],
      [
        'truora.directory',
        () => post('/groups/directory', { name: 'Engineering', directoryGroupId: 'idp-eng' }),
      ],
    ] as const;
    for (const [entitlement, send] of refusals) {
      const refusal = await expectRefusal(t, send, 403, 'ENTITLEMENT_REQUIRED');
      expect(refusal.body.message).toContain(
        `ask Support to add ${entitlement} to this organization's catalog`,
      );
      expect(refusal.body.message).not.toMatch(/administrator/);
      expect((refusal.body as { details?: unknown }).details).toEqual({ entitlement });
    }
  });

  it('R38 a member lacking a permission the catalog has is sent to an org admin, naming the permission that lets them grant it', async () => {
    const org = await createOrganization(t);
    const member = await addActiveMember(t, org, { roleId: 'default_access' });
    const refusal = await expectRefusal(
      t,
      () =>
        t.http
          .post(`/v1/orgs/${org.organizationId}/invitations`)
          .set(bearer(member.token))
          .send({ email: 'zed@acme.test' }),
      403,
      'MISSING_PERMISSION',
    );
    expect(refusal.body.message).toBe(
      'This requires the permission truora.users: ask an org admin (a member holding truora.users) for a role that holds it.',
    );
  });
});
