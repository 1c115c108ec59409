import { mintDevelopmentToken } from '#libs/auth';
import {
  addActiveMember,
  bearer,
  createOrganization,
  expectRefusal,
  startTestApp,
  SUPPORT_TOKEN,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

const ENTITLEMENTS = ['truora.directory', 'truora.workspaces'];

describe('entitlements over HTTP (R42)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const orgPath = (org: CreatedOrganization, suffix: string) =>
    `/v1/orgs/${org.organizationId}${suffix}`;
  const catalogPath = (org: CreatedOrganization, suffix = '') =>
    `/v1/support/organizations/${org.organizationId}/catalog${suffix}`;
  const createWorkspace = (org: CreatedOrganization, name: string) =>
    t.http.post(orgPath(org, '/workspaces')).set(bearer(org.adminToken)).send({ name });
  const linkDirectoryGroup = (org: CreatedOrganization, name: string, directoryGroupId: string) =>
    t.http
      .post(orgPath(org, '/groups/directory'))
      .set(bearer(org.adminToken))
      .send({ name, directoryGroupId });
  const editCatalog = (org: CreatedOrganization, change: 'add' | 'remove', permissions: string[]) =>
    t.http
      .post(catalogPath(org, change === 'add' ? '/permissions' : '/permissions/remove'))
      .set(bearer(SUPPORT_TOKEN))
      .send({ permissions })
      .expect(200);

  it('R1 a new catalog holds neither entitlement unless support lists it', async () => {
    const plain = await createOrganization(t, { catalog: ['checks.read'] });
    const catalog = await t.http.get(catalogPath(plain)).set(bearer(SUPPORT_TOKEN)).expect(200);
    expect(JSON.stringify(catalog.body)).not.toMatch(/truora\.(workspaces|directory)/);
    const listed = await createOrganization(t, { catalog: ['truora.workspaces'] });
    const withIt = await t.http.get(catalogPath(listed)).set(bearer(SUPPORT_TOKEN)).expect(200);
    expect(JSON.stringify(withIt.body)).toContain('truora.workspaces');
    expect(JSON.stringify(withIt.body)).not.toContain('truora.directory');
  });

  it('R42 without the entitlements an org admin is refused new workspaces and directory links: 403 ENTITLEMENT_REQUIRED, ask Support, nothing appended', async () => {
    const org = await createOrganization(t, { catalog: ['checks.read', 'truora.roles'] });
    const workspace = await expectRefusal(
      t,
      () => createWorkspace(org, 'Fraud'),
      403,
      'ENTITLEMENT_REQUIRED',
    );
    expect(workspace.body).toMatchObject({
      message:
        "Creating workspaces beyond Default is a paid feature: ask Support to add truora.workspaces to this organization's catalog.",
      details: { entitlement: 'truora.workspaces' },
    });
    const link = await expectRefusal(
      t,
      () => linkDirectoryGroup(org, 'Engineering', 'idp-eng'),
      403,
      'ENTITLEMENT_REQUIRED',
    );
    expect(link.body.message).toContain('ask Support to add truora.directory');
    expect(link.body).toMatchObject({ details: { entitlement: 'truora.directory' } });
  });

  it('R42 once support enables them, the org admin creates workspaces and links directory groups', async () => {
    const org = await createOrganization(t, { catalog: ['checks.read'] });
    await editCatalog(org, 'add', ENTITLEMENTS);
    await createWorkspace(org, 'Fraud').expect(201);
    await linkDirectoryGroup(org, 'Engineering', 'idp-eng').expect(201);
  });

  it('R42 once support removes them, existing workspaces and directory groups keep working; only new ones are refused', async () => {
    const org = await createOrganization(t);
    const workspaceId = (await createWorkspace(org, 'Fraud').expect(201)).body
      .workspaceId as string;
    const groupId = (await linkDirectoryGroup(org, 'Engineering', 'idp-eng').expect(201)).body
      .groupId as string;
    const carol = await addActiveMember(t, org, { groups: ['idp-eng'] });
    await editCatalog(org, 'remove', ENTITLEMENTS);

    await t.http
      .patch(orgPath(org, `/workspaces/${workspaceId}`))
      .set(bearer(org.adminToken))
      .send({ name: 'Fraud ops' })
      .expect(200);
    await t.http
      .post(orgPath(org, `/workspaces/${workspaceId}/principals`))
      .set(bearer(org.adminToken))
      .send({ principal: { type: 'group', id: groupId }, role: 'user' })
      .expect(200);
    await t.http
      .post(orgPath(org, '/projects'))
      .set(bearer(carol.token))
      .send({ workspaceId, name: 'Churn' })
      .expect(201);

    // R18: the directory still decides the membership at each sign-in.
    const memberIds = async () =>
      (await t.http.get(orgPath(org, '/groups')).set(bearer(org.adminToken)).expect(200)).body
        .items[0].memberIds as string[];
    expect(await memberIds()).toEqual([carol.userId]);
    const withoutClaim = await mintDevelopmentToken(t.settings.jwt, {
      subject: `sub|${carol.email}`,
      email: carol.email,
      groups: [],
    });
    const signIn = await t.http
      .post(orgPath(org, '/sign-ins'))
      .set(bearer(withoutClaim))
      .expect(200);
    expect(signIn.body.events.map((e: { type: string }) => e.type)).toEqual([
      'DirectoryMembershipSynced',
    ]);
    expect(await memberIds()).toEqual([]);

    await expectRefusal(t, () => createWorkspace(org, 'Another'), 403, 'ENTITLEMENT_REQUIRED');
    await expectRefusal(
      t,
      () => linkDirectoryGroup(org, 'Sales', 'idp-sales'),
      403,
      'ENTITLEMENT_REQUIRED',
    );
  });

  it('R42 a member who merely lacks the permission is told MISSING_PERMISSION, not to ask Support', async () => {
    const org = await createOrganization(t);
    const member = await addActiveMember(t, org);
    const refused = await expectRefusal(
      t,
      () =>
        t.http.post(orgPath(org, '/workspaces')).set(bearer(member.token)).send({ name: 'Mine' }),
      403,
      'MISSING_PERMISSION',
    );
    expect(refused.body.message).not.toContain('Support');
  });
});
