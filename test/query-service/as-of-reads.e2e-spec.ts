import { setTimeout as sleep } from 'node:timers/promises';
import { organizationDecider, type OrganizationEvent, type OrganizationState } from '#libs/domain';
import { comparePositions } from '#libs/event-store';
import { Collections, documentsOf, projectAccessRows, type Document } from '#libs/read-models';
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

/**
 * R33 on the existing reads: a history where members, roles, groups, workspaces, projects,
 * dashboards and keys are added, changed and removed after a point; every read as of that
 * point (by position and by instant) answers what the live read answered then, says which
 * position and time it reflects, and equals documentsOf over a fresh fold up to it.
 */
describe('R33 asOf on the reads', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  let bob: ActiveMember;
  let carol: ActiveMember;
  let groupId: string;
  let workspaceId: string;
  let projectId: string;
  let oldKeyId: string;
  let daveId: string;
  let newKey: { keyId: string; secret: string };
  /** The point asked about: the last event before anything below changed. */
  let point: { position: string; time: string };
  /** What each read answered live at the point, to the auditor. */
  const then = new Map<string, unknown>();
  let csvThen: string;

  const orgs = () => `/v1/orgs/${org.organizationId}`;
  const send = async (
    method: 'post' | 'put',
    path: string,
    body: object,
    token = org.adminToken,
  ) => {
    const response = await t.http[method](`${orgs()}${path}`).set(bearer(token)).send(body);
    if (response.status >= 300) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const read = (path: string, query: Record<string, string> = {}, token = AUDITOR_TOKEN) =>
    t.http.get(`${orgs()}${path}`).query(query).set(bearer(token));

  const reads = () => [
    '/permissions',
    '/roles',
    '/members',
    `/members/${carol.userId}`,
    '/groups',
    '/workspaces',
    `/workspaces/${workspaceId}/members`,
    `/workspaces/${workspaceId}/usage`,
    `/workspaces/${workspaceId}/projects`,
    `/workspaces/${workspaceId}/dashboards`,
    `/projects/${projectId}/members`,
    '/api-keys',
    `/api-keys/${oldKeyId}`,
  ];

  beforeAll(async () => {
    t = await startTestApp();
    // Another organization first, so that this one's first event is not position 1.
    await createOrganization(t);
    org = await createOrganization(t);
    bob = await addActiveMember(t, org);
    carol = await addActiveMember(t, org);
    groupId = (await send('post', '/groups', { name: 'Risk' })).groupId;
    await send('post', `/groups/${groupId}/members`, { userIds: [bob.userId] });
    workspaceId = (
      await send('post', '/workspaces', {
        name: 'Fraud',
        principals: [{ principal: { type: 'user', id: bob.userId }, role: 'member' }],
      })
    ).workspaceId;
    projectId = (await send('post', '/projects', { workspaceId, name: 'Scoring' })).projectId;
    await send('post', `/projects/${projectId}/members`, {
      principal: { type: 'group', id: groupId },
      role: 'user',
    });
    await send('post', '/dashboards', { workspaceId, name: 'Overview', projectIds: [projectId] });
    oldKeyId = (await send('post', '/api-keys', { name: 'ci' })).keyId;

    const events = await organizationEvents(t, org.organizationId);
    const last = events[events.length - 1];
    point = { position: last.position, time: last.recordedAt };
    for (const path of reads()) then.set(path, (await read(path).expect(200)).body);
    csvThen = (await read('/exports/user-projects.csv').expect(200)).text;
    // Every later event is recorded strictly after the point's instant.
    await sleep(15);

    // After the point: a new invitee, a role change, new grants, a revocation, new things.
    daveId = (await send('post', '/invitations', { email: 'dave@acme.test' })).userId;
    await send('put', `/members/${carol.userId}/role`, { roleId: 'full_access' });
    await send('post', `/groups/${groupId}/members`, { userIds: [carol.userId] });
    await send('post', `/workspaces/${workspaceId}/principals`, {
      principal: { type: 'user', id: carol.userId },
      role: 'editor',
    });
    await send('post', '/workspaces', { name: 'Later' });
    await send('post', `/projects/${projectId}/members`, {
      principal: { type: 'user', id: carol.userId },
      role: 'user',
    });
    await send('post', '/projects', { workspaceId, name: 'Later' });
    await send('post', '/dashboards', { workspaceId, name: 'Later', projectIds: [projectId] });
    await send('post', `/api-keys/${oldKeyId}/revoke`, {});
    newKey = await send('post', '/api-keys', { name: 'later' });
  });
  afterAll(() => t.close());

  /** The organization folded afresh, with the domain's evolve, up to `position`. */
  async function foldedTo(position: string): Promise<OrganizationState> {
    let state = organizationDecider.initialState();
    for (const event of await organizationEvents(t, org.organizationId)) {
      if (comparePositions(event.position, position) > 0) break;
      state = organizationDecider.evolve(state, event as unknown as OrganizationEvent);
    }
    return state;
  }

  /** documentsOf's documents of a collection as a read lists them: in `_id` order, no `_id`. */
  const listed = (documents: Document[]) =>
    [...documents]
      .sort((a, b) => (a._id < b._id ? -1 : 1))
      .map(({ _id, ...rest }) => {
        void _id;
        return rest;
      });

  it('R33 every read as of a past position or instant answers what it answered then, and says which point', async () => {
    for (const asOf of [point.position, point.time]) {
      for (const path of reads()) {
        const past = await read(path, { asOf }).expect(200);
        const { asOf: reflects, ...body } = past.body;
        expect({ path, reflects }).toEqual({ path, reflects: point });
        expect({ path, body }).toEqual({ path, body: then.get(path) });
      }
    }
  });

  it('R33 the past differs from now: a later invitee absent, a later role change not applied, a revoked-later key still active', async () => {
    const asOf = point.position;
    expect((await read(`/members/${daveId}`).expect(200)).body.status).toBe('invited');
    const missing = await read(`/members/${daveId}`, { asOf }).expect(404);
    expect(missing.body.code).toBe('MEMBER_NOT_FOUND');
    const members = (await read('/members', { asOf }).expect(200)).body.items;
    expect(members.map((m: { userId: string }) => m.userId)).not.toContain(daveId);

    expect((await read(`/members/${carol.userId}`).expect(200)).body.roleId).toBe('full_access');
    expect((await read(`/members/${carol.userId}`, { asOf }).expect(200)).body.roleId).toBe(
      'default_access',
    );

    const projectMembers = (await read(`/projects/${projectId}/members`, { asOf }).expect(200)).body
      .items;
    expect(projectMembers.map((m: { userId: string }) => m.userId)).not.toContain(carol.userId);
    const live = (await read(`/projects/${projectId}/members`).expect(200)).body.items;
    expect(live.map((m: { userId: string }) => m.userId)).toContain(carol.userId);

    const keys = (await read('/api-keys', { asOf }).expect(200)).body.items;
    expect(keys.map((k: { keyId: string; status: string }) => [k.keyId, k.status])).toEqual([
      [oldKeyId, 'active'],
    ]);
    expect((await read(`/api-keys/${oldKeyId}`).expect(200)).body.status).toBe('revoked');
    expect((await read(`/api-keys/${newKey.keyId}`, { asOf }).expect(404)).body.code).toBe(
      'API_KEY_NOT_FOUND',
    );
    const names = (body: { items: { name: string }[] }) => body.items.map((w) => w.name).sort();
    expect(names((await read('/workspaces', { asOf }).expect(200)).body)).not.toContain('Later');
    expect(names((await read('/workspaces').expect(200)).body)).toContain('Later');
  });

  it('R33 a read as of a point equals documentsOf over a fresh fold of the events up to it', async () => {
    const state = await foldedTo(point.position);
    const documents = documentsOf(state);
    const asOf = point.position;
    const items = async (path: string) => (await read(path, { asOf }).expect(200)).body.items;
    expect(await items('/members')).toEqual(listed(documents[Collections.members]));
    expect(await items('/groups')).toEqual(listed(documents[Collections.groups]));
    expect(await items('/roles')).toEqual(listed(documents[Collections.roles]));
    expect(await items(`/workspaces/${workspaceId}/members`)).toEqual(
      listed(documents[Collections.workspaceMembers].filter((d) => d.workspaceId === workspaceId)),
    );
    // The stored rows and the org admins' and workspace editors' the engine implies (ADR 22).
    const rows = projectAccessRows(state) as unknown as Document[];
    expect(await items(`/projects/${projectId}/members`)).toEqual(
      listed(rows.filter((d) => d.projectId === projectId)),
    );
    expect(await items('/api-keys')).toEqual(listed(documents[Collections.apiKeyAudits]));
    const [workspace] = documents[Collections.workspaces].filter(
      (d) => d.workspaceId === workspaceId,
    );
    const usage = await read(`/workspaces/${workspaceId}/usage`, { asOf }).expect(200);
    expect(usage.body).toEqual({
      workspaceId,
      name: 'Fraud',
      ...(workspace.usage as object),
      asOf: point,
    });
  });

  it('R33 the user-project CSV as of a past point, with the point in its headers', async () => {
    const past = await read('/exports/user-projects.csv', { asOf: point.time }).expect(200);
    expect(past.text).toBe(csvThen);
    expect(past.headers['x-as-of-position']).toBe(point.position);
    expect(past.headers['x-as-of-time']).toBe(point.time);
    const now = await read('/exports/user-projects.csv').expect(200);
    expect(now.text).not.toBe(csvThen);
    expect(now.headers['x-as-of-position']).toBeUndefined();
  });

  it('R33 support, auditors and org admins read the past; a default member 403 AS_OF_NOT_ALLOWED; an outsider 404', async () => {
    const asOf = point.position;
    for (const token of [SUPPORT_TOKEN, AUDITOR_TOKEN, org.adminToken]) {
      const members = await read('/members', { asOf }, token).expect(200);
      expect(members.body).toEqual({ ...(then.get('/members') as object), asOf: point });
    }
    for (const path of ['/members', `/workspaces/${workspaceId}/members`, '/permissions']) {
      const refused = await read(path, { asOf }, bob.token).expect(403);
      expect(refused.body.code).toBe('AS_OF_NOT_ALLOWED');
    }
    // Without asOf the same member reads as ever, and no answer names a point.
    const live = await read('/members', {}, bob.token).expect(200);
    expect(live.body.asOf).toBeUndefined();
    const outsider = await createOrganization(t);
    const hidden = await read('/members', { asOf }, outsider.adminToken).expect(404);
    expect(hidden.body.code).toBe('ORGANIZATION_NOT_FOUND');
  });

  it('R33 a key holding the admin namespace now reads the past too, still as a key', async () => {
    const asOf = point.position;
    // Issued after the point: the right to read history is judged now (R33), not then.
    const keys = await read('/api-keys', { asOf }, newKey.secret).expect(200);
    expect(keys.body).toEqual({ ...(then.get('/api-keys') as object), asOf: point });
    // Keys hold no workspace roles, now or then.
    const workspaces = await read('/workspaces', { asOf }, newKey.secret).expect(403);
    expect(workspaces.body.code).toBe('API_KEY_NOT_ALLOWED');
  });

  it('R33 before the organization existed 404, in the future 400, malformed 400; minPosition beside asOf is ignored', async () => {
    const [first] = await organizationEvents(t, org.organizationId);
    for (const asOf of [String(BigInt(first.position) - 1n), '2000-01-01T00:00:00Z']) {
      const early = await read('/members', { asOf }).expect(404);
      expect(early.body.code).toBe('ORGANIZATION_NOT_FOUND');
    }
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    for (const asOf of [tomorrow, '99999999999']) {
      expect((await read('/api-keys', { asOf }).expect(400)).body.code).toBe('AS_OF_IN_THE_FUTURE');
    }
    for (const asOf of ['yesterday', '2026-13-45', '-1']) {
      expect((await read('/workspaces', { asOf }).expect(400)).body.code).toBe('INVALID_AS_OF');
    }
    const head = await t.store.headPosition();
    const both = await read('/members', { asOf: point.position, minPosition: head }).expect(200);
    expect(both.body).toEqual({ ...(then.get('/members') as object), asOf: point });
  });
});
