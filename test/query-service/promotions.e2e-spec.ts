import {
  addActiveMember,
  bearer,
  createOrganization,
  startTestApp,
  type ActiveMember,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';
import { parseCsv } from '../support/csv.js';

/*
 * Issue 11: the rows org admins and workspace editors hold on every project are the engine's,
 * computed when read (ADR 22). Whatever stores them, every read answers as R28 and R30 say,
 * from the position of the change on (R35): the project members, a member's projects and the
 * user-project CSV.
 */
describe('promotions and workspace editors, as every read sees them', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  let bob: ActiveMember;
  const projects: string[] = [];
  beforeAll(async () => {
    t = await startTestApp(undefined, { readYourWrites: false });
    org = await createOrganization(t);
    bob = await addActiveMember(t, org, { email: 'bob@acme.test' });
    for (let i = 0; i < 4; i++) {
      const created = await t.http
        .post(orgPath(`/projects`))
        .set(admin())
        .send({ workspaceId: org.defaultWorkspaceId, name: `P${i}` })
        .expect(201);
      projects.push(created.body.projectId);
    }
    await t.http
      .post(orgPath(`/projects/${projects[0]}/members`))
      .set(admin())
      .send({ principal: { type: 'user', id: bob.userId }, role: 'user' })
      .expect(200);
  });
  afterAll(() => t.close());

  const orgPath = (suffix: string) => `/v1/orgs/${org.organizationId}${suffix}`;
  const admin = () => bearer(org.adminToken);

  /** Reads at the position a command answered with (R35). */
  const read = (path: string, position: string, token = org.adminToken) =>
    t.http
      .get(orgPath(`${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`))
      .set(bearer(token))
      .expect(200);

  const bobsRoles = async (position: string) => {
    const roles: Record<string, { role: string; grantedVia: string[] } | undefined> = {};
    for (const projectId of projects) {
      const members = await read(`/projects/${projectId}/members`, position);
      const row = members.body.items.find((m: { userId: string }) => m.userId === bob.userId);
      roles[projectId] = row && { role: row.role, grantedVia: row.grantedVia };
    }
    return roles;
  };

  const bobsCsvLines = async (position: string) => {
    const csv = await read('/exports/user-projects.csv', position);
    const [header, ...lines] = parseCsv(csv.text);
    const column = (name: string) => header.indexOf(name);
    return lines
      .filter((line) => line[column('user_id')] === bob.userId)
      .map((line) => [
        line[column('project_id')],
        line[column('org_role')],
        line[column('project_role')],
        line[column('granted_via')],
      ])
      .sort();
  };

  const changeRole = async (roleId: string): Promise<string> =>
    (
      await t.http
        .put(orgPath(`/members/${bob.userId}/role`))
        .set(admin())
        .send({ roleId })
        .expect(200)
    ).body.position;

  it('R28 R30 a promotion to full_access shows on every project at once, and a demotion takes it away', async () => {
    const promoted = await changeRole('full_access');
    expect(await bobsRoles(promoted)).toEqual({
      [projects[0]]: { role: 'user', grantedVia: ['direct', 'org_admin'] },
      [projects[1]]: { role: 'viewer', grantedVia: ['org_admin'] },
      [projects[2]]: { role: 'viewer', grantedVia: ['org_admin'] },
      [projects[3]]: { role: 'viewer', grantedVia: ['org_admin'] },
    });
    expect(await bobsCsvLines(promoted)).toEqual(
      [
        [projects[0], 'full_access', 'user', 'direct'],
        [projects[1], 'full_access', 'viewer', 'org_admin'],
        [projects[2], 'full_access', 'viewer', 'org_admin'],
        [projects[3], 'full_access', 'viewer', 'org_admin'],
      ].sort(),
    );
    // R22: as an org admin, bob lists every project of the workspace, paged.
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { projectId: string }[]; nextCursor: string | null } } =
        await read(
          `/workspaces/${org.defaultWorkspaceId}/projects?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          promoted,
          bob.token,
        );
      listed.push(...page.body.items.map((p) => p.projectId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(listed.sort()).toEqual([...projects].sort());

    const demoted = await changeRole('default_access');
    expect(await bobsRoles(demoted)).toEqual({
      [projects[0]]: { role: 'user', grantedVia: ['direct'] },
      [projects[1]]: undefined,
      [projects[2]]: undefined,
      [projects[3]]: undefined,
    });
    expect(await bobsCsvLines(demoted)).toEqual([
      [projects[0], 'default_access', 'user', 'direct'],
    ]);
    const own = await read(`/workspaces/${org.defaultWorkspaceId}/projects`, demoted, bob.token);
    expect(own.body.items).toEqual([{ projectId: projects[0], name: 'P0', role: 'user' }]);
  });

  it('R22 R28 a workspace editor sees every project of the workspace, and stops when the role goes back to member', async () => {
    // Every member is in the Default workspace (R9): their role there changes.
    const principal = orgPath(
      `/workspaces/${org.defaultWorkspaceId}/principals/user/${bob.userId}/role`,
    );
    const granted = (await t.http.put(principal).set(admin()).send({ role: 'editor' }).expect(200))
      .body.position;
    const roles = await bobsRoles(granted);
    expect(roles[projects[0]]).toEqual({
      role: 'user',
      grantedVia: ['direct', 'workspace:editor'],
    });
    expect(roles[projects[3]]).toEqual({ role: 'viewer', grantedVia: ['workspace:editor'] });
    const own = await read(`/workspaces/${org.defaultWorkspaceId}/projects`, granted, bob.token);
    expect(own.body.items.map((p: { projectId: string }) => p.projectId).sort()).toEqual(
      [...projects].sort(),
    );

    const removed = (await t.http.put(principal).set(admin()).send({ role: 'member' }).expect(200))
      .body.position;
    expect((await bobsRoles(removed))[projects[3]]).toBeUndefined();
  });
});
