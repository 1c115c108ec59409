import type { Projector } from '../../apps/projector/src/projector.js';
import { READ_YOUR_WRITES_TIMEOUT_MS } from '../../apps/query-service/src/min-position.interceptor.js';
import {
  bearer,
  createOrganization,
  startTestApp,
  SUPPORT_TOKEN,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

describe('query service', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  beforeAll(async () => {
    // No read-your-writes barrier here: these tests say when they need it, with minPosition.
    t = await startTestApp(undefined, { readYourWrites: false });
    org = await createOrganization(t);
  });
  afterAll(() => t.close());

  const orgPath = (suffix: string) => `/v1/orgs/${org.organizationId}${suffix}`;

  it('R35 a command followed at once by a read with minPosition always sees its effect', async () => {
    for (let i = 0; i < 30; i++) {
      const invited = await t.http
        .post(orgPath('/invitations'))
        .set(bearer(org.adminToken))
        .send({ email: `reader-${i}@acme.test` })
        .expect(201);
      const read = await t.http
        .get(orgPath(`/members/${invited.body.userId}?minPosition=${invited.body.position}`))
        .set(bearer(org.adminToken));
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ email: `reader-${i}@acme.test`, status: 'invited' });
    }
  });

  it("R35 a minPosition beyond the store's head answers 400 at once, without waiting", async () => {
    const waits = recordWaits(t.projector);
    const head = BigInt(await t.store.headPosition());
    try {
      for (const position of [String(head + 1n), '9'.repeat(30)]) {
        const response = await t.http
          .get(orgPath(`/members?minPosition=${position}`))
          .set(bearer(org.adminToken));
        expect([response.status, response.body.code]).toEqual([400, 'MIN_POSITION_AHEAD_OF_STORE']);
        expect(response.body.message).toMatch(/position. a command returned/);
      }
      // Never handed to the bounded wait: nothing could ever reach those positions.
      expect(waits.calls).toEqual([]);
      await t.http
        .get(orgPath(`/members?minPosition=${head}`))
        .set(bearer(org.adminToken))
        .expect(200);
    } finally {
      waits.restore();
    }
  });

  it('R38 a malformed minPosition, limit or cursor is a 400', async () => {
    for (const query of ['minPosition=abc', 'limit=0', 'limit=9999', 'cursor=%24%24']) {
      const response = await t.http.get(orgPath(`/members?${query}`)).set(bearer(org.adminToken));
      expect(response.status).toBe(400);
    }
  });

  it('lists are paged with an opaque cursor: every item once, in order', async () => {
    let position = '0';
    for (let i = 0; i < 7; i++) {
      const created = await t.http
        .post(orgPath('/groups'))
        .set(bearer(org.adminToken))
        .send({ name: `Team ${i}` });
      position = created.body.position;
    }
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await t.http
        .get(orgPath(`/groups?limit=3&minPosition=${position}${cursor ? `&cursor=${cursor}` : ''}`))
        .set(bearer(org.adminToken))
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      names.push(...page.body.items.map((g) => g.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(names.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `Team ${i}`));
  });

  it('R15 R16 an API key authenticates as its effective permissions until revoked', async () => {
    const issued = await t.http
      .post(orgPath('/api-keys'))
      .set(bearer(org.adminToken))
      .send({ name: 'ci' })
      .expect(201);
    await t.http
      .get(orgPath(`/api-keys?minPosition=${issued.body.position}`))
      .set(bearer(org.adminToken))
      .expect(200);
    // The key reads with its snapshot's permissions (truora.keys among them)...
    const listed = await t.http
      .get(orgPath('/api-keys'))
      .set(bearer(issued.body.secret))
      .expect(200);
    expect(listed.body.items.map((k: { keyId: string }) => k.keyId)).toContain(issued.body.keyId);
    expect(JSON.stringify(listed.body)).not.toMatch(/secretHash|alk_/);
    // ...and commands with them (R13: a key acts; only members issue keys).
    await t.http
      .post(orgPath('/invitations'))
      .set(bearer(issued.body.secret))
      .send({ email: 'by-key@acme.test' })
      .expect(201);
    const revoked = await t.http
      .post(orgPath(`/api-keys/${issued.body.keyId}/revoke`))
      .set(bearer(org.adminToken))
      .expect(200);
    await t.http
      .get(orgPath(`/api-keys?minPosition=${revoked.body.position}`))
      .set(bearer(org.adminToken))
      .expect(200);
    const refused = await t.http.get(orgPath('/api-keys')).set(bearer(issued.body.secret));
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('INVALID_TOKEN');
  });

  it('R16 support looks up any key; a member without truora.keys may not list them', async () => {
    const issued = await t.http
      .post(orgPath('/api-keys'))
      .set(bearer(org.adminToken))
      .send({ name: 'audit me' })
      .expect(201);
    const asSupport = await t.http
      .get(
        `/v1/support/organizations/${org.organizationId}/api-keys/${issued.body.keyId}?minPosition=${issued.body.position}`,
      )
      .set(bearer(SUPPORT_TOKEN))
      .expect(200);
    expect(asSupport.body).toMatchObject({
      keyId: issued.body.keyId,
      status: 'active',
      snapshot: { roleId: 'full_access' },
    });
    const invited = await t.http
      .post(orgPath('/invitations'))
      .set(bearer(org.adminToken))
      .send({ email: 'plain@acme.test' })
      .expect(201);
    const plain = await t.tokenFor('plain@acme.test');
    await t.http.post(orgPath('/sign-ins')).set(bearer(plain)).expect(200);
    const refused = await t.http
      .get(orgPath(`/api-keys?minPosition=${invited.body.position}`))
      .set(bearer(plain));
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('MISSING_PERMISSION');
  });
});

