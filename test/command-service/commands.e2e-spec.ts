import {
  AUDITOR_TOKEN,
  bearer,
  createOrganization,
  startTestApp,
  SUPPORT_TOKEN,
  type TestApp,
} from '../support/test-app.js';

describe('command service over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp()));
  afterEach(() => t.close());

  it('R1 support creates an organization whose first user is an active full_access admin of the Default workspace', async () => {
    const org = await createOrganization(t, { catalog: ['checks.read'] });
    const events = await t.allEvents();
    expect(events.map((e) => e.type)).toEqual([
      'OrganizationCreated',
      'WorkspaceCreated',
      'WorkspacePrincipalAdded',
    ]);
    expect(events[0].data).toMatchObject({
      catalog: ['checks.read', 'truora.keys', 'truora.users'],
    });
    // One decision on the organization's one stream (ADR 9): all three or none.
    expect(new Set(events.map((e) => e.stream))).toEqual(
      new Set([`organization-${org.organizationId}`]),
    );
    expect(events[1].data).toEqual({ workspaceId: org.defaultWorkspaceId, name: 'Default' });
    expect(events[2].data).toMatchObject({
      workspaceId: org.defaultWorkspaceId,
      principal: { type: 'user', id: org.firstUserId },
      role: 'admin',
    });
    // The Default workspace is caused by the organization's creation (R32).
    expect(events[1].metadata.causationId).toBe(events[0].id);
    expect(events[2].metadata.causationId).toBe(events[0].id);
    // The first user acts as an admin straight away: they may read the roles.
    const roles = await t.http
      .get(`/v1/orgs/${org.organizationId}/roles`)
      .set(bearer(org.adminToken));
    expect(roles.status).toBe(200);
  });

  it('R32 events carry organization, actor, correlation and causation ids', async () => {
    const org = await createOrganization(t);
    await t.http
      .post(`/v1/orgs/${org.organizationId}/invitations`)
      .set({ ...bearer(org.adminToken), 'X-Correlation-Id': 'trace-123' })
      .send({ email: 'bob@acme.test' })
      .expect(201);
    const invited = (await t.allEvents()).find((e) => e.type === 'MemberInvited')!;
    expect(invited.metadata).toMatchObject({
      organizationId: org.organizationId,
      schemaVersion: 1,
      correlationId: 'trace-123',
      causationId: 'trace-123',
      actor: { type: 'user' },
    });
    expect(invited.stream).toBe(`organization-${org.organizationId}`);
    expect(typeof invited.position).toBe('string');
  });

  it('R35 every command response carries the global position of its last event', async () => {
    const org = await createOrganization(t);
    const created = await t.http
      .post(`/v1/orgs/${org.organizationId}/roles`)
      .set(bearer(org.adminToken))
      .send({ name: 'Analyst', permissions: ['checks.read'] })
      .expect(201);
    expect(created.body.position).toBe(await t.store.headPosition());
    const invited = await t.http
      .post(`/v1/orgs/${org.organizationId}/invitations`)
      .set(bearer(org.adminToken))
      .send({ email: 'carol@acme.test', roleId: created.body.roleId })
      .expect(201);
    // The invitee joins the Default workspace in the same decision: that is its last event.
    expect(invited.body.position).toBe(await t.store.headPosition());
    expect(BigInt(invited.body.position)).toBeGreaterThan(BigInt(created.body.position));
  });

  it('R9 an invitee becomes active at first sign-in with a JWT whose email matches', async () => {
    const org = await createOrganization(t);
    const invited = await t.http
      .post(`/v1/orgs/${org.organizationId}/invitations`)
      .set(bearer(org.adminToken))
      .send({ email: 'Dave@Acme.test' })
      .expect(201);
    const dave = await t.tokenFor('dave@acme.test', 'idp|dave');
    // Not active yet: an invitee can do nothing but sign in.
    await t.http.get(`/v1/orgs/${org.organizationId}/roles`).set(bearer(dave)).expect(404);
    const signIn = await t.http
      .post(`/v1/orgs/${org.organizationId}/sign-ins`)
      .set(bearer(dave))
      .expect(200);
    expect(signIn.body.events.map((e: { type: string }) => e.type)).toEqual(['MemberActivated']);
    const activated = (await t.allEvents()).find((e) => e.type === 'MemberActivated')!;
    // S5: the identity the member is bound to from now on.
    expect(activated.data).toEqual({
      userId: invited.body.userId,
      subject: 'idp|dave',
      issuer: t.settings.jwt.issuer,
    });
    await t.http.get(`/v1/orgs/${org.organizationId}/roles`).set(bearer(dave)).expect(200);
  });

  it('R13 R14 R16 an API key is issued with a snapshot, its secret shown once and stored nowhere', async () => {
    const org = await createOrganization(t);
    const issued = await t.http
      .post(`/v1/orgs/${org.organizationId}/api-keys`)
      .set(bearer(org.adminToken))
      .send({ name: 'ci' })
      .expect(201);
    const { keyId, secret } = issued.body;
    expect(secret).toMatch(/^alk_/);
    const stored = JSON.stringify(await t.allEvents());
    expect(stored).not.toContain(secret);
    const asSupport = await t.http
      .get(`/v1/support/organizations/${org.organizationId}/api-keys/${keyId}`)
      .set(bearer(SUPPORT_TOKEN))
      .expect(200);
    expect(asSupport.body.snapshot).toEqual({
      roleId: 'full_access',
      roleName: 'full_access',
      // full_access is the whole catalog, the test organization's entitlements included (R2).
      permissions: [
        'checks.read',
        'checks.write',
        'truora.directory',
        'truora.keys',
        'truora.roles',
        'truora.users',
        'truora.workspaces',
      ],
    });
    const listed = await t.http
      .get(`/v1/orgs/${org.organizationId}/api-keys`)
      .set(bearer(org.adminToken))
      .expect(200);
    expect(listed.body).toEqual({
      items: [expect.objectContaining({ keyId, name: 'ci', status: 'active' })],
      nextCursor: null,
    });
    const listedText = JSON.stringify(listed.body) + JSON.stringify(asSupport.body);
    expect(listedText).not.toContain(secret);
    expect(listedText).not.toMatch(/secretHash/);
  });

  it('R4 R15 removing a catalog permission shrinks a key’s effective permissions but not its snapshot', async () => {
    const org = await createOrganization(t);
    const { keyId } = (
      await t.http
        .post(`/v1/orgs/${org.organizationId}/api-keys`)
        .set(bearer(org.adminToken))
        .send({ name: 'ci' })
    ).body;
    await t.http
      .post(`/v1/support/organizations/${org.organizationId}/catalog/permissions/remove`)
      .set(bearer(SUPPORT_TOKEN))
      .send({ permissions: ['checks.write'] })
      .expect(200);
    const key = await t.http
      .get(`/v1/orgs/${org.organizationId}/api-keys/${keyId}`)
      .set(bearer(org.adminToken))
      .expect(200);
    expect(key.body.snapshot.permissions).toContain('checks.write');
    expect(key.body.effectivePermissions).not.toContain('checks.write');
    await t.http
      .post(`/v1/orgs/${org.organizationId}/api-keys/${keyId}/revoke`)
      .set(bearer(org.adminToken))
      .expect(200);
    const revoked = await t.http
      .get(`/v1/orgs/${org.organizationId}/api-keys/${keyId}`)
      .set(bearer(org.adminToken));
    expect(revoked.body).toMatchObject({ status: 'revoked', effectivePermissions: [] });
  });

  it('S4 an auditor reads support views but cannot run any command', async () => {
    const org = await createOrganization(t);
    await t.http
      .get(`/v1/support/organizations/${org.organizationId}/catalog`)
      .set(bearer(AUDITOR_TOKEN))
      .expect(200);
    const before = await t.store.headPosition();
    const refused = await t.http
      .post(`/v1/support/organizations/${org.organizationId}/catalog/permissions`)
      .set(bearer(AUDITOR_TOKEN))
      .send({ permissions: ['x.y'] })
      .expect(403);
    expect(refused.body.code).toBe('READ_ONLY_ACTOR');
    expect(await t.store.headPosition()).toBe(before);
  });

  it('state survives a restart on the same data directory', async () => {
    const org = await createOrganization(t);
    await t.close();
    t = await startTestApp(t.settings.dataDir);
    const roles = await t.http
      .get(`/v1/orgs/${org.organizationId}/roles`)
      .set(bearer(org.adminToken))
      .expect(200);
    // The read models are rebuilt from the events at start: both built-in roles are back.
    const listed = roles.body.items as { roleId: string; builtIn: boolean }[];
    expect(listed.map(({ roleId, builtIn }) => ({ roleId, builtIn }))).toEqual(
      expect.arrayContaining([
        { roleId: 'full_access', builtIn: true },
        { roleId: 'default_access', builtIn: true },
      ]),
    );
    expect(listed).toHaveLength(2);
    expect(roles.body.nextCursor).toBeNull();
  });
});
