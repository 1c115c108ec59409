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
import { parseCsv } from '../support/csv.js';

interface Entry {
  position: string;
  time: string;
  eventId: string;
  organizationId: string;
  type: string;
  actor: { type: string; id: string; email?: string; name?: string };
  subjects: string[];
  sentence: string;
  cause: { eventId: string; type: string } | null;
  correlationId: string;
  data: Record<string, unknown>;
}

describe('the audit log (R34)', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  let ada: string;
  let grace: ActiveMember;
  let bob: ActiveMember;
  let billingId: string;
  let groupId: string;
  let workspaceId: string;
  let projectId: string;
  let key: { keyId: string; secret: string };

  const orgs = () => `/v1/orgs/${org.organizationId}`;
  const send = async (
    method: 'post' | 'put' | 'delete',
    path: string,
    body: object = {},
  ): Promise<Record<string, string>> => {
    const response = await t.http[method](`${orgs()}${path}`)
      .set(bearer(org.adminToken))
      .send(body);
    if (response.status >= 300) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
    return response.body as Record<string, string>;
  };
  const log = (query: Record<string, string> = {}, token = org.adminToken) =>
    t.http.get(`${orgs()}/audit-log`).query(query).set(bearer(token));
  const everything = async (query: Record<string, string> = {}): Promise<Entry[]> =>
    (await log({ ...query, limit: '500' }).expect(200)).body.items as Entry[];

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t, { email: 'ada@acme.test' });
    ada = org.firstUserId;
    // Ada signs in first, which binds her identity: from then on her actions carry her email.
    await t.http.post(`${orgs()}/sign-ins`).set(bearer(org.adminToken)).expect(200);
    billingId = (await send('post', '/roles', { name: 'Billing', permissions: ['checks.read'] }))
      .roleId;
    grace = await addActiveMember(t, org, { email: 'grace@acme.test' });
    bob = await addActiveMember(t, org, { email: 'bob@acme.test' });
    await send('put', `/members/${grace.userId}/role`, { roleId: billingId });
    groupId = (await send('post', '/groups', { name: 'Risk, Fraud & "Ops"' })).groupId;
    await send('post', `/groups/${groupId}/members`, { userIds: [grace.userId] });
    workspaceId = (
      await send('post', '/workspaces', {
        name: 'Lending',
        principals: [{ role: 'editor', principal: { type: 'user', id: grace.userId } }],
      })
    ).workspaceId;
    projectId = (await send('post', '/projects', { workspaceId, name: 'Scoring' })).projectId;
    await send('post', `/projects/${projectId}/members`, {
      principal: { type: 'user', id: grace.userId },
      role: 'user',
    });
    await send('post', `/projects/${projectId}/ownership`, {
      to: { type: 'user', id: grace.userId },
    });
    await send('post', `/projects/${projectId}/ownership`, { to: { type: 'user', id: ada } });
    key = (await send('post', '/api-keys', { name: 'ci' })) as { keyId: string; secret: string };
    await send('delete', `/members/${grace.userId}`);
  }, 60_000);
  afterAll(() => t.close());

  it('R34 every event of the organization is an entry with a sentence, actor, subjects and time, in position order', async () => {
    const entries = await everything();
    const stored = (await t.allEvents()).filter(
      (e) => e.metadata.organizationId === org.organizationId,
    );
    expect(entries.map((e) => e.eventId)).toEqual(stored.map((e) => e.id));
    for (const [i, entry] of entries.entries()) {
      expect(entry).toMatchObject({
        position: stored[i].position,
        time: stored[i].recordedAt,
        type: stored[i].type,
        correlationId: stored[i].metadata.correlationId,
        actor: expect.objectContaining(stored[i].metadata.actor),
      });
      expect(entry.sentence.length).toBeGreaterThan(10);
    }
    const sentences = entries.map((e) => e.sentence);
    expect(sentences).toEqual(
      expect.arrayContaining([
        'ada@acme.test invited grace@acme.test as default_access',
        'grace@acme.test signed in for the first time and became active',
        "ada@acme.test changed grace@acme.test's role from default_access to Billing",
        'ada@acme.test created the role "Billing" with checks.read',
        'ada@acme.test created the group "Risk, Fraud & "Ops""',
        'ada@acme.test added grace@acme.test to the group "Risk, Fraud & "Ops""',
        'ada@acme.test created the workspace "Lending"',
        'ada@acme.test gave grace@acme.test the editor role in the workspace "Lending"',
        'ada@acme.test created the project "Scoring" in the workspace "Lending", owned by ada@acme.test',
        'ada@acme.test added grace@acme.test to the project "Scoring" as user',
        'ada@acme.test transferred ownership of the project "Scoring" from ada@acme.test to grace@acme.test',
        'ada@acme.test transferred ownership of the project "Scoring" from grace@acme.test to ada@acme.test',
        'ada@acme.test removed grace@acme.test from the organization',
      ]),
    );
    const changed = entries.find((e) => e.type === 'MemberRoleChanged')!;
    expect(changed.actor).toEqual({
      type: 'user',
      id: 'sub|ada@acme.test',
      email: 'ada@acme.test',
    });
    expect(changed.subjects).toEqual([
      `members/${grace.userId}`,
      'roles/default_access',
      `roles/${billingId}`,
    ]);
    expect(changed.cause).toBeNull();
    const created = entries[0];
    expect(created).toMatchObject({ type: 'OrganizationCreated', actor: { type: 'support' } });
    expect(created.sentence).toMatch(/^support support-1 created the organization "Acme"/);
  });

  it('R34 a cascade names its cause: the member removal takes them out of every group, workspace and project', async () => {
    const entries = await everything();
    const removal = entries.find((e) => e.type === 'MemberRemoved')!;
    const cascade = entries.filter((e) => e.cause?.eventId === removal.eventId);
    expect(cascade.map((e) => e.type).sort()).toEqual([
      'GroupMemberRemoved',
      'ProjectMembersRemoved',
      'WorkspacePrincipalRemoved',
      'WorkspacePrincipalRemoved',
    ]);
    for (const effect of cascade) {
      expect(effect.cause).toEqual({ eventId: removal.eventId, type: 'MemberRemoved' });
      expect(effect.correlationId).toBe(removal.correlationId);
      expect(effect.subjects).toContain(`members/${grace.userId}`);
      // Told with the names of the moment: the removed member's email is still known.
      expect(effect.sentence).toContain('grace@acme.test');
    }
    expect(cascade.map((e) => e.sentence)).toEqual(
      expect.arrayContaining([
        'ada@acme.test removed grace@acme.test from the workspace "Lending"',
        'ada@acme.test removed grace@acme.test from the workspace "Default"',
        'ada@acme.test removed grace@acme.test from the project "Scoring"',
      ]),
    );
    // The invitation's own cascade: the invitee joins the Default workspace (R9).
    const invited = entries.find((e) => e.type === 'MemberInvited')!;
    const joined = entries.find((e) => e.cause?.eventId === invited.eventId)!;
    expect(joined).toMatchObject({ type: 'WorkspacePrincipalAdded' });
  });

  it('R34 filters: type (one or a list), actor, subject', async () => {
    const roleChanges = await everything({ type: 'MemberRoleChanged' });
    expect(roleChanges.map((e) => e.type)).toEqual(['MemberRoleChanged']);
    const two = await everything({ type: 'MemberInvited,MemberRemoved' });
    expect(two.map((e) => e.type)).toEqual(['MemberInvited', 'MemberInvited', 'MemberRemoved']);
    const byGrace = await everything({ actor: `user:sub|grace@acme.test` });
    expect(byGrace.map((e) => e.type)).toEqual(['MemberActivated']);
    const bySupport = await everything({ actor: 'support:support-1' });
    expect(bySupport.map((e) => e.type)).toContain('OrganizationCreated');
    const aboutGroup = await everything({ subject: `group:${groupId}` });
    expect(aboutGroup.map((e) => e.type)).toEqual([
      'GroupCreated',
      'GroupMembersAdded',
      'GroupMemberRemoved',
    ]);
    const aboutProject = await everything({ subject: `project:${projectId}` });
    expect(aboutProject.map((e) => e.type)).toEqual([
      'ProjectCreated',
      'ProjectMemberAdded',
      'OwnershipTransferred',
      'OwnershipTransferred',
      'ProjectMembersRemoved',
    ]);
    const aboutRole = await everything({ subject: `role:${billingId}` });
    expect(aboutRole.map((e) => e.type)).toEqual(['RoleCreated', 'MemberRoleChanged']);
    const aboutKey = await everything({ subject: `apiKey:${key.keyId}` });
    expect(aboutKey.map((e) => e.type)).toEqual(['ApiKeyIssued']);
    const aboutWorkspace = await everything({ subject: `workspace:${workspaceId}` });
    expect(aboutWorkspace[0].type).toBe('WorkspaceCreated');
    const aboutBob = await everything({ subject: `member:${bob.userId}`, type: 'MemberInvited' });
    expect(aboutBob.map((e) => e.sentence)).toEqual([
      'ada@acme.test invited bob@acme.test as default_access',
    ]);
  });

  it('R34 from/to by position and by time, inclusive', async () => {
    const all = await everything();
    const [from, to] = [all[3], all[8]];
    const byPosition = await everything({ from: from.position, to: to.position });
    expect(byPosition.map((e) => e.eventId)).toEqual(all.slice(3, 9).map((e) => e.eventId));
    const byTime = await everything({ from: from.time, to: to.time });
    const expected = all.filter(
      (e) =>
        Date.parse(e.time) >= Date.parse(from.time) && Date.parse(e.time) <= Date.parse(to.time),
    );
    expect(byTime.map((e) => e.eventId)).toEqual(expected.map((e) => e.eventId));
    expect(byTime.map((e) => e.eventId)).toEqual(
      expect.arrayContaining([from.eventId, to.eventId]),
    );
    const none = await everything({ from: '2000-01-01T00:00:00Z', to: '2000-01-02T00:00:00Z' });
    expect(none).toEqual([]);
  });

  it('R34 pages by position: each cursor continues after the last entry, until nextCursor is null', async () => {
    const all = await everything();
    const seen: Entry[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await log({ limit: '4', ...(cursor && { cursor }) }).expect(200);
      seen.push(...(page.body.items as Entry[]));
      cursor = page.body.nextCursor ?? undefined;
      if (cursor) expect(cursor).toBe(seen[seen.length - 1].position);
      pages += 1;
    } while (cursor);
    expect(pages).toBe(Math.ceil(all.length / 4));
    expect(seen.map((e) => e.position)).toEqual(all.map((e) => e.position));
    // A cursor with filters pages the filtered log.
    const first = await log({ limit: '1', subject: `project:${projectId}` }).expect(200);
    const second = await log({
      limit: '1',
      subject: `project:${projectId}`,
      cursor: first.body.nextCursor,
    }).expect(200);
    expect(second.body.items[0].type).toBe('ProjectMemberAdded');
  });

  it('R34 readers: org admins, auditors and support; a default_access member 403; a stranger 404', async () => {
    for (const token of [org.adminToken, AUDITOR_TOKEN, SUPPORT_TOKEN]) {
      expect((await log({ limit: '1' }, token).expect(200)).body.items).toHaveLength(1);
    }
    const refused = await log({}, bob.token).expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'AUDIT_LOG_FORBIDDEN' });
    expect(refused.body.message).toMatch(/org admins/);
    const other = await createOrganization(t);
    expect((await log({}, other.adminToken).expect(404)).body.code).toBe('ORGANIZATION_NOT_FOUND');
    // A removed member is a stranger now.
    expect((await log({}, grace.token).expect(404)).body.code).toBe('ORGANIZATION_NOT_FOUND');
    const exported = await t.http
      .get(`${orgs()}/audit-log/export`)
      .set(bearer(bob.token))
      .expect(403);
    expect(exported.body.code).toBe('AUDIT_LOG_FORBIDDEN');
  });

  it('R38 malformed filters, limits and cursors are 400 naming the field', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ type: 'MemberPromoted' }, 'INVALID_TYPE', 'type'],
      [{ type: 'MemberInvited,' }, 'INVALID_TYPE', 'type'],
      [{ actor: 'ada' }, 'INVALID_ACTOR', 'actor'],
      [{ actor: 'robot:1' }, 'INVALID_ACTOR', 'actor'],
      [{ subject: 'member' }, 'INVALID_SUBJECT', 'subject'],
      [{ subject: 'planet:mars' }, 'INVALID_SUBJECT', 'subject'],
      [{ from: 'yesterday' }, 'INVALID_FROM', 'from'],
      [{ to: '-1' }, 'INVALID_TO', 'to'],
      [{ limit: '0' }, 'INVALID_LIMIT', 'limit'],
      [{ limit: '501' }, 'INVALID_LIMIT', 'limit'],
      [{ cursor: 'abc' }, 'INVALID_CURSOR', 'cursor'],
    ];
    for (const [query, code, field] of cases) {
      const response = await log(query).expect(400);
      expect(response.body).toMatchObject({ code, details: { fields: [field] } });
    }
    const format = await t.http
      .get(`${orgs()}/audit-log/export`)
      .query({ format: 'xml' })
      .set(bearer(org.adminToken))
      .expect(400);
    expect(format.body.code).toBe('INVALID_FORMAT');
  });

  it('S2 no secret or hash in any entry or export line', async () => {
    const issued = (await t.allEvents()).find(
      (e) => e.type === 'ApiKeyIssued' && e.metadata.organizationId === org.organizationId,
    )!;
    const hash = issued.data.secretHash as string;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const texts = [
      JSON.stringify(await everything()),
      (await t.http.get(`${orgs()}/audit-log/export`).set(bearer(org.adminToken)).expect(200)).text,
      (
        await t.http
          .get(`${orgs()}/audit-log/export?format=csv`)
          .set(bearer(org.adminToken))
          .expect(200)
      ).text,
      JSON.stringify(
        (await t.http.get('/v1/support/audit-log?limit=500').set(bearer(SUPPORT_TOKEN)).expect(200))
          .body,
      ),
    ];
    for (const text of texts) {
      expect(text).toContain(key.keyId);
      expect(text).not.toContain(key.secret);
      expect(text).not.toContain(hash);
      expect(text).not.toContain('secretHash');
    }
    const entry = (await everything({ type: 'ApiKeyIssued' }))[0];
    expect(entry.sentence).toMatch(
      /^ada@acme\.test issued the API key "ci" with the permissions of full_access \(checks\.read, .*truora\.keys.*\), never expiring$/,
    );
  });

  it('R34 the NDJSON export: one entry a line, the same as the pages, with the filters', async () => {
    const all = await everything();
    const response = await t.http
      .get(`${orgs()}/audit-log/export?format=ndjson`)
      .set(bearer(AUDITOR_TOKEN))
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(response.headers['content-disposition']).toContain('.ndjson');
    const lines = response.text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(all.length);
    expect(lines.map((line) => JSON.parse(line) as Entry)).toEqual(all);
    const filtered = await t.http
      .get(`${orgs()}/audit-log/export`)
      .query({ subject: `group:${groupId}` })
      .set(bearer(org.adminToken))
      .expect(200);
    expect(filtered.text.trim().split('\n')).toHaveLength(3);
  });

  it('R34 the CSV export: a header, one row per entry, RFC 4180 quoting', async () => {
    const all = await everything();
    const response = await t.http
      .get(`${orgs()}/audit-log/export?format=csv`)
      .set(bearer(org.adminToken))
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const text = response.text;
    expect(text.split('\r\n')[0]).toBe(
      'position,time,event_id,type,actor_type,actor_id,actor_email,actor_name,subjects,sentence,cause_event_id,cause_type,correlation_id',
    );
    const rows = parseCsv(text);
    expect(rows).toHaveLength(all.length + 1);
    expect(text.split('\r\n')).toHaveLength(all.length + 2);
    expect(rows.slice(1).map((row) => row[9])).toEqual(all.map((e) => e.sentence));
    expect(text).toContain('"ada@acme.test created the group ""Risk, Fraud & ""Ops"""""');
    const removal = all.find((e) => e.type === 'MemberRemoved')!;
    const effect = rows.find((row) => row[10] === removal.eventId)!;
    expect(effect[11]).toBe('MemberRemoved');
  });

  it("R34 support's log across organizations: support and auditors only, the same filters plus organization", async () => {
    const other = await createOrganization(t, { email: 'zed@beta.test' });
    const support = (query: Record<string, string>, token = SUPPORT_TOKEN) =>
      t.http.get('/v1/support/audit-log').query(query).set(bearer(token));
    const created = await support({ type: 'OrganizationCreated', limit: '500' }).expect(200);
    const orgIds = (created.body.items as Entry[]).map((e) => e.organizationId);
    expect(orgIds).toEqual(expect.arrayContaining([org.organizationId, other.organizationId]));
    const positions = (created.body.items as Entry[]).map((e) => BigInt(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const zed = (created.body.items as Entry[]).find(
      (e) => e.organizationId === other.organizationId,
    )!;
    expect(zed.sentence).toContain('with zed@beta.test as its first member');
    const one = await support(
      { organization: org.organizationId, limit: '500' },
      AUDITOR_TOKEN,
    ).expect(200);
    expect(one.body.items).toEqual(await everything());
    const paged = await support({ type: 'OrganizationCreated', limit: '1' }).expect(200);
    const next = await support({
      type: 'OrganizationCreated',
      limit: '1',
      cursor: paged.body.nextCursor,
    }).expect(200);
    expect(BigInt(next.body.items[0].position)).toBeGreaterThan(BigInt(paged.body.nextCursor));
    for (const token of [org.adminToken, bob.token]) {
      expect((await support({}, token).expect(403)).body.code).toBe('SUPPORT_ONLY');
    }
    expect((await support({ organization: 'nope' }).expect(400)).body.code).toBe(
      'INVALID_ORGANIZATION',
    );
  });
});
