import {
  addActiveMember,
  bearer,
  createOrganization,
  expectRefusal,
  startTestApp,
  type ActiveMember,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

describe('dashboards over HTTP', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  /** Workspace `user` of Default (R9) and owner of `projectId`. */
  let creator: ActiveMember;
  let projectId: string;
  beforeAll(async () => (t = await startTestApp()));
  beforeEach(async () => {
    org = await createOrganization(t);
    creator = await addActiveMember(t, org);
    projectId = (
      await t.http
        .post(orgPath('/projects'))
        .set(bearer(creator.token))
        .send({ workspaceId: org.defaultWorkspaceId, name: 'Checks' })
        .expect(201)
    ).body.projectId;
  });
  afterAll(() => t.close());

  function orgPath(suffix: string): string {
    return `/v1/orgs/${org.organizationId}${suffix}`;
  }
  const create = (token: string, projectIds = [projectId]) =>
    t.http
      .post(orgPath('/dashboards'))
      .set(bearer(token))
      .send({ workspaceId: org.defaultWorkspaceId, name: 'Overview', projectIds });
  const listAs = async (token: string) =>
    (
      await t.http
        .get(orgPath(`/workspaces/${org.defaultWorkspaceId}/dashboards`))
        .set(bearer(token))
        .expect(200)
    ).body.items as { dashboardId: string; name: string; accessibleProjectIds: string[] }[];

  it('R29 a workspace user with access to its projects creates a dashboard every workspace member sees', async () => {
    const created = await create(creator.token).expect(201);
    expect(created.body.events.map((e: { type: string }) => e.type)).toEqual(['DashboardCreated']);
    expect(created.body.position).toBe(await t.store.headPosition());
    // Bob is a workspace user without access to the project: he sees the dashboard anyway.
    const bob = await addActiveMember(t, org);
    // ... but its data only from the projects he can access: none (R29).
    expect(await listAs(bob.token)).toEqual([
      expect.objectContaining({
        dashboardId: created.body.dashboardId,
        name: 'Overview',
        projectIds: [projectId],
        accessibleProjectIds: [],
      }),
    ]);
    expect(await listAs(creator.token)).toEqual([
      expect.objectContaining({
        dashboardId: created.body.dashboardId,
        accessibleProjectIds: [projectId],
      }),
    ]);
  });

  it('R29 a dashboard over a project the creator cannot access is refused: nothing appended', async () => {
    const bob = await addActiveMember(t, org);
    await expectRefusal(t, () => create(bob.token), 403, 'PROJECT_ACCESS_REQUIRED');
  });

  it('R29 a dashboard over an unknown project is refused: nothing appended', async () => {
    await expectRefusal(
      t,
      () => create(creator.token, ['0f0e0d0c-0b0a-4909-8807-060504030201']),
      404,
      'PROJECT_NOT_FOUND',
    );
  });

  it('R29 its creator deletes it; org admins delete any', async () => {
    const first = (await create(creator.token).expect(201)).body.dashboardId as string;
    const deleted = await t.http
      .delete(orgPath(`/dashboards/${first}`))
      .set(bearer(creator.token))
      .expect(200);
    expect(deleted.body.events.map((e: { type: string }) => e.type)).toEqual(['DashboardDeleted']);
    const second = (await create(creator.token).expect(201)).body.dashboardId as string;
    await t.http
      .delete(orgPath(`/dashboards/${second}`))
      .set(bearer(org.adminToken))
      .expect(200);
    expect(await listAs(creator.token)).toEqual([]);
  });

  it('R29 a workspace user who did not create it cannot delete it: 403, nothing appended', async () => {
    const { dashboardId } = (await create(creator.token).expect(201)).body;
    const bob = await addActiveMember(t, org);
    await expectRefusal(
      t,
      () => t.http.delete(orgPath(`/dashboards/${dashboardId}`)).set(bearer(bob.token)),
      403,
      'NOT_ALLOWED',
    );
  });

  it('R29 an unknown dashboard: 404, nothing appended', async () => {
    await expectRefusal(
      t,
      () =>
        t.http
          .delete(orgPath('/dashboards/0f0e0d0c-0b0a-4909-8807-060504030201'))
          .set(bearer(creator.token)),
      404,
      'DASHBOARD_NOT_FOUND',
    );
  });

  it('R20 R29 the dashboards of a workspace the reader holds no role in are unknown to them: 404', async () => {
    const { workspaceId } = (
      await t.http
        .post(orgPath('/workspaces'))
        .set(bearer(org.adminToken))
        .send({ name: 'Secret' })
        .expect(201)
    ).body;
    await expectRefusal(
      t,
      () => t.http.get(orgPath(`/workspaces/${workspaceId}/dashboards`)).set(bearer(creator.token)),
      404,
      'WORKSPACE_NOT_FOUND',
    );
  });
});
