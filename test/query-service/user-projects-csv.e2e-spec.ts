import {
  bearer,
  createOrganization,
  startTestApp,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

describe('user-project CSV', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
  });
  afterAll(() => t.close());

  const orgPath = (suffix: string) => `/v1/orgs/${org.organizationId}${suffix}`;
  const admin = () => bearer(org.adminToken);

  it('R30 one row per (member, project) with how access is granted, quoted and injection-safe', async () => {
    const bob = await t.http
      .post(orgPath('/invitations'))
      .set(admin())
      .send({ email: 'bob@acme.test' })
      .expect(201);
    const group = await t.http
      .post(orgPath('/groups'))
      .set(admin())
      .send({ name: 'Data, Science' })
      .expect(201);
    await t.http
      .post(orgPath(`/groups/${group.body.groupId}/members`))
      .set(admin())
      .send({ userIds: [bob.body.userId] })
      .expect(200);
    const project = await t.http
      .post(orgPath('/projects'))
      .set(admin())
      .send({ workspaceId: org.defaultWorkspaceId, name: '=HYPERLINK("http://x")' })
      .expect(201);
    await t.http
      .post(orgPath(`/projects/${project.body.projectId}/members`))
      .set(admin())
      .send({ principal: { type: 'group', id: group.body.groupId } })
      .expect(200);

    const response = await t.http
      .get(orgPath('/exports/user-projects.csv'))
      .set(admin())
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'user_id,email,status,org_role,workspace,project_id,project_name,project_role,granted_via',
    );
    const rows = lines.slice(1);
    expect(rows).toHaveLength(2);
    const adminRow = rows.find((r) => r.startsWith(org.firstUserId))!;
    const bobRow = rows.find((r) => r.startsWith(bob.body.userId))!;
    // The creator owns it directly; the formula-like name is defused with a quote and quoted.
    expect(adminRow).toContain(
      `,Default,${project.body.projectId},"'=HYPERLINK(""http://x"")",owner,direct`,
    );
    expect(bobRow).toBe(
      `${bob.body.userId},bob@acme.test,invited,default_access,Default,${project.body.projectId},"'=HYPERLINK(""http://x"")",viewer,"group:Data, Science"`,
    );
  });

  it('R30 only org admins download it', async () => {
    await t.http
      .post(orgPath('/invitations'))
      .set(admin())
      .send({ email: 'carol@acme.test' })
      .expect(201);
    const carol = await t.tokenFor('carol@acme.test');
    await t.http.post(orgPath('/sign-ins')).set(bearer(carol)).expect(200);
    const refused = await t.http.get(orgPath('/exports/user-projects.csv')).set(bearer(carol));
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NOT_ALLOWED');
  });
});