describe('ops endpoints', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('S1 health and metrics are served without a token; readiness includes the read models; metrics include command latency', async () => {
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    await createOrganization(t);
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^access_ledger_projection_lag_positions 0$/m);
    expect(metrics.text).toMatch(/^access_ledger_projector_up 1$/m);
    // Command and append latency, as histograms (ADR 26).
    expect(metrics.text).toMatch(
      /^access_ledger_command_duration_seconds_count\{outcome="appended"\} 1$/m,
    );
    expect(metrics.text).toMatch(
      /^access_ledger_append_duration_seconds_count\{outcome="ok"\} 1$/m,
    );
    // Kafka is off on the embedded default: no publish series.
    expect(metrics.text).not.toMatch(/access_ledger_publish_lag_positions \d/);
  });
});

describe('project lists for operators', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('R22 support pages through every live project of a workspace once each', async () => {
    const org = await createOrganization(t);
    const path = `/v1/orgs/${org.organizationId}`;
    const member = await t.http
      .post(`${path}/invitations`)
      .set(bearer(org.adminToken))
      .send({ email: 'm@acme.test' });
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const project = await t.http
        .post(`${path}/projects`)
        .set(bearer(org.adminToken))
        .send({ workspaceId: org.defaultWorkspaceId, name: `P${i}` })
        .expect(201);
      // Two rows of project_access per project (owner and the invitee as member).
      await t.http
        .post(`${path}/projects/${project.body.projectId}/members`)
        .set(bearer(org.adminToken))
        .send({ principal: { type: 'user', id: member.body.userId } })
        .expect(200);
      created.push(project.body.projectId);
    }
    await t.http.delete(`${path}/projects/${created[4]}`).set(bearer(org.adminToken)).expect(200);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { projectId: string }[]; nextCursor: string | null } } =
        await t.http
          .get(
            `${path}/workspaces/${org.defaultWorkspaceId}/projects?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          )
          .set(bearer(SUPPORT_TOKEN))
          .expect(200);
      seen.push(...page.body.items.map((p) => p.projectId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(created.slice(0, 4).sort());
  });
});

describe('query service with the read models behind the store', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(undefined, { readYourWrites: false });
  });
  afterAll(() => t.close());

  it('R35 a position the store has but the read models have not reached waits the bounded time, then answers 503 with Retry-After', async () => {
    const org = await createOrganization(t);
    // The read models stay where they are from here on; the store goes on.
    await t.projector.stop();
    const invited = await t.http
      .post(`/v1/orgs/${org.organizationId}/invitations`)
      .set(bearer(org.adminToken))
      .send({ email: 'unseen@acme.test' })
      .expect(201);
    const waits = recordWaits(t.projector);
    try {
      const response = await t.http
        .get(`/v1/orgs/${org.organizationId}/members?minPosition=${invited.body.position}`)
        .set(bearer(org.adminToken));
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('READ_MODEL_BEHIND');
      expect(response.headers['retry-after']).toBe('1');
      expect(waits.calls).toEqual([[invited.body.position, READ_YOUR_WRITES_TIMEOUT_MS]]);
    } finally {
      waits.restore();
    }
  });
});

/** Records the waits the query side asks of the projector (R35), passing them through. */
function recordWaits(projector: Projector): { calls: [string, number][]; restore(): void } {
  const original = projector.waitFor.bind(projector);
  const calls: [string, number][] = [];
  projector.waitFor = (position, timeoutMs) => {
    calls.push([position, timeoutMs]);
    return original(position, timeoutMs);
  };
  return {
    calls,
    restore: () => {
      projector.waitFor = original;
    },
  };
}
