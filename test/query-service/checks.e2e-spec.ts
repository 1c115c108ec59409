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

describe('checks over HTTP (R31)', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  let bob: ActiveMember;
  let carol: ActiveMember;
  let groupId: string;
  let projectId: string;
  let adminKey: { keyId: string; secret: string };
  let carolKey: { keyId: string; secret: string };

  const orgs = () => `/v1/orgs/${org.organizationId}`;
  const post = async (path: string, body: object, token = org.adminToken) => {
    const response = await t.http.post(`${orgs()}${path}`).set(bearer(token)).send(body);
    if (response.status >= 300) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const check = (query: Record<string, string>, token = org.adminToken) =>
    t.http.get(`${orgs()}/check`).query(query).set(bearer(token));

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
    bob = await addActiveMember(t, org);
    // Carol may issue keys, but holds not the whole admin namespace: her keys ask only about themselves.
    const keyRole = await post('/roles', {
      name: 'Key keeper',
      permissions: ['checks.read', 'truora.keys'],
    });
    carol = await addActiveMember(t, org, { roleId: keyRole.roleId });
    groupId = (await post('/groups', { name: 'Risk' })).groupId;
    await post(`/groups/${groupId}/members`, { userIds: [bob.userId] });
    projectId = (await post('/projects', { workspaceId: org.defaultWorkspaceId, name: 'Fraud' }))
      .projectId;
    await post(`/projects/${projectId}/members`, {
      principal: { type: 'group', id: groupId },
      role: 'user',
    });
    adminKey = await post('/api-keys', { name: 'admin-ci' });
    carolKey = await post('/api-keys', { name: 'carol-ci' }, carol.token);
  });
  afterAll(() => t.close());

  it('R31 without explain a check answers allowed or not (and the role), nothing more', async () => {
    const allowed = await check({
      subject: `user:${bob.userId}`,
      resource: `project:${projectId}`,
      action: 'edit',
    }).expect(200);
    expect(allowed.body).toEqual({
      allowed: true,
      role: 'user',
      position: expect.stringMatching(/^\d+$/),
    });
    const refused = await check({
      subject: `user:${carol.userId}`,
      resource: `project:${projectId}`,
      action: 'view',
    }).expect(200);
    expect(refused.body).toEqual({ allowed: false, position: expect.any(String) });
    const permission = await check({
      subject: `user:${bob.userId}`,
      permission: 'truora.users',
    }).expect(200);
    expect(permission.body).toEqual({ allowed: false, position: expect.any(String) });
  });

  it('R31 with explain every path, each edge naming a stored event with its actor, time and position', async () => {
    const response = await check({
      subject: `user:${bob.userId}`,
      resource: `project:${projectId}`,
      action: 'view',
      explain: 'true',
    }).expect(200);
    expect(response.body.allowed).toBe(true);
    expect(response.body.paths.map((p: { via: string }) => p.via)).toEqual(['group']);
    const [joined, granted] = response.body.paths[0].edges;
    expect(joined).toMatchObject({
      from: `user:${bob.userId}`,
      relation: 'member_of',
      to: `group:${groupId}`,
    });
    expect(granted).toMatchObject({
      from: `group:${groupId}`,
      relation: 'user',
      to: `project:${projectId}`,
    });
    const events = await t.allEvents();
    for (const edge of [joined, granted]) {
      const stored = events.find((event) => event.id === edge.event.eventId)!;
      expect(edge.event).toEqual({
        eventId: stored.id,
        type: stored.type,
        actor: stored.metadata.actor,
        time: stored.recordedAt,
        position: stored.position,
      });
    }
    expect([joined.event.type, granted.event.type]).toEqual([
      'GroupMembersAdded',
      'ProjectMemberAdded',
    ]);
  });

  it('R31 support, auditors and org admins ask about anyone; a member only about themself', async () => {
    const aboutBob = { subject: `user:${bob.userId}`, permission: 'checks.read' };
    for (const token of [SUPPORT_TOKEN, AUDITOR_TOKEN, org.adminToken, bob.token]) {
      expect((await check(aboutBob, token).expect(200)).body.allowed).toBe(true);
    }
    const refused = await check(aboutBob, carol.token).expect(403);
    expect(refused.body.code).toBe('CHECK_NOT_ALLOWED');
  });

  it('R31 an API key asks about itself; one holding the whole admin namespace about anyone', async () => {
    const asKey = (key: { secret: string }, subject: string) =>
      check({ subject, permission: 'checks.read' }, key.secret);
    expect((await asKey(carolKey, `apiKey:${carolKey.keyId}`).expect(200)).body.allowed).toBe(true);
    expect((await asKey(carolKey, `user:${bob.userId}`).expect(403)).body.code).toBe(
      'CHECK_NOT_ALLOWED',
    );
    expect((await asKey(adminKey, `user:${bob.userId}`).expect(200)).body.allowed).toBe(true);
    const keyPath = await check({
      subject: `apiKey:${adminKey.keyId}`,
      permission: 'truora.keys',
      explain: 'true',
    }).expect(200);
    expect(keyPath.body.paths[0].edges[0]).toMatchObject({
      relation: 'snapshot_holds',
      event: { type: 'ApiKeyIssued' },
    });
  });

  it('S1 a subject or resource of another organization is not found', async () => {
    const other = await createOrganization(t);
    const theirs = await t.http
      .post(`/v1/orgs/${other.organizationId}/projects`)
      .set(bearer(other.adminToken))
      .send({ workspaceId: other.defaultWorkspaceId, name: 'Theirs' })
      .expect(201);
    expect(
      (await check({ subject: `user:${other.firstUserId}`, permission: 'checks.read' }).expect(404))
        .body.code,
    ).toBe('SUBJECT_NOT_FOUND');
    expect(
      (
        await check({
          subject: `user:${bob.userId}`,
          resource: `project:${theirs.body.projectId}`,
          action: 'view',
        }).expect(404)
      ).body.code,
    ).toBe('PROJECT_NOT_FOUND');
    expect(
      (
        await check(
          { subject: `user:${bob.userId}`, permission: 'checks.read' },
          other.adminToken,
        ).expect(404)
      ).body.code,
    ).toBe('ORGANIZATION_NOT_FOUND');
  });

  it('R31 batched checks are answered in order, a refused one carrying its own error', async () => {
    const response = await t.http
      .post(`${orgs()}/checks`)
      .set(bearer(org.adminToken))
      .send({
        checks: [
          { subject: `user:${bob.userId}`, resource: `project:${projectId}`, action: 'edit' },
          { subject: `user:${carol.userId}`, resource: `project:${projectId}`, action: 'view' },
          { subject: `user:00000000-0000-4000-8000-000000000000`, permission: 'checks.read' },
          {
            subject: `user:${bob.userId}`,
            resource: `workspace:${org.defaultWorkspaceId}`,
            action: 'view',
          },
        ],
      })
      .expect(200);
    expect(response.body.results).toEqual([
      { allowed: true, role: 'user' },
      { allowed: false },
      { error: expect.objectContaining({ statusCode: 404, code: 'SUBJECT_NOT_FOUND' }) },
      { allowed: true, role: 'user' },
    ]);
  });

  it('R38 a malformed check is a 400 naming the field; more than 1,000 in a batch too', async () => {
    const bad = await check({ subject: 'someone', permission: 'checks.read' }).expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_CHECK', details: { fields: ['subject'] } });
    const both = await check({
      subject: `user:${bob.userId}`,
      permission: 'checks.read',
      resource: `project:${projectId}`,
    }).expect(400);
    expect(both.body.code).toBe('INVALID_CHECK');
    const action = await check({
      subject: `user:${bob.userId}`,
      resource: `project:${projectId}`,
      action: 'fly',
    }).expect(400);
    expect(action.body.details).toEqual({ fields: ['action'] });
    const many = Array.from({ length: 1001 }, () => ({
      subject: `user:${bob.userId}`,
      permission: 'checks.read',
    }));
    const tooMany = await t.http
      .post(`${orgs()}/checks`)
      .set(bearer(org.adminToken))
      .send({ checks: many })
      .expect(400);
    expect(tooMany.body.code).toBe('INVALID_CHECK');
  });

  it('R35 minPosition works on batched checks as on every read', async () => {
    const head = await t.store.headPosition();
    const send = (minPosition: string) =>
      t.http
        .post(`${orgs()}/checks`)
        .query({ minPosition })
        .set(bearer(org.adminToken))
        .send({ checks: [{ subject: `user:${bob.userId}`, permission: 'checks.read' }] });
    expect((await send(head).expect(200)).body.results).toEqual([{ allowed: true }]);
    expect((await send(String(BigInt(head) + 1000n)).expect(400)).body.code).toBe(
      'MIN_POSITION_AHEAD_OF_STORE',
    );
  });

  it('R33 a check as of a past position or instant answers from the history up to it, and says which', async () => {
    const events = await t.allEvents();
    // Just before the group was given the project: the project existed, bob had no way in.
    const granted = events.find((e) => e.type === 'ProjectMemberAdded')!;
    const before = String(BigInt(granted.position) - 1n);
    const query = {
      subject: `user:${bob.userId}`,
      resource: `project:${projectId}`,
      action: 'view',
    };
    const then = await check({ ...query, asOf: before }, AUDITOR_TOKEN).expect(200);
    expect(then.body).toEqual({ allowed: false, position: before, time: expect.any(String) });
    const now = await check({ ...query, asOf: new Date().toISOString(), explain: 'true' }).expect(
      200,
    );
    expect(now.body.allowed).toBe(true);
    for (const path of now.body.paths) {
      for (const edge of path.edges) {
        expect(BigInt(edge.event.position) <= BigInt(now.body.position)).toBe(true);
      }
    }
  });

  it('R33 before the organization existed is 404, the future 400, and only history readers ask', async () => {
    const query = { subject: `user:${bob.userId}`, permission: 'checks.read' };
    const early = await check({ ...query, asOf: '2000-01-01T00:00:00Z' }, SUPPORT_TOKEN).expect(
      404,
    );
    expect(early.body.code).toBe('ORGANIZATION_NOT_FOUND');
    const later = new Date(Date.now() + 86_400_000).toISOString();
    expect((await check({ ...query, asOf: later }).expect(400)).body.code).toBe(
      'AS_OF_IN_THE_FUTURE',
    );
    expect((await check({ ...query, asOf: '99999999999' }).expect(400)).body.code).toBe(
      'AS_OF_IN_THE_FUTURE',
    );
    expect((await check({ ...query, asOf: 'yesterday' }).expect(400)).body.code).toBe(
      'INVALID_AS_OF',
    );
    expect((await check({ ...query, asOf: '1' }, bob.token).expect(403)).body.code).toBe(
      'AS_OF_NOT_ALLOWED',
    );
  });
});
