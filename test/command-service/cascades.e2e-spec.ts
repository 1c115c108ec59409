import {
  addActiveMember,
  bearer,
  createOrganization,
  expectRefusal,
  organizationEvents,
  startTestApp,
  type TestApp,
} from '../support/test-app.js';

describe('cascades over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('R11 R32 removing a member removes them from groups and workspaces, as events caused by MemberRemoved', async () => {
    const org = await createOrganization(t);
    const orgPath = (suffix: string) => `/v1/orgs/${org.organizationId}${suffix}`;
    const alice = await addActiveMember(t, org);
    const groupId = (
      await t.http
        .post(orgPath('/groups'))
        .set(bearer(org.adminToken))
        .send({ name: 'Analysts' })
        .expect(201)
    ).body.groupId as string;
    await t.http
      .post(orgPath(`/groups/${groupId}/members`))
      .set(bearer(org.adminToken))
      .send({ userIds: [alice.userId] })
      .expect(200);

    const removed = await t.http
      .delete(orgPath(`/members/${alice.userId}`))
      .set({ ...bearer(org.adminToken), 'X-Correlation-Id': 'remove-alice' })
      .expect(200);
    // Alice was in Analysts and, as an invitee, in the Default workspace (R9).
    expect(removed.body.events.map((e: { type: string }) => e.type).sort()).toEqual(
      ['GroupMemberRemoved', 'MemberRemoved', 'WorkspacePrincipalRemoved'].sort(),
    );
    expect(removed.body.position).toBe(await t.store.headPosition());

    const events = await organizationEvents(t, org.organizationId);
    const ids = new Set(removed.body.events.map((e: { id: string }) => e.id));
    const decision = events.filter((e) => ids.has(e.id));
    const cause = decision.find((e) => e.type === 'MemberRemoved')!;
    // The removal itself was caused by the request; each cascaded event by the removal.
    expect(cause.metadata).toMatchObject({
      correlationId: 'remove-alice',
      causationId: 'remove-alice',
    });
    for (const effect of decision.filter((e) => e !== cause)) {
      expect({ type: effect.type, causationId: effect.metadata.causationId }).toEqual({
        type: effect.type,
        causationId: cause.id,
      });
      expect(effect.metadata.correlationId).toBe('remove-alice');
    }
    expect(decision.find((e) => e.type === 'GroupMemberRemoved')!.data).toEqual({
      groupId,
      userId: alice.userId,
    });
    expect(decision.find((e) => e.type === 'WorkspacePrincipalRemoved')!.data).toEqual({
      workspaceId: org.defaultWorkspaceId,
      principal: { type: 'user', id: alice.userId },
    });
  });

  it('R11 removing the sole owner of a live project is refused, listing the projects; nothing appended', async () => {
    const org = await createOrganization(t);
    const orgPath = (suffix: string) => `/v1/orgs/${org.organizationId}${suffix}`;
    const alice = await addActiveMember(t, org);
    const projectId = (
      await t.http
        .post(orgPath('/projects'))
        .set(bearer(alice.token))
        .send({ workspaceId: org.defaultWorkspaceId, name: 'Checks' })
        .expect(201)
    ).body.projectId as string;
    const refused = await expectRefusal(
      t,
      () => t.http.delete(orgPath(`/members/${alice.userId}`)).set(bearer(org.adminToken)),
      409,
      'MEMBER_OWNS_PROJECTS',
    );
    expect(JSON.stringify(refused.body)).toContain(projectId);
  });
});
