import {
  addActiveMember,
  AUDITOR_TOKEN,
  bearer,
  createOrganization,
  expectRefusal,
  organizationEvents,
  startTestApp,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

describe('groups over HTTP', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  beforeAll(async () => (t = await startTestApp()));
  beforeEach(async () => (org = await createOrganization(t)));
  afterAll(() => t.close());

  const path = (suffix = '') => `/v1/orgs/${org.organizationId}/groups${suffix}`;
  const createGroup = async (name: string, token = org.adminToken) =>
    (await t.http.post(path()).set(bearer(token)).send({ name }).expect(201)).body as {
      groupId: string;
      position: string;
      events: { id: string; type: string }[];
    };

  it('R17 an org admin creates a manual group, renames it, adds and removes members', async () => {
    const alice = await addActiveMember(t, org);
    const bob = await addActiveMember(t, org);
    const created = await createGroup('Analysts');
    expect(created.events.map((e) => e.type)).toEqual(['GroupCreated']);
    expect(created.position).toBe(await t.store.headPosition());

    await t.http
      .patch(path(`/${created.groupId}`))
      .set(bearer(org.adminToken))
      .send({ name: 'Senior analysts' })
      .expect(200);
    const added = await t.http
      .post(path(`/${created.groupId}/members`))
      .set(bearer(org.adminToken))
      .send({ userIds: [alice.userId, bob.userId.toUpperCase()] })
      .expect(200);
    expect(added.body.events.map((e: { type: string }) => e.type)).toEqual(['GroupMembersAdded']);
    await t.http
      .delete(path(`/${created.groupId}/members/${alice.userId}`))
      .set(bearer(org.adminToken))
      .expect(200);

    // Any active member may list the groups.
    const listed = await t.http.get(path()).set(bearer(bob.token)).expect(200);
    expect(listed.body).toEqual({
      items: [
        {
          organizationId: org.organizationId,
          groupId: created.groupId,
          name: 'Senior analysts',
          kind: 'manual',
          directoryGroupId: null,
          memberIds: [bob.userId],
        },
      ],
      nextCursor: null,
    });
  });

  it('R17 a member who is not an org admin cannot create a group: 403, nothing appended', async () => {
    const member = await addActiveMember(t, org);
    await expectRefusal(
      t,
      () => t.http.post(path()).set(bearer(member.token)).send({ name: 'Mine' }),
      403,
      'NOT_ALLOWED',
    );
  });

  it('R17 group names are unique, case-insensitively: 409, nothing appended', async () => {
    await createGroup('Analysts');
    await expectRefusal(
      t,
      () => t.http.post(path()).set(bearer(org.adminToken)).send({ name: 'ANALYSTS' }),
      409,
      'GROUP_NAME_TAKEN',
    );
  });

  it('R17 renaming to a taken name is refused, nothing appended', async () => {
    await createGroup('Analysts');
    const { groupId } = await createGroup('Auditors');
    await expectRefusal(
      t,
      () =>
        t.http
          .patch(path(`/${groupId}`))
          .set(bearer(org.adminToken))
          .send({ name: 'analysts' }),
      409,
      'GROUP_NAME_TAKEN',
    );
  });

  it('R17 adding someone already in the group, or not a member of the organization, is refused', async () => {
    const alice = await addActiveMember(t, org);
    const { groupId } = await createGroup('Analysts');
    await t.http
      .post(path(`/${groupId}/members`))
      .set(bearer(org.adminToken))
      .send({ userIds: [alice.userId] })
      .expect(200);
    await expectRefusal(
      t,
      () =>
        t.http
          .post(path(`/${groupId}/members`))
          .set(bearer(org.adminToken))
          .send({ userIds: [alice.userId] }),
      409,
      'ALREADY_GROUP_MEMBER',
    );
    await expectRefusal(
      t,
      () =>
        t.http
          .post(path(`/${groupId}/members`))
          .set(bearer(org.adminToken))
          .send({ userIds: ['0f0e0d0c-0b0a-4909-8807-060504030201'] }),
      404,
      'MEMBER_NOT_FOUND',
    );
  });

  it('R17 removing someone not in the group is refused, nothing appended', async () => {
    const alice = await addActiveMember(t, org);
    const { groupId } = await createGroup('Analysts');
    await expectRefusal(
      t,
      () => t.http.delete(path(`/${groupId}/members/${alice.userId}`)).set(bearer(org.adminToken)),
      404,
      'NOT_GROUP_MEMBER',
    );
  });

  it('R18 an org admin links a directory group; sign-ins keep its membership', async () => {
    const linked = await t.http
      .post(path('/directory'))
      .set(bearer(org.adminToken))
      .send({ name: 'Engineering', directoryGroupId: 'idp-eng' })
      .expect(201);
    expect(linked.body.events.map((e: { type: string }) => e.type)).toEqual([
      'DirectoryGroupLinked',
    ]);
    const carol = await addActiveMember(t, org, { groups: ['idp-eng', 'idp-other'] });
    const listed = await t.http.get(path()).set(bearer(org.adminToken)).expect(200);
    expect(listed.body).toEqual({
      items: [
        {
          organizationId: org.organizationId,
          groupId: linked.body.groupId,
          name: 'Engineering',
          kind: 'directory',
          directoryGroupId: 'idp-eng',
          memberIds: [carol.userId],
        },
      ],
      nextCursor: null,
    });
  });

  it('R18 linking the same directory group twice, or by a non-admin, is refused, nothing appended', async () => {
    const link = (token: string, name: string) =>
      t.http
        .post(path('/directory'))
        .set(bearer(token))
        .send({ name, directoryGroupId: 'idp-eng' });
    await link(org.adminToken, 'Engineering').expect(201);
    await expectRefusal(
      t,
      () => link(org.adminToken, 'Engineering again'),
      409,
      'DIRECTORY_GROUP_ALREADY_LINKED',
    );
    const member = await addActiveMember(t, org);
    // default_access holds no admin-namespace permission, truora.directory included (R42).
    await expectRefusal(t, () => link(member.token, 'Mine'), 403, 'MISSING_PERMISSION');
  });

  it('R18 editing a directory group by hand is refused, nothing appended', async () => {
    const alice = await addActiveMember(t, org);
    const linked = await t.http
      .post(path('/directory'))
      .set(bearer(org.adminToken))
      .send({ name: 'Engineering', directoryGroupId: 'idp-eng' })
      .expect(201);
    await expectRefusal(
      t,
      () =>
        t.http
          .post(path(`/${linked.body.groupId}/members`))
          .set(bearer(org.adminToken))
          .send({ userIds: [alice.userId] }),
      422,
      'DIRECTORY_GROUP_READ_ONLY',
    );
  });

  it('R19 deleting a group removes its workspace roles, as events caused by the deletion', async () => {
    const { groupId } = await createGroup('Analysts');
    await t.http
      .post(`/v1/orgs/${org.organizationId}/workspaces/${org.defaultWorkspaceId}/principals`)
      .set(bearer(org.adminToken))
      .send({ principal: { type: 'group', id: groupId }, role: 'editor' })
      .expect(200);
    const deleted = await t.http
      .delete(path(`/${groupId}`))
      .set(bearer(org.adminToken))
      .expect(200);
    expect(deleted.body.events.map((e: { type: string }) => e.type)).toEqual([
      'GroupDeleted',
      'WorkspacePrincipalRemoved',
    ]);
    const events = await organizationEvents(t, org.organizationId);
    const cause = events.find((e) => e.type === 'GroupDeleted')!;
    const removal = events.find((e) => e.type === 'WorkspacePrincipalRemoved')!;
    expect(removal.metadata.causationId).toBe(cause.id);
    const listed = await t.http.get(path()).set(bearer(org.adminToken)).expect(200);
    expect(listed.body).toEqual({ items: [], nextCursor: null });
  });

  it('R19 deleting a group that owns a live project is refused, nothing appended', async () => {
    const { groupId } = await createGroup('Owners');
    const orgPath = `/v1/orgs/${org.organizationId}`;
    const { projectId } = (
      await t.http
        .post(`${orgPath}/projects`)
        .set(bearer(org.adminToken))
        .send({ workspaceId: org.defaultWorkspaceId, name: 'Checks' })
        .expect(201)
    ).body;
    await t.http
      .post(`${orgPath}/projects/${projectId}/members`)
      .set(bearer(org.adminToken))
      .send({ principal: { type: 'group', id: groupId }, role: 'user' })
      .expect(200);
    await t.http
      .post(`${orgPath}/projects/${projectId}/ownership`)
      .set(bearer(org.adminToken))
      .send({ to: { type: 'group', id: groupId } })
      .expect(200);
    const refused = await expectRefusal(
      t,
      () => t.http.delete(path(`/${groupId}`)).set(bearer(org.adminToken)),
      409,
      'GROUP_OWNS_PROJECTS',
    );
    expect(JSON.stringify(refused.body)).toContain(projectId);
  });

  it('R17 an auditor may list groups but not create one', async () => {
    await createGroup('Analysts');
    const listed = await t.http.get(path()).set(bearer(AUDITOR_TOKEN)).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ name: 'Analysts' })]);
    await expectRefusal(
      t,
      () => t.http.post(path()).set(bearer(AUDITOR_TOKEN)).send({ name: 'X' }),
      403,
      'READ_ONLY_ACTOR',
    );
  });
});
