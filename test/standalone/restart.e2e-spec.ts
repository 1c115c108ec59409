import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { organizationStream } from '#libs/domain';
import { START } from '#libs/event-store';
import {
  historySnapshotStream,
  ORGANIZATION_HISTORY_FOLD_VERSION,
  SNAPSHOTS_FILE,
  SqliteSnapshotStore,
} from '#libs/snapshots';
import {
  addActiveMember,
  bearer,
  createOrganization,
  organizationEvents,
  startTestApp,
  SUPPORT_TOKEN,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

/**
 * On the embedded default the read models persist beside the events and a restart
 * resumes them from their checkpoints, and the projector's folds from their snapshots
 * (ADR 20) — nothing before them is folded again — with every answer as before.
 */
describe('restart of the embedded default', () => {
  let dataDir: string;
  let t: TestApp | undefined;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'restart-'))));
  afterEach(async () => {
    await t?.close();
    t = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** What a dashboard and a service would ask: members, a project's members, checks, the CSV. */
  async function answers(app: TestApp, org: CreatedOrganization, ids: Ids) {
    const get = async (path: string, query: Record<string, string> = {}) => {
      const response = await app.http
        .get(`/v1/orgs/${org.organizationId}${path}`)
        .query(query)
        .set(bearer(SUPPORT_TOKEN));
      expect(response.status).toBe(200);
      return response.type.includes('json') ? response.body : response.text;
    };
    return {
      members: await get('/members'),
      projectMembers: await get(`/projects/${ids.projectId}/members`),
      csv: await get('/exports/user-projects.csv'),
      checks: await Promise.all(
        ids.userIds.map((userId) =>
          get('/check', {
            subject: `user:${userId}`,
            resource: `project:${ids.projectId}`,
            action: 'edit',
          }),
        ),
      ),
    };
  }

  interface Ids {
    projectId: string;
    userIds: string[];
  }

  async function history(app: TestApp): Promise<{ org: CreatedOrganization; ids: Ids }> {
    const org = await createOrganization(app);
    const post = async (path: string, body: object) => {
      const response = await app.http
        .post(`/v1/orgs/${org.organizationId}${path}`)
        .set(bearer(org.adminToken))
        .send(body);
      if (response.status >= 300) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
      return response.body;
    };
    const ada = await addActiveMember(app, org);
    const bob = await addActiveMember(app, org);
    const { groupId } = await post('/groups', { name: 'Risk' });
    await post(`/groups/${groupId}/members`, { userIds: [bob.userId] });
    const { projectId } = await post('/projects', {
      workspaceId: org.defaultWorkspaceId,
      name: 'Fraud',
    });
    await post(`/projects/${projectId}/members`, {
      principal: { type: 'group', id: groupId },
      role: 'user',
    });
    await post(`/projects/${projectId}/members`, {
      principal: { type: 'user', id: ada.userId },
      role: 'viewer',
    });
    return { org, ids: { projectId, userIds: [org.firstUserId, ada.userId, bob.userId] } };
  }

  it('R31 resumes read models and folds where they stopped: nothing refolded, every answer the same', async () => {
    t = await startTestApp(dataDir);
    const { org, ids } = await history(t);
    const before = await answers(t, org, ids);
    const head = await t.store.headPosition();
    const events = await organizationEvents(t, org.organizationId);
    await t.close();
    // The projector left a snapshot of the organization at its last event when it stopped.
    const snapshots = new SqliteSnapshotStore(join(dataDir, SNAPSHOTS_FILE));
    const snapshot = await snapshots.latest(
      historySnapshotStream(organizationStream(org.organizationId)),
      { foldVersion: ORGANIZATION_HISTORY_FOLD_VERSION },
    );
    await snapshots.close();
    expect(snapshot?.revision).toBe(events.at(-1)!.revision);

    t = await startTestApp(dataDir);
    await t.projector.waitFor(head, 5_000);
    expect(t.projector.resumedAt()).toBe(head);
    expect(await answers(t, org, ids)).toEqual(before);

    // And it goes on from there: a command after the restart is projected on the resumed fold.
    const carol = await addActiveMember(t, org);
    const members = await t.http
      .get(`/v1/orgs/${org.organizationId}/members`)
      .set(bearer(SUPPORT_TOKEN))
      .expect(200);
    expect(members.body.items.map((m: { userId: string }) => m.userId)).toContain(carol.userId);
  });

  it('with snapshots off the fold starts from the first event, and the answers are the same', async () => {
    t = await startTestApp(dataDir);
    const { org, ids } = await history(t);
    const before = await answers(t, org, ids);
    const head = await t.store.headPosition();
    await t.close();

    t = await startTestApp(dataDir, { env: { SNAPSHOTS: 'off' } });
    await t.projector.waitFor(head, 5_000);
    expect(t.projector.resumedAt()).toBe(START);
    expect(await answers(t, org, ids)).toEqual(before);
  });
});
