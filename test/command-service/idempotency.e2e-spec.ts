import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bearer,
  createOrganization,
  startTestApp,
  SUPPORT_TOKEN,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

describe('Idempotency-Key', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  beforeEach(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
  });
  afterEach(() => t.close());

  const invite = (key: string, email: string, token = org.adminToken) =>
    t.http
      .post(`/v1/orgs/${org.organizationId}/invitations`)
      .set({ ...bearer(token), 'Idempotency-Key': key })
      .send({ email });

  it('R37 a command sent again with the same key returns the first result and appends nothing', async () => {
    const first = await invite('key-1', 'erin@acme.test').expect(201);
    const head = await t.store.headPosition();
    const again = await invite('key-1', 'erin@acme.test').expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await t.store.headPosition()).toBe(head);
  });

  it('R37 concurrent sends with the same key run the command once', async () => {
    const responses = await Promise.all([1, 2, 3, 4].map(() => invite('key-2', 'frank@acme.test')));
    expect(new Set(responses.map((r) => r.body.userId)).size).toBe(1);
    expect(responses.every((r) => r.status === 201)).toBe(true);
    expect((await t.allEvents()).filter((e) => e.type === 'MemberInvited')).toHaveLength(1);
  });

  it('R37 a refusal is replayed as the same refusal', async () => {
    const refused = await invite('key-3', 'not-an-email').expect(400);
    const again = await invite('key-3', 'not-an-email').expect(400);
    expect(again.body).toEqual(refused.body);
  });

  it('R37 the same key with another request is refused with 422', async () => {
    await invite('key-4', 'gina@acme.test').expect(201);
    const head = await t.store.headPosition();
    const reused = await invite('key-4', 'henry@acme.test').expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await t.store.headPosition()).toBe(head);
  });

  it('R37 keys are scoped to the caller: another member’s identical key runs its own command', async () => {
    await invite('shared-key', 'ivy@acme.test').expect(201);
    await t.http
      .put(`/v1/orgs/${org.organizationId}/members/${org.firstUserId}/role`)
      .set(bearer(org.adminToken))
      .send({ roleId: 'full_access' });
    const other = await createOrganization(t);
    const theirs = await t.http
      .post(`/v1/orgs/${other.organizationId}/invitations`)
      .set({ ...bearer(other.adminToken), 'Idempotency-Key': 'shared-key' })
      .send({ email: 'ivy@acme.test' })
      .expect(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('R14 a replayed key issuance does not reveal the secret again', async () => {
    const send = () =>
      t.http
        .post(`/v1/orgs/${org.organizationId}/api-keys`)
        .set({ ...bearer(org.adminToken), 'Idempotency-Key': 'key-5' })
        .send({ name: 'ci' });
    const first = await send().expect(201);
    const again = await send().expect(201);
    expect(first.body.secret).toMatch(/^alk_/);
    expect(again.body).toMatchObject({
      keyId: first.body.keyId,
      secret: null,
      secretShownOnce: true,
    });
  });

  it('R38 a malformed Idempotency-Key is a 400', async () => {
    const response = await invite('x'.repeat(300), 'jack@acme.test').expect(400);
    expect(response.body.code).toBe('INVALID_IDEMPOTENCY_KEY');
  });
});

describe('Idempotency-Key across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let org: CreatedOrganization;
  beforeEach(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'al-two-instances-'));
    a = await startTestApp(dataDir);
    b = await startTestApp(dataDir);
    org = await createOrganization(a);
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });

  const createProject = (t: TestApp, key: string) =>
    t.http
      .post(`/v1/orgs/${org.organizationId}/projects`)
      .set({ ...bearer(org.adminToken), 'Idempotency-Key': key })
      .send({ workspaceId: org.defaultWorkspaceId, name: 'Fraud' });

  const projectsCreated = async () =>
    (await a.allEvents()).filter((event) => event.type === 'ProjectCreated');

  it('R37 a retry that reaches another instance returns the first result and appends nothing', async () => {
    const first = await createProject(a, 'key-a').expect(201);
    const head = await a.store.headPosition();
    const retry = await createProject(b, 'key-a').expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await b.store.headPosition()).toBe(head);
    expect(await projectsCreated()).toHaveLength(1);
  });

  it('R37 the same key sent to two instances at once runs the command once', async () => {
    const answers = await Promise.all([
      createProject(a, 'key-b'),
      createProject(b, 'key-b'),
      createProject(a, 'key-b'),
      createProject(b, 'key-b'),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.projectId)).size).toBe(1);
    expect(await projectsCreated()).toHaveLength(1);
  });

  it('R37 an organization created with a key is created once, whichever instance the retry reaches', async () => {
    const send = (t: TestApp) =>
      t.http
        .post('/v1/support/organizations')
        .set({ ...bearer(SUPPORT_TOKEN), 'Idempotency-Key': 'org-key' })
        .send({ name: 'Globex', firstUser: { email: 'hank@globex.test' } });
    const first = await send(a).expect(201);
    const retry = await send(b).expect(201);
    expect(retry.body).toEqual(first.body);
    const created = (await a.allEvents()).filter((event) => event.type === 'OrganizationCreated');
    expect(created.map((event) => event.data.organizationId)).toEqual([
      org.organizationId,
      first.body.organizationId,
    ]);
    const reused = await b.http
      .post('/v1/support/organizations')
      .set({ ...bearer(SUPPORT_TOKEN), 'Idempotency-Key': 'org-key' })
      .send({ name: 'Initech', firstUser: { email: 'hank@globex.test' } })
      .expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
