import { randomUUID } from 'node:crypto';
import {
  addActiveMember,
  bearer,
  createOrganization,
  startTestApp,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

/**
 * R38 and S1 for groups, workspaces, projects and dashboards: malformed path ids are 404 with
 * the resource's code, bad bodies are 400 naming the fields, ids of another organization are
 * 404; and none of it appends anything.
 */
describe('groups, workspaces, projects and dashboards: bad input', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  let other: CreatedOrganization;
  /** Ids that exist in `org`... */
  let groupId: string;
  let projectId: string;
  let dashboardId: string;
  let memberId: string;
  /** ...and in `other`. */
  let otherGroupId: string;
  let otherProjectId: string;
  let otherDashboardId: string;
  let otherMemberId: string;

  async function seed(o: CreatedOrganization) {
    const path = (suffix: string) => `/v1/orgs/${o.organizationId}${suffix}`;
    const member = await addActiveMember(t, o);
    const group = await t.http
      .post(path('/groups'))
      .set(bearer(o.adminToken))
      .send({ name: 'Team' })
      .expect(201);
    const project = await t.http
      .post(path('/projects'))
      .set(bearer(o.adminToken))
      .send({ workspaceId: o.defaultWorkspaceId, name: 'Checks' })
      .expect(201);
    const dashboard = await t.http
      .post(path('/dashboards'))
      .set(bearer(o.adminToken))
      .send({
        workspaceId: o.defaultWorkspaceId,
        name: 'Overview',
        projectIds: [project.body.projectId],
      })
      .expect(201);
    return {
      memberId: member.userId,
      groupId: group.body.groupId as string,
      projectId: project.body.projectId as string,
      dashboardId: dashboard.body.dashboardId as string,
    };
  }

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
    other = await createOrganization(t);
    ({ memberId, groupId, projectId, dashboardId } = await seed(org));
    ({
      memberId: otherMemberId,
      groupId: otherGroupId,
      projectId: otherProjectId,
      dashboardId: otherDashboardId,
    } = await seed(other));
  });
  afterAll(() => t.close());

  type Send = () => PromiseLike<{ status: number; body: Record<string, unknown> }>;
  type Case = { name: string; send: Send; status: number; code: string; fields?: string[] };
  const orgPath = (suffix: string) => `/v1/orgs/${org.organizationId}${suffix}`;
  const as = () => bearer(org.adminToken);
  const post = (path: string, body: object) => t.http.post(orgPath(path)).set(as()).send(body);
  const put = (path: string, body: object) => t.http.put(orgPath(path)).set(as()).send(body);
  const patch = (path: string, body: object) => t.http.patch(orgPath(path)).set(as()).send(body);
  const del = (path: string) => t.http.delete(orgPath(path)).set(as());
  const get = (path: string) => t.http.get(orgPath(path)).set(as());
  const user = (id: string) => ({ type: 'user', id });
  const ws = () => org.defaultWorkspaceId;

  const cases: Case[] = [
    // Malformed ids in paths: they name nothing, so 404 with the resource's code.
    ...(
      [
        ['rename a group', () => patch('/groups/not-a-uuid', { name: 'X' }), 'GROUP_NOT_FOUND'],
        ['delete a group', () => del('/groups/..%2F..'), 'GROUP_NOT_FOUND'],
        [
          'add group members',
          () => post('/groups/123/members', { userIds: [memberId] }),
          'GROUP_NOT_FOUND',
        ],
        [
          'remove a group member (bad user id)',
          () => del(`/groups/${groupId}/members/nope`),
          'MEMBER_NOT_FOUND',
        ],
        ['rename a workspace', () => patch('/workspaces/x', { name: 'X' }), 'WORKSPACE_NOT_FOUND'],
        ['workspace usage', () => get('/workspaces/x/usage'), 'WORKSPACE_NOT_FOUND'],
        ['workspace projects', () => get('/workspaces/x/projects'), 'WORKSPACE_NOT_FOUND'],
        ['workspace dashboards', () => get('/workspaces/x/dashboards'), 'WORKSPACE_NOT_FOUND'],
        [
          'add a workspace principal',
          () => post('/workspaces/x/principals', { principal: user(memberId), role: 'user' }),
          'WORKSPACE_NOT_FOUND',
        ],
        [
          'a principal of an unknown type',
          () => put(`/workspaces/${ws()}/principals/robot/${memberId}/role`, { role: 'user' }),
          'PRINCIPAL_NOT_FOUND',
        ],
        [
          'a malformed user principal id',
          () => del(`/workspaces/${ws()}/principals/user/nope`),
          'PRINCIPAL_NOT_FOUND',
        ],
        [
          'a malformed group principal id',
          () => del(`/workspaces/${ws()}/principals/group/nope`),
          'PRINCIPAL_NOT_FOUND',
        ],
        [
          'add a project member',
          () => post('/projects/x/members', { principal: user(memberId) }),
          'PROJECT_NOT_FOUND',
        ],
        [
          'change a project role (bad id)',
          () => put(`/projects/${projectId}/members/user/x/role`, { role: 'user' }),
          'PRINCIPAL_NOT_FOUND',
        ],
        [
          'remove project members',
          () => post('/projects/x/members/remove', { principals: [user(memberId)] }),
          'PROJECT_NOT_FOUND',
        ],
        [
          'transfer ownership',
          () => post('/projects/x/ownership', { to: user(memberId) }),
          'PROJECT_NOT_FOUND',
        ],
        ['delete a project', () => del('/projects/x'), 'PROJECT_NOT_FOUND'],
        ['delete a dashboard', () => del('/dashboards/x'), 'DASHBOARD_NOT_FOUND'],
      ] as const
    ).map(([name, send, code]) => ({ name: `malformed id: ${name}`, send, status: 404, code })),

    // Ids of another organization: unknown here (S1).
    ...(
      [
        ['its group', () => patch(`/groups/${otherGroupId}`, { name: 'X' }), 'GROUP_NOT_FOUND'],
        [
          'its member into our group',
          () => post(`/groups/${groupId}/members`, { userIds: [otherMemberId] }),
          'MEMBER_NOT_FOUND',
        ],
        [
          'its workspace',
          () => get(`/workspaces/${other.defaultWorkspaceId}/usage`),
          'WORKSPACE_NOT_FOUND',
        ],
        [
          'its workspace for a project',
          () => post('/projects', { workspaceId: other.defaultWorkspaceId, name: 'X' }),
          'WORKSPACE_NOT_FOUND',
        ],
        [
          'its group into our workspace',
          () =>
            post(`/workspaces/${ws()}/principals`, {
              principal: { type: 'group', id: otherGroupId },
              role: 'user',
            }),
          'PRINCIPAL_NOT_FOUND',
        ],
        ['its project', () => del(`/projects/${otherProjectId}`), 'PROJECT_NOT_FOUND'],
        [
          'its project in our dashboard',
          () =>
            post('/dashboards', {
              workspaceId: ws(),
              name: 'X',
              projectIds: [otherProjectId],
            }),
          'PROJECT_NOT_FOUND',
        ],
        ['its dashboard', () => del(`/dashboards/${otherDashboardId}`), 'DASHBOARD_NOT_FOUND'],
        [
          'our project, through its organization',
          () =>
            t.http
              .delete(`/v1/orgs/${org.organizationId}/projects/${projectId}`)
              .set(bearer(other.adminToken)),
          'ORGANIZATION_NOT_FOUND',
        ],
        [
          'our dashboard, deleted by its admin',
          () =>
            t.http
              .delete(`/v1/orgs/${org.organizationId}/dashboards/${dashboardId}`)
              .set(bearer(other.adminToken)),
          'ORGANIZATION_NOT_FOUND',
        ],
        [
          'our workspaces, listed by its admin',
          () =>
            t.http.get(`/v1/orgs/${org.organizationId}/workspaces`).set(bearer(other.adminToken)),
          'ORGANIZATION_NOT_FOUND',
        ],
        [
          'our groups, listed by its admin',
          () => t.http.get(`/v1/orgs/${org.organizationId}/groups`).set(bearer(other.adminToken)),
          'ORGANIZATION_NOT_FOUND',
        ],
      ] as const
    ).map(([name, send, code]) => ({
      name: `S1 another organization’s id: ${name}`,
      send,
      status: 404,
      code,
    })),

    // Bad bodies: 400 naming the fields.
    ...(
      [
        ['a group without a name', () => post('/groups', {}), ['name']],
        ['an empty group name', () => post('/groups', { name: '' }), ['name']],
        [
          'a directory group without its id',
          () => post('/groups/directory', { name: 'X' }),
          ['directoryGroupId'],
        ],
        [
          'group members that are not UUIDs',
          () => post(`/groups/${groupId}/members`, { userIds: ['x'] }),
          ['userIds'],
        ],
        [
          'no group members',
          () => post(`/groups/${groupId}/members`, { userIds: [] }),
          ['userIds'],
        ],
        [
          'over 1000 group members',
          () =>
            post(`/groups/${groupId}/members`, {
              userIds: Array.from({ length: 1001 }, () => randomUUID()),
            }),
          ['userIds'],
        ],
        [
          'a workspace role outside the enum',
          () =>
            post(`/workspaces/${ws()}/principals`, { principal: user(memberId), role: 'owner' }),
          ['role'],
        ],
        [
          'a principal type outside the enum',
          () =>
            post(`/workspaces/${ws()}/principals`, {
              principal: { type: 'robot', id: memberId },
              role: 'user',
            }),
          ['principal.type'],
        ],
        [
          'a principal id that is not a UUID',
          () =>
            post(`/workspaces/${ws()}/principals`, {
              principal: { type: 'user', id: 'bob' },
              role: 'user',
            }),
          ['principal.id'],
        ],
        [
          'a missing principal',
          () => post(`/workspaces/${ws()}/principals`, { role: 'user' }),
          ['principal'],
        ],
        [
          'a workspace role change outside the enum',
          () => put(`/workspaces/${ws()}/principals/user/${memberId}/role`, { role: 'root' }),
          ['role'],
        ],
        [
          'initial principals with a bad role',
          () =>
            post('/workspaces', {
              name: 'X',
              principals: [{ principal: user(memberId), role: 'boss' }],
            }),
          ['principals.0.role'],
        ],
        [
          'over 1000 initial principals',
          () =>
            post('/workspaces', {
              name: 'X',
              principals: Array.from({ length: 1001 }, () => ({
                principal: user(randomUUID()),
                role: 'user',
              })),
            }),
          ['principals'],
        ],
        ['a project without a workspace', () => post('/projects', { name: 'X' }), ['workspaceId']],
        [
          'a project role of owner (ownership moves by transfer)',
          () =>
            post(`/projects/${projectId}/members`, { principal: user(memberId), role: 'owner' }),
          ['role'],
        ],
        [
          'a project role change outside viewer and user',
          () => put(`/projects/${projectId}/members/user/${memberId}/role`, { role: 'admin' }),
          ['role'],
        ],
        [
          'an empty batch of principals to remove',
          () => post(`/projects/${projectId}/members/remove`, { principals: [] }),
          ['principals'],
        ],
        [
          'a transfer to a malformed principal',
          () => post(`/projects/${projectId}/ownership`, { to: { type: 'user' } }),
          ['to.id'],
        ],
        [
          'a dashboard without projects',
          () => post('/dashboards', { workspaceId: ws(), name: 'X', projectIds: [] }),
          ['projectIds'],
        ],
        [
          'a dashboard with duplicate projects',
          () =>
            post('/dashboards', {
              workspaceId: ws(),
              name: 'X',
              projectIds: [projectId, projectId],
            }),
          ['projectIds'],
        ],
        ['an unknown field', () => post('/groups', { name: 'X', kind: 'directory' }), ['kind']],
      ] as const
    ).map(([name, send, fields]) => ({
      name,
      send,
      status: 400,
      code: 'VALIDATION_FAILED',
      fields: [...fields],
    })),
  ];

  it.each(cases)(
    'R38 $name: $status $code, nothing appended',
    async ({ send, status, code, fields }) => {
      const before = await t.store.headPosition();
      const response = await send();
      expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
      expect(response.body).toEqual(
        expect.objectContaining({ statusCode: status, message: expect.any(String) }),
      );
      if (fields) {
        const details = response.body.details as { fields: { field: string }[] };
        expect([...new Set(details.fields.map((f) => f.field))].sort()).toEqual(fields.sort());
      }
      expect(await t.store.headPosition()).toBe(before);
    },
  );

  it('R38 a refused command through every new route appends nothing, even with an Idempotency-Key', async () => {
    const before = await t.store.headPosition();
    const first = await post('/groups', { name: 'Team' }).set('Idempotency-Key', 'dup-group');
    const again = await post('/groups', { name: 'Team' }).set('Idempotency-Key', 'dup-group');
    expect(first.status).toBe(409);
    // A refusal appended nothing, so there is nothing to replay: the retry is decided again
    // and refused for the same reason (ADR 13).
    expect(again.body).toEqual(first.body);
    expect(await t.store.headPosition()).toBe(before);
  });

  it('the OpenAPI document lists every group, workspace, project and dashboard path', async () => {
    const document = await t.http.get('/docs-json').expect(200);
    const paths = document.body.paths as Record<string, Record<string, unknown>>;
    const listed = Object.entries(paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const o = '/v1/orgs/{orgId}';
    expect(listed).toEqual(
      expect.arrayContaining([
        `GET ${o}/groups`,
        `POST ${o}/groups`,
        `POST ${o}/groups/directory`,
        `PATCH ${o}/groups/{groupId}`,
        `DELETE ${o}/groups/{groupId}`,
        `POST ${o}/groups/{groupId}/members`,
        `DELETE ${o}/groups/{groupId}/members/{userId}`,
        `GET ${o}/workspaces`,
        `POST ${o}/workspaces`,
        `PATCH ${o}/workspaces/{workspaceId}`,
        `GET ${o}/workspaces/{workspaceId}/usage`,
        `POST ${o}/workspaces/{workspaceId}/principals`,
        `PUT ${o}/workspaces/{workspaceId}/principals/{type}/{id}/role`,
        `DELETE ${o}/workspaces/{workspaceId}/principals/{type}/{id}`,
        `GET ${o}/workspaces/{workspaceId}/projects`,
        `POST ${o}/projects`,
        `POST ${o}/projects/{projectId}/members`,
        `PUT ${o}/projects/{projectId}/members/{type}/{id}/role`,
        `POST ${o}/projects/{projectId}/members/remove`,
        `POST ${o}/projects/{projectId}/ownership`,
        `DELETE ${o}/projects/{projectId}`,
        `GET ${o}/workspaces/{workspaceId}/dashboards`,
        `POST ${o}/dashboards`,
        `DELETE ${o}/dashboards/{dashboardId}`,
      ]),
    );
  });
});
