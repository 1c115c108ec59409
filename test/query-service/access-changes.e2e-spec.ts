import type { RecordedEvent } from '#libs/event-store';
import {
  addActiveMember,
  AUDITOR_TOKEN,
  bearer,
  createOrganization,
  organizationEvents,
  startTestApp,
  SUPPORT_TOKEN,
  type ActiveMember,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

interface Change {
  subject: string;
  email?: string;
  name?: string;
  kind: string;
  item: string;
  itemName?: string;
  change: string;
  before: unknown;
  after: unknown;
  cause: { eventId: string; type: string; position: string; time: string; actor: unknown };
}

describe('access changes over HTTP (R39)', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  let bob: ActiveMember;
  let carol: ActiveMember;
  let carolToken: string;
  let oldKey: { keyId: string; secret: string };
  let carolKey: { keyId: string; secret: string };
  let projectId: string;
  let groupId: string;
  let from: string;
  let to: string;
  let events: RecordedEvent[];

  const orgs = () => `/v1/orgs/${org.organizationId}`;
  const send = async (
    method: 'post' | 'put' | 'delete',
    path: string,
    body: object = {},
    token = org.adminToken,
  ) => {
    const response = await t.http[method](`${orgs()}${path}`).set(bearer(token)).send(body);
    if (response.status >= 300) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const changes = (query: Record<string, string>, token = AUDITOR_TOKEN) =>
    t.http.get(`${orgs()}/access-changes`).query(query).set(bearer(token));
  const last = (type: string) => [...events].reverse().find((e) => e.type === type)!;

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
    bob = await addActiveMember(t, org);
    oldKey = await send('post', '/api-keys', { name: 'old-ci' });
    from = await t.store.headPosition();

    // The quarter under review.
    const analyst = await send('post', '/roles', {
      name: 'Analyst',
      permissions: ['checks.read', 'truora.keys'],
    });
    const carolEmail = `carol-${Math.random().toString(36).slice(2)}@acme.test`;
    carol = await addActiveMember(t, org, { email: carolEmail });
    carolToken = carol.token;
    await send('put', `/members/${carol.userId}/role`, { roleId: analyst.roleId });
    groupId = (await send('post', '/groups', { name: 'Risk' })).groupId;
    projectId = (
      await send('post', '/projects', { workspaceId: org.defaultWorkspaceId, name: 'Fraud' })
    ).projectId;
    await send('post', `/projects/${projectId}/members`, {
      principal: { type: 'group', id: groupId },
      role: 'user',
    });
    await send('post', `/groups/${groupId}/members`, { userIds: [carol.userId] });
    await send(
      'put',
      `/workspaces/${org.defaultWorkspaceId}/principals/user/${carol.userId}/role`,
      { role: 'editor' },
    );
    // A name a spreadsheet would take for a formula: the CSV must defuse it.
    carolKey = await send('post', '/api-keys', { name: '=HYPERLINK("x")' }, carolToken);
    await send('post', `/api-keys/${oldKey.keyId}/revoke`);
    await send('delete', `/members/${bob.userId}`);
    to = await t.store.headPosition();
    events = await organizationEvents(t, org.organizationId);
  });
  afterAll(() => t.close());

  it('R39 every permission and role gained, lost or changed in the window, each with the event that caused it', async () => {
    const response = await changes({ from, to }).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.from.position).toBe(from);
    expect(response.body.to).toEqual({ position: to, time: last('MemberRemoved').recordedAt });
    const list: Change[] = response.body.changes;
    const line = (subject: string, item: string) => {
      const found = list.filter((c) => c.subject === subject && c.item === item);
      expect(found).toHaveLength(1);
      return found[0];
    };
    const user = (m: ActiveMember) => `user:${m.userId}`;

    // Carol: invited, activated with default_access, then moved to Analyst.
    expect(line(user(carol), 'checks.read')).toMatchObject({
      email: carol.email,
      kind: 'permission',
      change: 'gained',
      before: false,
      after: true,
      cause: { type: 'MemberActivated' },
    });
    expect(line(user(carol), 'truora.keys').cause.type).toBe('MemberRoleChanged');
    // checks.write came with the activation and left with the role change: no net change.
    expect(list.some((c) => c.subject === user(carol) && c.item === 'checks.write')).toBe(false);
    expect(line(user(carol), `project:${projectId}`)).toMatchObject({
      kind: 'project_role',
      itemName: 'Fraud',
      change: 'gained',
      before: null,
      after: 'user',
      cause: { type: 'GroupMembersAdded' },
    });
    // Invited as `user` of Default (R9), active from the sign-in, editor at the end.
    expect(line(user(carol), `workspace:${org.defaultWorkspaceId}`)).toMatchObject({
      kind: 'workspace_role',
      itemName: 'Default',
      change: 'gained',
      before: null,
      after: 'editor',
      cause: { type: 'WorkspacePrincipalRoleChanged' },
    });

    // Bob held default_access and Default's `user` role; removed, he holds nothing.
    expect(line(user(bob), 'checks.write')).toMatchObject({
      email: bob.email,
      change: 'lost',
      before: true,
      after: false,
      cause: { type: 'MemberRemoved' },
    });
    expect(line(user(bob), `workspace:${org.defaultWorkspaceId}`)).toMatchObject({
      change: 'lost',
      before: 'user',
      after: null,
    });

    // The admin owns the new project.
    expect(line(`user:${org.firstUserId}`, `project:${projectId}`)).toMatchObject({
      change: 'gained',
      after: 'owner',
      cause: { type: 'ProjectCreated' },
    });

    // Keys: the old one revoked, Carol's issued with her Analyst permissions.
    expect(line(`apiKey:${oldKey.keyId}`, 'checks.read')).toMatchObject({
      name: 'old-ci',
      change: 'lost',
      cause: { type: 'ApiKeyRevoked' },
    });
    expect(
      list.filter((c) => c.subject === `apiKey:${carolKey.keyId}`).map((c) => [c.item, c.change]),
    ).toEqual([
      ['checks.read', 'gained'],
      ['truora.keys', 'gained'],
    ]);

    // Every cause is a stored event of the window, named as the store has it.
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const change of list) {
      const stored = byId.get(change.cause.eventId)!;
      expect(change.cause).toEqual({
        eventId: stored.id,
        type: stored.type,
        position: stored.position,
        time: stored.recordedAt,
        actor: stored.metadata.actor,
      });
      expect(BigInt(stored.position) > BigInt(from) && BigInt(stored.position) <= BigInt(to)).toBe(
        true,
      );
    }
    // Sorted by subject, kind and item; no secret anywhere (S2).
    const keys = list.map((c) => `${c.subject} ${c.kind} ${c.item}`);
    expect(keys).toEqual([...keys].sort());
    expect(response.text).not.toContain(carolKey.secret);
    expect(response.text).not.toContain(oldKey.secret);
    expect(response.text).not.toMatch(/hash/i);
  });

  it('R39 points are instants or positions; from before the organization lists everything since', async () => {
    const created = events[0];
    const everything = await changes({ from: '2000-01-01T00:00:00Z', to }).expect(200);
    expect(everything.body.from).toEqual({ position: '0', time: '2000-01-01T00:00:00.000Z' });
    const admin = (everything.body.changes as Change[]).find(
      (c) => c.subject === `user:${org.firstUserId}` && c.item === 'truora.users',
    );
    expect(admin?.cause).toMatchObject({ eventId: created.id, type: 'OrganizationCreated' });

    // As of an instant: the same answer as the position of the last event before it.
    const byTime = await changes({ from, to: new Date().toISOString() }).expect(200);
    const byPosition = await changes({ from, to }).expect(200);
    expect(byTime.body.changes).toEqual(byPosition.body.changes);
    expect(byTime.body.to.position).toBe(to);
  });

  it('R39 as CSV: RFC 4180, one line per change, formula-safe cells', async () => {
    const response = await changes({ from, to, format: 'csv' }).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.text.split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe(
      'subject,subject_name,kind,item,item_name,change,before,after,cause_event_id,cause_type,cause_position,cause_time,cause_actor',
    );
    const json = (await changes({ from, to }).expect(200)).body.changes as Change[];
    expect(lines).toHaveLength(json.length + 1);
    const keyLine = lines.find((l) => l.startsWith(`apiKey:${carolKey.keyId},`))!;
    expect(keyLine).toContain(`"'=HYPERLINK(""x"")"`);
    const removed = lines.find(
      (l) => l.startsWith(`user:${bob.userId},`) && l.includes(',checks.write,'),
    )!;
    expect(removed).toContain(',lost,true,false,');
    expect(removed).toContain(',MemberRemoved,');
    expect(response.text).not.toContain(carolKey.secret);
  });

  it('R39 support, auditors and org admins read it; other members and keys 403, strangers 404', async () => {
    for (const token of [SUPPORT_TOKEN, AUDITOR_TOKEN, org.adminToken]) {
      await changes({ from, to }, token).expect(200);
    }
    expect((await changes({ from, to }, carolToken).expect(403)).body.code).toBe(
      'ACCESS_CHANGES_FORBIDDEN',
    );
    expect((await changes({ from, to }, carolKey.secret).expect(403)).body.code).toBe(
      'ACCESS_CHANGES_FORBIDDEN',
    );
    const other = await createOrganization(t);
    expect((await changes({ from, to }, other.adminToken).expect(404)).body.code).toBe(
      'ORGANIZATION_NOT_FOUND',
    );
  });

  it('R39 R38 bad windows: missing, malformed, reversed, in the future, before the organization', async () => {
    const refused = async (query: Record<string, string>, status: number, code: string) => {
      const response = await changes(query).expect(status);
      expect(response.body.code).toBe(code);
      return response.body;
    };
    expect((await refused({ from }, 400, 'INVALID_ACCESS_CHANGES_WINDOW')).details).toEqual({
      fields: ['to'],
    });
    expect((await refused({ from: 'last week', to }, 400, 'INVALID_AS_OF')).details).toEqual({
      fields: ['from'],
    });
    await refused({ from: to, to: from }, 400, 'INVALID_ACCESS_CHANGES_WINDOW');
    await refused({ from: to, to }, 400, 'INVALID_ACCESS_CHANGES_WINDOW');
    await refused({ from, to: '99999999999' }, 400, 'AS_OF_IN_THE_FUTURE');
    await refused(
      { from, to: new Date(Date.now() + 86_400_000).toISOString() },
      400,
      'AS_OF_IN_THE_FUTURE',
    );
    await refused(
      { from: '1999-01-01T00:00:00Z', to: '2000-01-01T00:00:00Z' },
      404,
      'ORGANIZATION_NOT_FOUND',
    );
    await refused({ from, to, format: 'xml' }, 400, 'INVALID_FORMAT');
  });
});
