import { randomUUID } from 'node:crypto';
import { generateApiKeySecret, hashApiKeySecret } from '#libs/auth';
import {
  apiKeyStatus,
  organizationDecider,
  type OrganizationEvent,
  type OrganizationState,
} from '#libs/domain';
import {
  Collections,
  credentialsVerifier,
  documentsOf,
  MemoryDocumentStore,
  PROJECTION_INDEXES,
} from '#libs/read-models';
import { apiKeyView } from '../../apps/query-service/src/reads/api-key-views.js';
import {
  bearer,
  createOrganization,
  SUPPORT_TOKEN,
  startTestApp,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

/** `instant` written at +02:00, as ApiKeyIssued recorded expiresAt before it was normalised. */
const atPlusTwo = (instant: number): string =>
  new Date(instant + 2 * 3_600_000).toISOString().replace('Z', '+02:00');

describe('R15 one judgement of expiry: the domain, the credentials verifier and the key views', () => {
  const secret = generateApiKeySecret();
  const expiry = Date.parse('2026-03-02T00:00:00.000Z');

  /** An organization with one key whose event carries an offset expiresAt. */
  function stateWithOffsetKey(): OrganizationState {
    const events: OrganizationEvent[] = [
      {
        type: 'OrganizationCreated',
        data: {
          organizationId: 'acme',
          name: 'Acme',
          catalog: ['checks.read', 'truora.keys'],
          firstMember: { userId: 'u-ada', email: 'ada@acme.test' },
          defaultWorkspaceId: 'ws',
        },
      },
      {
        type: 'ApiKeyIssued',
        data: {
          keyId: 'k-old',
          name: 'old',
          issuedBy: 'u-ada',
          snapshot: {
            roleId: 'full_access',
            roleName: 'full_access',
            permissions: ['checks.read'],
          },
          secretHash: secret.secretHash,
          secretPrefix: secret.secretPrefix,
          issuedAt: '2026-03-01T00:00:00.000Z',
          expiresAt: atPlusTwo(expiry), // '2026-03-02T02:00:00.000+02:00'
        },
      },
    ];
    return events.reduce(organizationDecider.evolve, organizationDecider.initialState());
  }

  it('R15 a key with an offset expiresAt stops authenticating at the same instant the domain calls it expired', async () => {
    const state = stateWithOffsetKey();
    const documents = documentsOf(state);
    const store = new MemoryDocumentStore(PROJECTION_INDEXES);
    await store.apply(
      documents[Collections.credentials].map((document) => ({
        type: 'put' as const,
        collection: Collections.credentials,
        document,
      })),
      [],
      '1',
    );
    const verify = credentialsVerifier(store);
    const [audit] = documents[Collections.apiKeyAudits];
    const key = state.apiKeys.get('k-old')!;
    const cases: [string, boolean][] = [
      [new Date(expiry - 1).toISOString(), true],
      // The equal instant: expired (a key is live while now < expiresAt).
      [new Date(expiry).toISOString(), false],
      [new Date(expiry + 1).toISOString(), false],
      // An hour later: as text the offset expiresAt still sorts after this.
      [new Date(expiry + 3_600_000).toISOString(), false],
    ];
    for (const [now, live] of cases) {
      const judged = {
        domain: apiKeyStatus(key, now) === 'active',
        verifier: (await verify(secret.secretHash, now)) !== undefined,
        view: apiKeyView(audit, now).status === 'active',
      };
      expect({ now, ...judged }).toEqual({ now, domain: live, verifier: live, view: live });
    }
  });
});

describe('R15 expiry over HTTP', () => {
  let t: TestApp;
  let org: CreatedOrganization;
  beforeEach(async () => {
    t = await startTestApp();
    org = await createOrganization(t);
  });
  afterEach(() => t.close());
  const orgUrl = (path: string) => `/v1/orgs/${org.organizationId}/${path}`;

  /**
   * A key as history recorded it before expiresAt was normalised: expired an hour ago, its
   * expiresAt written at +02:00, so that as text it looks an hour in the future.
   */
  async function appendOffsetKey(): Promise<{ keyId: string; secret: string }> {
    const secret = generateApiKeySecret();
    const keyId = randomUUID();
    const now = Date.now();
    await t.store.append(
      `organization-${org.organizationId}`,
      [
        {
          id: randomUUID(),
          type: 'ApiKeyIssued',
          data: {
            keyId,
            name: 'from before',
            issuedBy: org.firstUserId,
            snapshot: {
              roleId: 'full_access',
              roleName: 'full_access',
              permissions: ['checks.read', 'truora.keys'],
            },
            secretHash: hashApiKeySecret(secret.secret),
            secretPrefix: secret.secretPrefix,
            issuedAt: new Date(now - 7_200_000).toISOString(),
            expiresAt: atPlusTwo(now - 3_600_000),
          },
          metadata: {
            organizationId: org.organizationId,
            schemaVersion: 1,
            actor: { type: 'user', id: 'sub|admin' },
            correlationId: randomUUID(),
            causationId: randomUUID(),
          },
        },
      ],
      'any',
    );
    return { keyId, secret: secret.secret };
  }

  it('R15 a key with an offset expiresAt stops authenticating reads when the domain calls it expired', async () => {
    const { keyId, secret } = await appendOffsetKey();
    // Authentication asks the domain's judgement for commands and reads alike, instead of
    // trusting the text for another hour.
    const command = await t.http.post(orgUrl(`api-keys/${keyId}/revoke`)).set(bearer(secret));
    expect(command.status).toBe(401);
    const read = await t.http.get(orgUrl('roles')).set(bearer(secret));
    expect(read.status).toBe(401);
    expect(read.body.code).toBe('INVALID_TOKEN');
    const viewed = await t.http.get(orgUrl(`api-keys/${keyId}`)).set(bearer(org.adminToken));
    expect(viewed.body).toMatchObject({ status: 'expired', effectivePermissions: [] });
  });

  it('R15 ?status=active no longer lists expired keys; ?status=expired lists them', async () => {
    const expired = await appendOffsetKey();
    const issued = await t.http
      .post(orgUrl('api-keys'))
      .set(bearer(org.adminToken))
      .send({ name: 'live' })
      .expect(201);
    const list = async (query: string) =>
      (
        await t.http
          .get(orgUrl(`api-keys${query}`))
          .set(bearer(org.adminToken))
          .expect(200)
      ).body.items.map((key: { keyId: string }) => key.keyId);
    expect(await list('?status=active')).toEqual([issued.body.keyId]);
    expect(await list('?status=expired')).toEqual([expired.keyId]);
    expect(await list('?status=revoked')).toEqual([]);
    expect((await list('')).sort()).toEqual([issued.body.keyId, expired.keyId].sort());
    const bad = await t.http
      .get(orgUrl('api-keys?status=bogus'))
      .set(bearer(org.adminToken))
      .expect(400);
    expect(bad.body.code).toBe('INVALID_STATUS');
  });

  it('R15 a page of ?status=active is filled past expired keys, and its cursor leads on', async () => {
    for (let i = 0; i < 3; i += 1) await appendOffsetKey();
    const live: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const issued = await t.http
        .post(orgUrl('api-keys'))
        .set(bearer(org.adminToken))
        .send({ name: `live-${i}` })
        .expect(201);
      live.push(issued.body.keyId);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?status=active&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.http.get(orgUrl(`api-keys${query}`)).set(bearer(org.adminToken));
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeGreaterThan(0);
      seen.push(...page.body.items.map((key: { keyId: string }) => key.keyId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...live].sort());
  });

  it('R15 a key issued with an offset expiresAt records it as a UTC instant', async () => {
    const instant = Date.now() + 86_400_000;
    const issued = await t.http
      .post(orgUrl('api-keys'))
      .set(bearer(org.adminToken))
      .send({ name: 'ci', expiresAt: atPlusTwo(instant) })
      .expect(201);
    const event = (await t.allEvents()).find(
      (e) => e.type === 'ApiKeyIssued' && e.data.keyId === issued.body.keyId,
    )!;
    expect(event.data.expiresAt).toBe(new Date(instant).toISOString());
    const asSupport = await t.http
      .get(`/v1/support/organizations/${org.organizationId}/api-keys/${issued.body.keyId}`)
      .set(bearer(SUPPORT_TOKEN))
      .expect(200);
    expect(asSupport.body).toMatchObject({
      status: 'active',
      expiresAt: new Date(instant).toISOString(),
    });
  });
});
