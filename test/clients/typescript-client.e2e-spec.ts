import type { AddressInfo } from 'node:net';
import {
  createAccessLedgerClient,
  idempotencyKey,
  type AccessLedgerClient,
} from '../../clients/typescript/src/index.js';
import { SUPPORT_TOKEN, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The generated client, as a client team would use it, against the standalone app listening
 * on a port of its own: no supertest, only fetch through createAccessLedgerClient.
 */

/** The body of a successful answer, typed as the document types it. */
function body<T>(
  answer: { data?: T; error?: unknown; response: Response },
  status: number,
): NonNullable<T> {
  expect({ status: answer.response.status, error: answer.error }).toEqual({
    status,
    error: undefined,
  });
  return answer.data as NonNullable<T>;
}

/** A refusal: the document types every one as its Error (R38). */
function refusal<E>(answer: { data?: unknown; error?: E; response: Response }, status: number): E {
  expect(answer.response.status).toBe(status);
  return answer.error as E;
}

describe('the generated TypeScript client against a listening standalone app', () => {
  let t: TestApp;
  let baseUrl: string;
  let support: AccessLedgerClient;
  const memberClient = async (email: string) =>
    createAccessLedgerClient({ baseUrl, token: await t.tokenFor(email) });

  beforeAll(async () => {
    // No read-your-writes shortcut: the reads below wait for the read models only when they
    // pass minPosition, as a real client must (R35).
    t = await startTestApp(undefined, { readYourWrites: false });
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    support = createAccessLedgerClient({ baseUrl, token: SUPPORT_TOKEN });
  });
  afterAll(() => t.close());

  it('R1 R9 R42 R6 R13 R35 R31 support opens an organization; its admin invites, defines a role after support adds truora.roles, issues a key; the key explains a check', async () => {
    const created = body(
      await support.POST('/v1/support/organizations', {
        body: {
          name: 'Acme',
          catalog: ['checks.read', 'checks.write'],
          firstUser: { email: 'ada@acme.test' },
        },
      }),
      201,
    );
    const orgId = created.organizationId;
    const path = { orgId };

    const ada = await memberClient('ada@acme.test');
    body(await ada.POST('/v1/orgs/{orgId}/sign-ins', { params: { path } }), 200);
    const invited = body(
      await ada.POST('/v1/orgs/{orgId}/invitations', {
        params: { path },
        body: { email: 'grace@acme.test' },
      }),
      201,
    );
    const grace = await memberClient('grace@acme.test');
    body(await grace.POST('/v1/orgs/{orgId}/sign-ins', { params: { path } }), 200);

    const analystRole = { name: 'Analyst', permissions: ['checks.read'] };
    const withoutEntitlement = refusal(
      await ada.POST('/v1/orgs/{orgId}/roles', { params: { path }, body: analystRole }),
      403,
    );
    expect(withoutEntitlement.code).toBe('ENTITLEMENT_REQUIRED');
    body(
      await support.POST('/v1/support/organizations/{orgId}/catalog/permissions', {
        params: { path },
        body: { permissions: ['truora.roles'] },
      }),
      200,
    );
    const analyst = body(
      await ada.POST('/v1/orgs/{orgId}/roles', { params: { path }, body: analystRole }),
      201,
    );
    const promoted = body(
      await ada.PUT('/v1/orgs/{orgId}/members/{userId}/role', {
        params: { path: { orgId, userId: invited.userId } },
        body: { roleId: analyst.roleId },
      }),
      200,
    );

    const key = body(
      await ada.POST('/v1/orgs/{orgId}/api-keys', { params: { path }, body: { name: 'ci' } }),
      201,
    );

    // The read waits until it includes the role change just made (R35).
    const members = body(
      await ada.GET('/v1/orgs/{orgId}/members', {
        params: { path, query: { minPosition: promoted.position } },
      }),
      200,
    );
    expect(members.items.map(({ email, status, roleId }) => ({ email, status, roleId }))).toEqual(
      expect.arrayContaining([
        { email: 'ada@acme.test', status: 'active', roleId: 'full_access' },
        { email: 'grace@acme.test', status: 'active', roleId: analyst.roleId },
      ]),
    );

    // The key holds Ada's full_access snapshot, so it may ask about anyone (R31).
    // The secret is null only on an Idempotency-Key replay (R14).
    expect(key.secret).toMatch(/^alk_/);
    const asKey = createAccessLedgerClient({ baseUrl, token: key.secret! });
    const check = body(
      await asKey.GET('/v1/orgs/{orgId}/check', {
        params: {
          path,
          query: {
            subject: `user:${invited.userId}`,
            permission: 'checks.read',
            explain: 'true',
            minPosition: key.position,
          },
        },
      }),
      200,
    );
    expect(check.allowed).toBe(true);
    expect(check.paths?.map((granted) => granted.via)).toEqual(['role']);
    // Grace holds the role, the role the permission, the catalog the permission: each edge
    // names the event that set it.
    const edges = check.paths?.[0]?.edges?.map(({ from, relation, to, event }) => ({
      from,
      relation,
      to,
      event: event?.type,
    }));
    const role = `role:${analyst.roleId}`;
    expect(edges).toEqual([
      {
        from: `user:${invited.userId}`,
        relation: 'has_role',
        to: role,
        event: 'MemberRoleChanged',
      },
      { from: role, relation: 'grants', to: 'permission:checks.read', event: 'RoleCreated' },
      {
        from: 'catalog',
        relation: 'includes',
        to: 'permission:checks.read',
        event: 'OrganizationCreated',
      },
    ]);
  });

  it('R37 a command retried with the same Idempotency-Key answers the first result and appends nothing', async () => {
    const created = body(
      await support.POST('/v1/support/organizations', {
        body: {
          name: 'Retry Co',
          catalog: ['checks.read'],
          firstUser: { email: 'lin@retry.test' },
        },
      }),
      201,
    );
    const lin = await memberClient('lin@retry.test');
    const params = { path: { orgId: created.organizationId } };
    body(await lin.POST('/v1/orgs/{orgId}/sign-ins', { params }), 200);

    const headers = idempotencyKey();
    const invite = () =>
      lin.POST('/v1/orgs/{orgId}/invitations', {
        params,
        body: { email: 'max@retry.test' },
        headers,
      });
    const first = body(await invite(), 201);
    const head = await t.store.headPosition();
    const retried = body(await invite(), 201);
    expect(retried).toEqual(first);
    expect(await t.store.headPosition()).toBe(head);
  });
});
