import {
  addActiveMember,
  bearer,
  createOrganization,
  expectRefusal,
  organizationEvents,
  startTestApp,
  type ActiveMember,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

describe('projects over HTTP', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  /** A workspace `user` of Default (every invitee is, R9): may create projects. */
  let owner: ActiveMember;
  let bob: ActiveMember;
  beforeAll(async () => (t = await startTestApp()));
  beforeEach(async () => {
    org = await createOrganization(t);
    owner = await addActiveMember(t, org);
    bob = await addActiveMember(t, org);
  });
  afterAll(() => t.close());

  const orgPath = (suffix: string) => `/v1/orgs/${org.organizationId}${suffix}`;
  const path = (suffix = '') => orgPath(`/projects${suffix}`);
  const user = (m: ActiveMember) => ({ type: 'user', id: m.userId });
  const createProject = async (token = owner.token, workspaceId = org.defaultWorkspaceId) =>
    (await t.http.post(path()).set(bearer(token)).send({ workspaceId, name: 'Checks' }).expect(201))
      .body.projectId as string;
  const addMember = (projectId: string, principal: object, role?: string, token = owner.token) =>
    t.http
      .post(path(`/${projectId}/members`))
      .set(bearer(token))
      .send(role ? { principal, role } : { principal });
  /** The Default workspace's projects as the reader sees them (one page). */
  const listAs = async (token: string) => {
    const { body } = await t.http
      .get(orgPath(`/workspaces/${org.defaultWorkspaceId}/projects`))
      .set(bearer(token))
      .expect(200);
    expect(body.nextCursor).toBeNull();
    return body.items as { projectId: string; name: string; role: string }[];
  };

  it('R24 a workspace user creates a project and becomes its owner', async () => {
    const created = await t.http
      .post(path())
      .set(bearer(owner.token))
      .send({ workspaceId: org.defaultWorkspaceId, name: 'Checks' })
      .expect(201);
    expect(created.body.events.map((e: { type: string }) => e.type)).toEqual(['ProjectCreated']);
    expect(created.body.position).toBe(await t.store.headPosition());
    const event = (await organizationEvents(t, org.organizationId)).at(-1)!;
    expect(event.data).toMatchObject({
      projectId: created.body.projectId,
      owner: user(owner),
    });
    expect(await listAs(owner.token)).toEqual([
      expect.objectContaining({ projectId: created.body.projectId, role: 'owner' }),
    ]);
  });

  it('R24 a workspace member (below user) cannot create a project: 403, nothing appended', async () => {
    const { workspaceId } = (
      await t.http
        .post(orgPath('/workspaces'))
        .set(bearer(org.adminToken))
        .send({ name: 'Read only', principals: [{ principal: user(bob), role: 'member' }] })
        .expect(201)
    ).body;
    await expectRefusal(
      t,
      () => t.http.post(path()).set(bearer(bob.token)).send({ workspaceId, name: 'Nope' }),
      403,
      'NOT_ALLOWED',
    );
  });

  it('R24 a project in an unknown workspace is refused: 404, nothing appended', async () => {
    await expectRefusal(
      t,
      () =>
        t.http
          .post(path())
          .set(bearer(owner.token))
          .send({ workspaceId: '0f0e0d0c-0b0a-4909-8807-060504030201', name: 'Nope' }),
      404,
      'WORKSPACE_NOT_FOUND',
    );
  });

  it('R26 R28 the owner adds a member as viewer by default, changes their role, removes members in a batch', async () => {
    const projectId = await createProject();
    const carol = await addActiveMember(t, org);
    const added = await addMember(projectId, user(bob)).expect(200);
    expect(added.body.events.map((e: { type: string }) => e.type)).toEqual(['ProjectMemberAdded']);
    await addMember(projectId, user(carol), 'user').expect(200);
    const events = await organizationEvents(t, org.organizationId);
    expect(events.at(-2)!.data).toMatchObject({ principal: user(bob), role: 'viewer' });

    await t.http
      .put(path(`/${projectId}/members/user/${bob.userId}/role`))
      .set(bearer(owner.token))
      .send({ role: 'user' })
      .expect(200);
    expect(await listAs(bob.token)).toEqual([expect.objectContaining({ projectId, role: 'user' })]);

    const removed = await t.http
      .post(path(`/${projectId}/members/remove`))
      .set(bearer(owner.token))
      .send({ principals: [user(bob), user(carol)] })
      .expect(200);
    expect(removed.body.events.map((e: { type: string }) => e.type)).toEqual([
      'ProjectMembersRemoved',
    ]);
    expect(await listAs(bob.token)).toEqual([]);
  });

  it('R26 a project viewer cannot add members: 403, nothing appended', async () => {
    const projectId = await createProject();
    await addMember(projectId, user(bob)).expect(200);
    const carol = await addActiveMember(t, org);
    await expectRefusal(
      t,
      () => addMember(projectId, user(carol), undefined, bob.token),
      403,
      'NOT_ALLOWED',
    );
  });

  it('R26 adding someone already in the project is refused: 409, nothing appended', async () => {
    const projectId = await createProject();
    await addMember(projectId, user(bob)).expect(200);
    await expectRefusal(
      t,
      () => addMember(projectId, user(bob)),
      409,
      'PRINCIPAL_ALREADY_IN_PROJECT',
    );
  });

  it('R26 the owner cannot be removed: nothing appended', async () => {
    const projectId = await createProject();
    await addMember(projectId, user(bob)).expect(200);
    await expectRefusal(
      t,
      () =>
        t.http
          .post(path(`/${projectId}/members/remove`))
          .set(bearer(owner.token))
          .send({ principals: [user(bob), user(owner)] }),
      422,
      'OWNER_CANNOT_BE_REMOVED',
    );
  });

  it('R26 roles change only between viewer and user, by those who manage the project', async () => {
    const projectId = await createProject();
    await addMember(projectId, user(bob)).expect(200);
    const changeRole = (member: ActiveMember, token: string) =>
      t.http
        .put(path(`/${projectId}/members/user/${member.userId}/role`))
        .set(bearer(token))
        .send({ role: 'user' });
    // The owner's role moves only by transfer (R25).
    await expectRefusal(t, () => changeRole(owner, owner.token), 422, 'OWNER_ROLE_FIXED');
    await expectRefusal(t, () => changeRole(bob, bob.token), 403, 'NOT_ALLOWED');
    const carol = await addActiveMember(t, org);
    await expectRefusal(t, () => changeRole(carol, owner.token), 404, 'PRINCIPAL_NOT_IN_PROJECT');
  });

  it('R25 the owner transfers ownership to a project member and becomes user', async () => {
    const projectId = await createProject();
    await addMember(projectId, user(bob)).expect(200);
    const transferred = await t.http
      .post(path(`/${projectId}/ownership`))
      .set(bearer(owner.token))
      .send({ to: user(bob) })
      .expect(200);
    expect(transferred.body.events.map((e: { type: string }) => e.type)).toEqual([
      'OwnershipTransferred',
    ]);
    expect(await listAs(bob.token)).toEqual([
      expect.objectContaining({ projectId, role: 'owner' }),
    ]);
    expect(await listAs(owner.token)).toEqual([
      expect.objectContaining({ projectId, role: 'user' }),
    ]);
  });

  it('R25 ownership goes only to a current project member: nothing appended', async () => {
    const projectId = await createProject();
    await expectRefusal(
      t,
      () =>
        t.http
          .post(path(`/${projectId}/ownership`))
          .set(bearer(owner.token))
          .send({ to: user(bob) }),
      422,
      'NEW_OWNER_NOT_IN_PROJECT',
    );
  });

  it('R25 a project user who is not the owner cannot transfer ownership: 403', async () => {
    const projectId = await createProject();
    await addMember(projectId, user(bob), 'user').expect(200);
    await expectRefusal(
      t,
      () =>
        t.http
          .post(path(`/${projectId}/ownership`))
          .set(bearer(bob.token))
          .send({ to: user(bob) }),
      403,
      'NOT_ALLOWED',
    );
  });

  it('R27 R28 the owner deletes a project; an org admin deletes one without owning it', async () => {
    const first = await createProject();
    const deleted = await t.http
      .delete(path(`/${first}`))
      .set(bearer(owner.token))
      .expect(200);
    expect(deleted.body.events.map((e: { type: string }) => e.type)).toEqual(['ProjectDeleted']);
    const second = await createProject();
    await t.http
      .delete(path(`/${second}`))
      .set(bearer(org.adminToken))
      .expect(200);
    expect(await listAs(owner.token)).toEqual([]);
  });

  it('R27 a project viewer cannot delete it: 403, nothing appended', async () => {
    const projectId = await createProject();
    await addMember(projectId, user(bob)).expect(200);
    await expectRefusal(
      t,
      () => t.http.delete(path(`/${projectId}`)).set(bearer(bob.token)),
      403,
      'NOT_ALLOWED',
    );
  });

  it('R27 a deleted project is gone: 404, nothing appended', async () => {
    const projectId = await createProject();
    await t.http
      .delete(path(`/${projectId}`))
      .set(bearer(owner.token))
      .expect(200);
    await expectRefusal(
      t,
      () => t.http.delete(path(`/${projectId}`)).set(bearer(owner.token)),
      404,
      'PROJECT_NOT_FOUND',
    );
  });

  it('R22 R28 workspace users see only projects they can access; org admins see them all as viewer', async () => {
    const projectId = await createProject();
    expect(await listAs(bob.token)).toEqual([]);
    expect(await listAs(org.adminToken)).toEqual([
      expect.objectContaining({ projectId, role: 'viewer' }),
    ]);
  });

  it('R22 a project member who holds no role in its workspace still lists the projects they can access', async () => {
    const { workspaceId } = (
      await t.http
        .post(orgPath('/workspaces'))
        .set(bearer(org.adminToken))
        .send({ name: 'Fraud' })
        .expect(201)
    ).body;
    const projectId = await createProject(org.adminToken, workspaceId);
    await createProject(org.adminToken, workspaceId);
    await addMember(projectId, user(bob), 'user', org.adminToken).expect(200);
    const listed = await t.http
      .get(orgPath(`/workspaces/${workspaceId}/projects`))
      .set(bearer(bob.token))
      .expect(200);
    expect(listed.body).toEqual({
      items: [{ projectId, name: 'Checks', role: 'user' }],
      nextCursor: null,
    });
    // The workspace itself stays hidden from him (R20): only his projects show.
    await expectRefusal(
      t,
      () => t.http.get(orgPath(`/workspaces/${workspaceId}/usage`)).set(bearer(bob.token)),
      404,
      'WORKSPACE_NOT_FOUND',
    );
  });

  it('R28 a project’s members, filtered by role, may be none; to others the project does not exist', async () => {
    const projectId = await createProject();
    const members = (token: string, query = '') =>
      t.http.get(path(`/${projectId}/members${query}`)).set(bearer(token));
    for (const token of [owner.token, org.adminToken]) {
      expect((await members(token, '?role=user').expect(200)).body).toEqual({
        items: [],
        nextCursor: null,
      });
    }
    const owners = (await members(owner.token, '?role=owner').expect(200)).body.items;
    expect(owners).toEqual([expect.objectContaining({ userId: owner.userId, role: 'owner' })]);
    await expectRefusal(t, () => members(bob.token), 404, 'PROJECT_NOT_FOUND');
    await t.http
      .delete(path(`/${projectId}`))
      .set(bearer(owner.token))
      .expect(200);
    await expectRefusal(t, () => members(org.adminToken, '?role=user'), 404, 'PROJECT_NOT_FOUND');
  });

  it('R20 the projects of a workspace the reader holds no role in are unknown to them: 404', async () => {
    const { workspaceId } = (
      await t.http
        .post(orgPath('/workspaces'))
        .set(bearer(org.adminToken))
        .send({ name: 'Secret' })
        .expect(201)
    ).body;
    await createProject(org.adminToken, workspaceId);
    await expectRefusal(
      t,
      () => t.http.get(orgPath(`/workspaces/${workspaceId}/projects`)).set(bearer(bob.token)),
      404,
      'WORKSPACE_NOT_FOUND',
    );
  });
});
