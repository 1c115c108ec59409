import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { mintDevelopmentToken } from '#libs/auth';
import { loadSettings, type Settings } from '#libs/config';
import type { EventStore, RecordedEvent } from '#libs/event-store';
import type { UpcasterRegistry } from '#libs/messaging';
import type { DocumentStore } from '#libs/read-models';
import type { Projector } from '../../apps/projector/src/projector.js';
import { createStandaloneApp } from '../../apps/standalone/src/standalone.js';

export const SUPPORT_TOKEN = 'support-token-for-tests-0123456789abcdef';
export const AUDITOR_TOKEN = 'auditor-token-for-tests-0123456789abcdef';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  store: EventStore;
  documentStore: DocumentStore;
  projector: Projector;
  settings: Settings;
  close(): Promise<void>;
  /** A member JWT for this app. */
  tokenFor(email: string, subject?: string): Promise<string>;
  allEvents(): Promise<RecordedEvent[]>;
}

/**
 * The standalone app (commands, reads, projector) in process, on a fresh SQLite data directory
 * (or a given one). With `readYourWrites` (the default) every GET first waits for the read
 * models to reach the store's head, as a client passing `?minPosition=` would; tests of R35
 * itself turn it off.
 */
export async function startTestApp(
  dataDir = mkdtempSync(join(tmpdir(), 'access-ledger-')),
  {
    readYourWrites = true,
    upcasters,
    env = {},
  }: { readYourWrites?: boolean; upcasters?: UpcasterRegistry; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const settings = loadSettings({
    ...env,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: 'jwt-secret-for-tests-0123456789abcdef',
    SUPPORT_TOKENS: SUPPORT_TOKEN,
    AUDITOR_TOKENS: AUDITOR_TOKEN,
  });
  const { app, stores, projector, documentStore } = await createStandaloneApp(settings, false, {
    upcasters,
  });
  if (readYourWrites) {
    app.use(async (req: { method: string }, _res: unknown, next: () => void) => {
      if (req.method === 'GET')
        await projector.waitFor(await stores.eventStore.headPosition(), 5_000);
      next();
    });
  }
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    store: stores.eventStore,
    documentStore,
    projector,
    settings,
    close: () => app.close(),
    tokenFor: (email, subject) =>
      mintDevelopmentToken(settings.jwt, { subject: subject ?? `sub|${email}`, email }),
    allEvents: async () => {
      const events: RecordedEvent[] = [];
      for await (const event of stores.eventStore.readAll()) events.push(event);
      return events;
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface CreatedOrganization {
  organizationId: string;
  firstUserId: string;
  defaultWorkspaceId: string;
  adminToken: string;
}

export async function createOrganization(
  t: TestApp,
  options: { email?: string; catalog?: string[] } = {},
): Promise<CreatedOrganization> {
  const email = options.email ?? `admin-${Math.random().toString(36).slice(2)}@acme.test`;
  const response = await t.http
    .post('/v1/support/organizations')
    .set(bearer(SUPPORT_TOKEN))
    .send({
      name: 'Acme',
      // The entitlements (R6, R42) are in by default so that tests can use every feature;
      // the R42 tests pass a catalog without them.
      catalog: options.catalog ?? [
        'checks.read',
        'checks.write',
        'truora.directory',
        'truora.roles',
        'truora.workspaces',
      ],
      firstUser: { email },
    });
  if (response.status !== 201)
    throw new Error(`creating an organization failed: ${JSON.stringify(response.body)}`);
  return { ...response.body, adminToken: await t.tokenFor(email) };
}

/** A member who has accepted their invitation, with a JWT to act as them. */
export interface ActiveMember {
  userId: string;
  email: string;
  token: string;
}

/**
 * Invites a member as the organization's first admin and signs them in (R9), so they can act.
 * `groups` is their token's `groups` claim, for directory groups (R18).
 */
export async function addActiveMember(
  t: TestApp,
  org: CreatedOrganization,
  options: { email?: string; roleId?: string; groups?: string[] } = {},
): Promise<ActiveMember> {
  const email = options.email ?? `member-${Math.random().toString(36).slice(2)}@acme.test`;
  const invited = await t.http
    .post(`/v1/orgs/${org.organizationId}/invitations`)
    .set(bearer(org.adminToken))
    .send(options.roleId ? { email, roleId: options.roleId } : { email });
  if (invited.status !== 201)
    throw new Error(`inviting ${email} failed: ${JSON.stringify(invited.body)}`);
  const token = await mintDevelopmentToken(t.settings.jwt, {
    subject: `sub|${email}`,
    email,
    groups: options.groups ?? [],
  });
  const signIn = await t.http.post(`/v1/orgs/${org.organizationId}/sign-ins`).set(bearer(token));
  if (signIn.status !== 200)
    throw new Error(`signing ${email} in failed: ${JSON.stringify(signIn.body)}`);
  return { userId: invited.body.userId as string, email, token };
}

/** The events of one organization's stream, in order. */
export async function organizationEvents(
  t: TestApp,
  organizationId: string,
): Promise<RecordedEvent[]> {
  return (await t.allEvents()).filter((e) => e.metadata.organizationId === organizationId);
}

/** What supertest answers: enough of it for refusal checks. */
export interface HttpAnswer {
  status: number;
  body: { code?: string; statusCode?: number; message?: string };
}

/**
 * R38: sends a request that must be refused with `status` and `code`, and checks that the
 * store's head did not move (a refused command appends nothing).
 */
export async function expectRefusal(
  t: TestApp,
  send: () => PromiseLike<HttpAnswer>,
  status: number,
  code: string,
): Promise<HttpAnswer> {
  const before = await t.store.headPosition();
  const answer = await send();
  expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code });
  expect(answer.body).toEqual(
    expect.objectContaining({ statusCode: status, message: expect.any(String) }),
  );
  expect(await t.store.headPosition()).toBe(before);
  return answer;
}
