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

describe('workspaces over HTTP', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  beforeAll(async () => (t = await startTestApp()));
  beforeEach(async () => (org = await createOrganization(t)));
  afterAll(() => t.close());

  const orgPath = (suffix: string) => `/v1/orgs/${org.organizationId}${suffix}`;
  const path = (suffix = '') => orgPath(`/workspaces${suffix}`);
  const createWorkspace = async (body: object, token = org.adminToken) =>
    (await t.http.post(path()).set(bearer(token)).send(body).expect(201)).body as {
      workspaceId: string;
      position: string;
      events: { id: string; type: string }[];
    };
  /** The names on a workspace listing, which must fit on one page. */
  const names = (body: { items: { name: string }[]; nextCursor: string | null }) => {
    expect(body.nextCursor).toBeNull();
    return body.items.map((w) => w.name).sort();
  };

  it('R20 an org admin creates a workspace with initial principals and sees every workspace', async () => {
    const alice = await addActiveMember(t, org);
    const created = await createWorkspace({
      name: 'Fraud',
      principals: [{ principal: { type: 'user', id: alice.userId }, role: 'editor' }],
    });
    expect(created.events.map((e) => e.type)).toEqual([
      'WorkspaceCreated',
      'WorkspacePrincipalAdded',
    ]);
    expect(created.position).toBe(await t.store.headPosition());
    await createWorkspace({ name: 'Secret' });
    const asAdmin = await t.http.get(path()).set(bearer(org.adminToken)).expect(200);
    expect(names(asAdmin.body)).toEqual(['Default', 'Fraud', 'Secret']);
  });

  it('R20 others see only the workspaces where they hold a role, directly or through a group', async () => {
    const alice = await addActiveMember(t, org);
    const bob = await addActiveMember(t, org);
    const group = (
      await t.http
        .post(orgPath('/groups'))
        .set(bearer(org.adminToken))
        .send({ name: 'Team' })
        .expect(201)
    ).body.groupId as string;
    await t.http
      .post(orgPath(`/groups/${group}/members`))
      .set(bearer(org.adminToken))
      .send({ userIds: [bob.userId] })
      .expect(200);
    await createWorkspace({
      name: 'Direct',
      principals: [{ principal: { type: 'user', id: alice.userId }, role: 'member' }],
    });
    await createWorkspace({
      name: 'Through a group',
      principals: [{ principal: { type: 'group', id: group }, role: 'user' }],
    });
    await createWorkspace({ name: 'Nobody' });
    // Invitees join Default as user (R9).
    const asAlice = await t.http.get(path()).set(bearer(alice.token)).expect(200);
    expect(names(asAlice.body)).toEqual(['Default', 'Direct']);
    const asBob = await t.http.get(path()).set(bearer(bob.token)).expect(200);
    expect(names(asBob.body)).toEqual(['Default', 'Through a group']);
  });

  it('R20 a member who is not an org admin cannot create a workspace: 403, nothing appended', async () => {
    const alice = await addActiveMember(t, org);
    // default_access holds no admin-namespace permission, truora.workspaces included (R42).
    await expectRefusal(
      t,
      () => t.http.post(path()).set(bearer(alice.token)).send({ name: 'Mine' }),
      403,
      'MISSING_PERMISSION',
    );
  });

  it('R20 workspace names are unique: 409, nothing appended', async () => {
    await expectRefusal(
      t,
      () => t.http.post(path()).set(bearer(org.adminToken)).send({ name: 'default' }),
      409,
      'WORKSPACE_NAME_TAKEN',
    );
  });

  it('R20 renaming a workspace; to a taken name is refused', async () => {
    const { workspaceId } = await createWorkspace({ name: 'Fraud' });
    await t.http
      .patch(path(`/${workspaceId}`))
      .set(bearer(org.adminToken))
      .send({ name: 'Fraud ops' })
      .expect(200);
    await expectRefusal(
      t,
      () =>
        t.http
          .patch(path(`/${workspaceId}`))
          .set(bearer(org.adminToken))
          .send({ name: 'Default' }),
      409,
      'WORKSPACE_NAME_TAKEN',
    );
  });

  it('R21 a workspace admin adds a principal, changes its role and removes it', async () => {
    const wsAdmin = await addActiveMember(t, org);
    const bob = await addActiveMember(t, org);
    const { workspaceId } = await createWorkspace({
      name: 'Fraud',
      principals: [{ principal: { type: 'user', id: wsAdmin.userId }, role: 'admin' }],
    });
    const added = await t.http
      .post(path(`/${workspaceId}/principals`))
      .set(bearer(wsAdmin.token))
      .send({ principal: { type: 'user', id: bob.userId }, role: 'member' })
      .expect(200);
    expect(added.body.events.map((e: { type: string }) => e.type)).toEqual([
      'WorkspacePrincipalAdded',
    ]);
    const changed = await t.http
      .put(path(`/${workspaceId}/principals/user/${bob.userId}/role`))
      .set(bearer(wsAdmin.token))
      .send({ role: 'editor' })
      .expect(200);
    expect(changed.body.events.map((e: { type: string }) => e.type)).toEqual([
      'WorkspacePrincipalRoleChanged',
    ]);
    await t.http
      .delete(path(`/${workspaceId}/principals/user/${bob.userId}`))
      .set(bearer(wsAdmin.token))
      .expect(200);
    const asBob = await t.http.get(path()).set(bearer(bob.token)).expect(200);
    expect(names(asBob.body)).toEqual(['Default']);
  });

  it('R21 a workspace editor cannot manage its principals: 403, nothing appended', async () => {
    const editor = await addActiveMember(t, org);
    const bob = await addActiveMember(t, org);
    const { workspaceId } = await createWorkspace({
      name: 'Fraud',
      principals: [{ principal: { type: 'user', id: editor.userId }, role: 'editor' }],
    });
    await expectRefusal(
      t,
      () =>
        t.http
          .post(path(`/${workspaceId}/principals`))
          .set(bearer(editor.token))
          .send({ principal: { type: 'user', id: bob.userId }, role: 'member' }),
      403,
      'NOT_ALLOWED',
    );
    await expectRefusal(
      t,
      () =>
        t.http
          .put(path(`/${workspaceId}/principals/user/${editor.userId}/role`))
          .set(bearer(editor.token))
          .send({ role: 'admin' }),
      403,
      'NOT_ALLOWED',
    );
    await expectRefusal(
      t,
      () =>
        t.http
          .delete(path(`/${workspaceId}/principals/user/${editor.userId}`))
          .set(bearer(editor.token)),
      403,
      'NOT_ALLOWED',
    );
  });

  it('R21 adding a principal twice, or one that holds no role, is refused', async () => {
    const { workspaceId } = await createWorkspace({ name: 'Fraud' });
    const bob = await addActiveMember(t, org);
    await expectRefusal(
      t,
      () =>
        t.http
          .post(path(`/${org.defaultWorkspaceId}/principals`))
          .set(bearer(org.adminToken))
          .send({ principal: { type: 'user', id: bob.userId }, role: 'member' }),
      409,
      'PRINCIPAL_ALREADY_IN_WORKSPACE',
    );
    await expectRefusal(
      t,
      () =>
        t.http
          .delete(path(`/${workspaceId}/principals/user/${bob.userId}`))
          .set(bearer(org.adminToken)),
      404,
      'PRINCIPAL_NOT_IN_WORKSPACE',
    );
  });

  it('R23 workspace and org admins see its usage', async () => {
    const wsAdmin = await addActiveMember(t, org);
    const bob = await addActiveMember(t, org);
    const group = (
      await t.http
        .post(orgPath('/groups'))
        .set(bearer(org.adminToken))
        .send({ name: 'Team' })
        .expect(201)
    ).body.groupId as string;
    await t.http
      .post(orgPath(`/groups/${group}/members`))
      .set(bearer(org.adminToken))
      .send({ userIds: [bob.userId, wsAdmin.userId] })
      .expect(200);
    const { workspaceId } = await createWorkspace({
      name: 'Fraud',
      principals: [
        { principal: { type: 'user', id: wsAdmin.userId }, role: 'admin' },
        { principal: { type: 'group', id: group }, role: 'user' },
      ],
    });
    const { projectId } = (
      await t.http
        .post(orgPath('/projects'))
        .set(bearer(wsAdmin.token))
        .send({ workspaceId, name: 'Checks' })
        .expect(201)
    ).body;
    await t.http
      .post(orgPath('/dashboards'))
      .set(bearer(wsAdmin.token))
      .send({ workspaceId, name: 'Overview', projectIds: [projectId] })
      .expect(201);
    const expected = {
      workspaceId,
      name: 'Fraud',
      projects: 1,
      dashboards: 1,
      groups: 1,
      users: 2,
    };
    const asWsAdmin = await t.http
      .get(path(`/${workspaceId}/usage`))
      .set(bearer(wsAdmin.token))
      .expect(200);
    expect(asWsAdmin.body).toEqual(expected);
    const asOrgAdmin = await t.http
      .get(path(`/${workspaceId}/usage`))
      .set(bearer(org.adminToken))
      .expect(200);
    expect(asOrgAdmin.body).toEqual(expected);
    const asAuditor = await t.http
      .get(path(`/${workspaceId}/usage`))
      .set(bearer(AUDITOR_TOKEN))
      .expect(200);
    expect(asAuditor.body).toEqual(expected);
  });

  it('R23 a workspace user does not see its usage: 403', async () => {
    const alice = await addActiveMember(t, org);
    await expectRefusal(
      t,
      () => t.http.get(path(`/${org.defaultWorkspaceId}/usage`)).set(bearer(alice.token)),
      403,
      'NOT_ALLOWED',
    );
  });

  it('R20 a workspace the caller does not see is unknown to them: 404', async () => {
    const alice = await addActiveMember(t, org);
    const { workspaceId } = await createWorkspace({ name: 'Secret' });
    await expectRefusal(
      t,
      () => t.http.get(path(`/${workspaceId}/usage`)).set(bearer(alice.token)),
      404,
      'WORKSPACE_NOT_FOUND',
    );
  });
});
