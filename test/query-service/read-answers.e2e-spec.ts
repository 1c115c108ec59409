import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerProblems, type AnsweredDocument } from '../support/openapi-answers.js';
import {
  addActiveMember,
  AUDITOR_TOKEN,
  bearer,
  createOrganization,
  startTestApp,
  SUPPORT_TOKEN,
  type ActiveMember,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

/*
 * The reads answer what the OpenAPI document says they answer, so a client generated from it
 * can be trusted: every read of an organization with something of each kind in it — members
 * invited and bound, roles, manual and directory groups, a workspace, a project, a dashboard,
 * keys — now, as of a past point (R33) and on a second page, validated against the schema
 * `GET /docs-json` gives the operation, with no property the schema does not name.
 */
describe('the reads answer what the OpenAPI document says', () => {
  let t: TestApp;
  let document: AnsweredDocument;
  let org: CreatedOrganization;
  let bob: ActiveMember;
  let invitedId: string;
  let workspaceId: string;
  let projectId: string;
  let keyId: string;
  /** The position before the last changes: what asOf reads ask about. */
  let point: string;
  /** `METHOD template` of every JSON answer validated, and every other media type checked. */
  const answered = new Set<string>();

  const orgs = () => `/v1/orgs/${org.organizationId}`;
  const send = async (method: 'post' | 'put', path: string, body: object) => {
    const response = await t.http[method](`${orgs()}${path}`)
      .set(bearer(org.adminToken))
      .send(body);
    if (response.status >= 300) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
    return response.body as Record<string, string>;
  };

  /** GETs `path`, expects 200, and returns the body once it is what the document says. */
  const read = async (
    template: string,
    path: string,
    { token = org.adminToken, query = {} }: { token?: string; query?: Record<string, string> } = {},
  ) => {
    const response = await t.http.get(path).query(query).set(bearer(token));
    expect({ path, query, status: response.status }).toEqual({ path, query, status: 200 });
    expect(answerProblems(document, 'get', template, 200, response.body)).toEqual([]);
    answered.add(`GET ${template}`);
    return response.body as Record<string, unknown>;
  };

  /** A paged read: a first page of one item, then the page after it. */
  const readTwoPages = async (
    template: string,
    path: string,
    options: { token?: string; query?: Record<string, string> } = {},
  ) => {
    const query = { ...options.query, limit: '1' };
    const first = await read(template, path, { ...options, query });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await read(template, path, {
      ...options,
      query: { ...query, cursor: first.nextCursor as string },
    });
    expect((second.items as unknown[]).length).toBeGreaterThan(0);
    return [first, second];
  };

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
    bob = await addActiveMember(t, org, { groups: ['okta-risk'] });
    // Invited, never signed in: no subject, issuer or identity key yet (nullable).
    invitedId = (await send('post', '/invitations', { email: 'ivy@acme.test' })).userId;
    const roleId = (await send('post', '/roles', { name: 'Billing', permissions: ['checks.read'] }))
      .roleId;
    await send('put', `/members/${bob.userId}/role`, { roleId });
    const groupId = (await send('post', '/groups', { name: 'Risk' })).groupId;
    await send('post', `/groups/${groupId}/members`, { userIds: [bob.userId] });
    await send('post', '/groups/directory', { name: 'Okta risk', directoryGroupId: 'okta-risk' });
    workspaceId = (
      await send('post', '/workspaces', {
        name: 'Payments',
        principals: [
          { role: 'editor', principal: { type: 'group', id: groupId } },
          { role: 'admin', principal: { type: 'user', id: org.firstUserId } },
        ],
      })
    ).workspaceId;
    projectId = (await send('post', '/projects', { workspaceId, name: 'Ledger' })).projectId;
    await send('post', `/projects/${projectId}/members`, {
      principal: { type: 'user', id: bob.userId },
      role: 'user',
    });
    await send('post', '/dashboards', { workspaceId, name: 'Flows', projectIds: [projectId] });
    keyId = (await send('post', '/api-keys', { name: 'CI' })).keyId;
    point = (await t.store.headPosition()).toString();
    // After the point: a second key, one that expires, and a second project.
    await send('post', '/api-keys', { name: 'Nightly', expiresAt: '2099-01-01T00:00:00Z' });
    await send('post', '/projects', { workspaceId, name: 'Treasury' });
    document = (await t.http.get('/docs-json').expect(200)).body as AnsweredDocument;
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('R35 the organization reads answer their documented schemas, now and on a second page', async () => {
    await read('/v1/orgs/{orgId}/permissions', `${orgs()}/permissions`);
    await readTwoPages('/v1/orgs/{orgId}/roles', `${orgs()}/roles`);
    const [members] = await readTwoPages('/v1/orgs/{orgId}/members', `${orgs()}/members`);
    expect(members.items).toHaveLength(1);
    await read('/v1/orgs/{orgId}/members', `${orgs()}/members`, { query: { status: 'invited' } });
    const invited = await read(
      '/v1/orgs/{orgId}/members/{userId}',
      `${orgs()}/members/${invitedId}`,
    );
    expect(invited).toMatchObject({ subject: null, identityKey: null });
    await read('/v1/orgs/{orgId}/members/{userId}', `${orgs()}/members/${bob.userId}`);
    const groups = await readTwoPages('/v1/orgs/{orgId}/groups', `${orgs()}/groups`);
    expect(groups.flatMap((page) => page.items as { kind: string }[]).map((g) => g.kind)).toEqual(
      expect.arrayContaining(['manual']),
    );
    await read('/v1/orgs/{orgId}/groups', `${orgs()}/groups`, { query: { kind: 'directory' } });
  });

  it('R20 R21 R22 R23 R28 R29 the workspace and project reads answer their documented schemas, to an org admin and to a member', async () => {
    const ws = `${orgs()}/workspaces/${workspaceId}`;
    await readTwoPages('/v1/orgs/{orgId}/workspaces', `${orgs()}/workspaces`);
    const mine = await read('/v1/orgs/{orgId}/workspaces', `${orgs()}/workspaces`, {
      token: bob.token,
    });
    expect(mine.items).toContainEqual({ workspaceId, name: 'Payments', role: 'editor' });
    await readTwoPages('/v1/orgs/{orgId}/workspaces/{workspaceId}/members', `${ws}/members`);
    await read('/v1/orgs/{orgId}/workspaces/{workspaceId}/usage', `${ws}/usage`);
    await readTwoPages('/v1/orgs/{orgId}/workspaces/{workspaceId}/projects', `${ws}/projects`);
    await read('/v1/orgs/{orgId}/workspaces/{workspaceId}/projects', `${ws}/projects`, {
      token: SUPPORT_TOKEN,
    });
    const dashboards = await read(
      '/v1/orgs/{orgId}/workspaces/{workspaceId}/dashboards',
      `${ws}/dashboards`,
      { token: bob.token },
    );
    expect(dashboards.items).toHaveLength(1);
    await readTwoPages(
      '/v1/orgs/{orgId}/projects/{projectId}/members',
      `${orgs()}/projects/${projectId}/members`,
    );
  });

  it('R16 the API-key reads answer their documented schemas, never a secret (S2)', async () => {
    const pages = await readTwoPages('/v1/orgs/{orgId}/api-keys', `${orgs()}/api-keys`);
    expect(JSON.stringify(pages)).not.toMatch(/secret|hash/i);
    await read('/v1/orgs/{orgId}/api-keys', `${orgs()}/api-keys`, { query: { status: 'active' } });
    await read('/v1/orgs/{orgId}/api-keys/{keyId}', `${orgs()}/api-keys/${keyId}`);
    const support = `/v1/support/organizations/${org.organizationId}`;
    await read('/v1/support/organizations/{orgId}/catalog', `${support}/catalog`, {
      token: SUPPORT_TOKEN,
    });
    await read(
      '/v1/support/organizations/{orgId}/api-keys/{keyId}',
      `${support}/api-keys/${keyId}`,
      {
        token: SUPPORT_TOKEN,
      },
    );
  });

  it('R33 every read as of a past point answers its documented schema, carrying asOf', async () => {
    const ws = `/workspaces/${workspaceId}`;
    const reads: [string, string][] = [
      ['/permissions', '/permissions'],
      ['/roles', '/roles'],
      ['/members', '/members'],
      ['/members/{userId}', `/members/${bob.userId}`],
      ['/groups', '/groups'],
      ['/workspaces', '/workspaces'],
      ['/workspaces/{workspaceId}/members', `${ws}/members`],
      ['/workspaces/{workspaceId}/usage', `${ws}/usage`],
      ['/workspaces/{workspaceId}/projects', `${ws}/projects`],
      ['/workspaces/{workspaceId}/dashboards', `${ws}/dashboards`],
      ['/projects/{projectId}/members', `/projects/${projectId}/members`],
      ['/api-keys', '/api-keys'],
      ['/api-keys/{keyId}', `/api-keys/${keyId}`],
    ];
    for (const [template, path] of reads) {
      const body = await read(`/v1/orgs/{orgId}${template}`, `${orgs()}${path}`, {
        token: AUDITOR_TOKEN,
        query: { asOf: point },
      });
      expect(body.asOf).toEqual({ position: point, time: expect.any(String) });
    }
    // A second page of the past: two keys then, the second one issued after the point is not.
    const [first] = await readTwoPages('/v1/orgs/{orgId}/roles', `${orgs()}/roles`, {
      token: AUDITOR_TOKEN,
      query: { asOf: point },
    });
    expect(first.asOf).toEqual({ position: point, time: expect.any(String) });
    const keys = await read('/v1/orgs/{orgId}/api-keys', `${orgs()}/api-keys`, {
      token: AUDITOR_TOKEN,
      query: { asOf: point },
    });
    expect(keys.items).toHaveLength(1);
    const support = `/v1/support/organizations/${org.organizationId}`;
    const catalog = await read('/v1/support/organizations/{orgId}/catalog', `${support}/catalog`, {
      token: SUPPORT_TOKEN,
      query: { asOf: point },
    });
    expect(catalog.asOf).toEqual({ position: point, time: expect.any(String) });
    await read(
      '/v1/support/organizations/{orgId}/api-keys/{keyId}',
      `${support}/api-keys/${keyId}`,
      {
        token: SUPPORT_TOKEN,
        query: { asOf: point },
      },
    );
  });

  it('R31 checks, one and in a batch, with and without explain and asOf, answer their documented schemas', async () => {
    const template = '/v1/orgs/{orgId}/check';
    const subject = `user:${bob.userId}`;
    await read(template, `${orgs()}/check`, { query: { subject, permission: 'checks.read' } });
    const explained = await read(template, `${orgs()}/check`, {
      query: { subject, resource: `project:${projectId}`, action: 'view', explain: 'true' },
    });
    expect(explained).toMatchObject({ allowed: true, role: 'user' });
    expect((explained.paths as unknown[]).length).toBeGreaterThan(0);
    const past = await read(template, `${orgs()}/check`, {
      token: AUDITOR_TOKEN,
      query: { subject, permission: 'checks.read', asOf: point },
    });
    expect(past).toMatchObject({ position: point, time: expect.any(String) });

    for (const query of [{}, { asOf: point }]) {
      const response = await t.http
        .post(`${orgs()}/checks`)
        .query(query)
        .set(bearer(org.adminToken))
        .send({
          explain: true,
          checks: [
            { subject, permission: 'checks.read' },
            { subject, resource: `workspace:${workspaceId}`, action: 'view' },
            // Refused in the batch alone: an unknown subject.
            { subject: 'user:00000000-0000-4000-8000-000000000000', permission: 'checks.read' },
          ],
        });
      expect(response.status).toBe(200);
      expect(response.body.results[2].error).toMatchObject({ code: 'SUBJECT_NOT_FOUND' });
      expect(
        answerProblems(document, 'post', '/v1/orgs/{orgId}/checks', 200, response.body),
      ).toEqual([]);
    }
    answered.add('POST /v1/orgs/{orgId}/checks');
  });

  it('R34 R39 the audit log, across organizations too, and access changes answer their documented schemas', async () => {
    const log = await readTwoPages('/v1/orgs/{orgId}/audit-log', `${orgs()}/audit-log`, {
      query: { type: 'MemberRoleChanged,GroupMembersAdded' },
    });
    expect(log).toHaveLength(2);
    await readTwoPages('/v1/support/audit-log', '/v1/support/audit-log', {
      token: SUPPORT_TOKEN,
      query: { organization: org.organizationId },
    });
    await read('/v1/support/audit-log', '/v1/support/audit-log', {
      token: AUDITOR_TOKEN,
      query: { limit: '5' },
    });
    const changes = await read('/v1/orgs/{orgId}/access-changes', `${orgs()}/access-changes`, {
      query: { from: '0', to: (await t.store.headPosition()).toString() },
    });
    expect((changes.changes as unknown[]).length).toBeGreaterThan(0);
  });

  it('R30 R34 R39 R40 the CSV, NDJSON and event-stream reads answer a media type their document lists', async () => {
    const head = (await t.store.headPosition()).toString();
    const streamed: [string, string, Record<string, string>][] = [
      ['/v1/orgs/{orgId}/exports/user-projects.csv', `${orgs()}/exports/user-projects.csv`, {}],
      [
        '/v1/orgs/{orgId}/exports/user-projects.csv',
        `${orgs()}/exports/user-projects.csv`,
        { asOf: point },
      ],
      ['/v1/orgs/{orgId}/audit-log/export', `${orgs()}/audit-log/export`, {}],
      ['/v1/orgs/{orgId}/audit-log/export', `${orgs()}/audit-log/export`, { format: 'csv' }],
      [
        '/v1/orgs/{orgId}/access-changes',
        `${orgs()}/access-changes`,
        { from: '0', to: head, format: 'csv' },
      ],
    ];
    for (const [template, path, query] of streamed) {
      const response = await t.http.get(path).query(query).set(bearer(org.adminToken));
      expect({ path, query, status: response.status }).toEqual({ path, query, status: 200 });
      expect(documentedMediaTypes(template)).toContain(mediaType(response.headers['content-type']));
      expect(response.text.length).toBeGreaterThan(0);
      if (query.asOf) expect(response.headers['x-as-of-position']).toBe(point);
      answered.add(`GET ${template}`);
    }

    // An event stream stays open: its answer's head is enough, and the client leaves.
    const server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const feeds: [string, string, string][] = [
      ['/v1/orgs/{orgId}/changes', `${orgs()}/changes?after=${point}`, org.adminToken],
      ['/v1/support/changes', `/v1/support/changes?after=${head}`, SUPPORT_TOKEN],
    ];
    for (const [template, path, token] of feeds) {
      const answer = await streamHead(port, path, token);
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      expect(documentedMediaTypes(template)).toContain(mediaType(answer.contentType));
      answered.add(`GET ${template}`);
    }
  });

  it('every read of the document was performed above: a read added later must be added here', () => {
    const reads = Object.entries(document.paths).flatMap(([template, item]) =>
      Object.keys(item)
        .filter((method) => method === 'get' && template.startsWith('/v1/'))
        .map(() => `GET ${template}`),
    );
    expect(reads.length).toBeGreaterThan(20);
    expect(reads.filter((read) => !answered.has(read))).toEqual([]);
  });

  function documentedMediaTypes(template: string): string[] {
    const operation = document.paths[template].get as {
      responses: Record<string, { content?: Record<string, unknown> }>;
    };
    return Object.keys(operation.responses['200'].content ?? {});
  }
});

const mediaType = (contentType: string | undefined) => (contentType ?? '').split(';')[0].trim();

/** The status and content type of a streamed answer; the connection is closed at once. */
function streamHead(
  port: number,
  path: string,
  token: string,
): Promise<{ status: number; contentType?: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, headers: bearer(token) },
      (response) => {
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'],
        });
        request.destroy();
      },
    );
    request.on('error', (error) => {
      if (!request.destroyed) reject(error);
    });
    request.end();
  });
}
