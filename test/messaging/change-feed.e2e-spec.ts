import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Authenticator, mintDevelopmentToken } from '#libs/auth';
import { loadSettings, type Settings } from '#libs/config';
import type { Actor, OrganizationCommand } from '#libs/domain';
import type { RecordedEvent, SqliteEventStore } from '#libs/event-store';
import { HttpCoreModule } from '#libs/http';
import { ChangeFeedModule } from '#libs/messaging';
import { allEvents, Commands, openStore, tempDir } from '../publisher/support.js';
import { ADMIN, API_KEY_HASH, BOB } from './fixtures/every-event-type.js';
import { FeedClient } from './sse-client.js';

const SUPPORT_TOKEN = 'support-token-for-feed-tests-0123456789abcdef';
const AUDITOR_TOKEN = 'auditor-token-for-feed-tests-0123456789abcdef';
const admin: Actor = { type: 'user', subject: 'sub-admin', email: ADMIN.email, groups: [] };
const command = (
  type: OrganizationCommand['type'],
  data: unknown,
  actor = admin,
): OrganizationCommand =>
  ({ type, data, metadata: { actor, now: new Date().toISOString() } }) as OrganizationCommand;

describe('SSE change feed on the embedded default (ADR 11)', () => {
  let store: SqliteEventStore;
  let commands: Commands;
  let settings: Settings;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const dir = tempDir('access-ledger-feed-');
    settings = loadSettings({
      NODE_ENV: 'test',
      DATA_DIR: dir,
      JWT_SECRET: 'jwt-secret-for-feed-tests-0123456789abcdef',
      SUPPORT_TOKENS: SUPPORT_TOKEN,
      AUDITOR_TOKENS: AUDITOR_TOKEN,
    });
    store = openStore(dir);
    commands = new Commands(store);
    const moduleRef = await Test.createTestingModule({
      imports: [
        HttpCoreModule.forRoot(new Authenticator(settings)),
        ChangeFeedModule.forRoot(store, { heartbeatMs: 50 }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const token = (email: string, subject = `sub|${email}`) =>
    mintDevelopmentToken(settings.jwt, { subject, email });
  const orgFeed = (organizationId: string) => `${base}/v1/orgs/${organizationId}/changes`;
  const eventsOf = async (organizationId: string): Promise<RecordedEvent[]> =>
    (await allEvents(store)).filter((event) => event.metadata.organizationId === organizationId);
  const createOrganization = async (): Promise<string> => {
    const organizationId = randomUUID();
    await commands.everyEventType(organizationId);
    return organizationId;
  };
  const inviteMany = async (organizationId: string, count: number, prefix: string) => {
    for (let i = 0; i < count; i++) {
      await commands.run(
        organizationId,
        command('InviteMember', { userId: randomUUID(), email: `${prefix}${i}@acme.test` }),
      );
    }
  };

  it('delivers every event exactly once, in order, while commands run; a resumed client misses none', async () => {
    const [organizationId, other] = [await createOrganization(), await createOrganization()];
    const client = await FeedClient.open(orgFeed(organizationId), await token(ADMIN.email));
    expect(client.status).toBe(200);
    await Promise.all([inviteMany(organizationId, 40, 'live-'), inviteMany(other, 20, 'other-')]);

    const firstPart = await eventsOf(organizationId);
    await client.waitFor(firstPart.length);
    await new Promise((resolve) => setTimeout(resolve, 100)); // time for a duplicate to show up
    expect(client.envelopes.map((envelope) => envelope.id)).toEqual(
      firstPart.map((event) => event.id),
    );
    expect(client.messages.map((message) => message.id)).toEqual(
      firstPart.map((event) => event.position),
    );
    const lastSeen = client.lastId as string;
    await client.close();

    // Missed while disconnected, and appended while resuming.
    await inviteMany(organizationId, 15, 'offline-');
    const resumed = await FeedClient.open(
      orgFeed(organizationId),
      await token(ADMIN.email),
      lastSeen,
    );
    await inviteMany(organizationId, 15, 'resuming-');
    const rest = (await eventsOf(organizationId)).filter(
      (event) => BigInt(event.position) > BigInt(lastSeen),
    );
    expect(rest).toHaveLength(30 * 2); // each invitation also adds the invitee to Default (R9)
    await resumed.waitFor(rest.length);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(resumed.envelopes.map((envelope) => envelope.id)).toEqual(rest.map((event) => event.id));
    await resumed.close();

    // ?after= resumes the same way, for clients that cannot set headers.
    const viaQuery = await FeedClient.open(
      `${orgFeed(organizationId)}?after=${lastSeen}`,
      await token(ADMIN.email),
    );
    await viaQuery.waitFor(rest.length);
    expect(viaQuery.envelopes.map((envelope) => envelope.id)).toEqual(
      rest.map((event) => event.id),
    );
    await viaQuery.close();
  });

  it('serves the same envelopes as Kafka: CloudEvents JSON, secrets stripped (S2), heartbeats between', async () => {
    const organizationId = await createOrganization();
    const client = await FeedClient.open(orgFeed(organizationId), await token(ADMIN.email));
    const stored = await eventsOf(organizationId);
    await client.waitFor(stored.length);
    await client.until(
      () => client.raw.includes(': heartbeat'),
      2000,
      () => 'a heartbeat',
    );
    const issued = client.envelopes.find((envelope) => envelope.type === 'ApiKeyIssued');
    expect(issued).toEqual(
      expect.objectContaining({
        specversion: '1.0',
        organizationid: organizationId,
        source: `/access-ledger/organizations/${organizationId}`,
      }),
    );
    expect(issued?.data).not.toHaveProperty('secretHash');
    expect(client.raw).not.toContain(API_KEY_HASH);
    expect(client.raw.startsWith('retry: 2000\n\n')).toBe(true);
    await client.close();
  });

  it('gives support and auditors every organization, in global order', async () => {
    const [a, b] = [await createOrganization(), await createOrganization()];
    const all = await allEvents(store);
    for (const secret of [SUPPORT_TOKEN, AUDITOR_TOKEN]) {
      const client = await FeedClient.open(`${base}/v1/support/changes`, secret);
      await client.waitFor(all.length);
      expect(client.envelopes.map((envelope) => envelope.id)).toEqual(all.map((event) => event.id));
      expect(client.envelopes.some((envelope) => envelope.organizationid === a)).toBe(true);
      expect(client.envelopes.some((envelope) => envelope.organizationid === b)).toBe(true);
      await client.close();
    }
    // Support also reads one organization's feed.
    const one = await FeedClient.open(orgFeed(a), SUPPORT_TOKEN);
    expect(one.status).toBe(200);
    await one.close();
  });

  it('S1: 404 for members of another organization, inactive members, unknown organizations; members never read the support feed', async () => {
    const [organizationId, other] = [await createOrganization(), await createOrganization()];
    await commands.run(
      other,
      command('InviteMember', { userId: randomUUID(), email: 'stranger@other.test' }),
    );
    await commands.run(
      other,
      command(
        'SignIn',
        { subject: 'sub-stranger', email: 'stranger@other.test', groups: [] },
        {
          type: 'user',
          subject: 'sub-stranger',
          email: 'stranger@other.test',
          groups: [],
        },
      ),
    );
    await commands.run(
      organizationId,
      command('InviteMember', { userId: randomUUID(), email: 'invited@acme.test' }),
    );
    const refusals = [
      await FeedClient.open(
        orgFeed(organizationId),
        await token('stranger@other.test', 'sub-stranger'),
      ),
      await FeedClient.open(orgFeed(organizationId), await token('invited@acme.test')),
      await FeedClient.open(orgFeed(organizationId), await token(BOB.email)), // removed in the fixture
      await FeedClient.open(orgFeed(randomUUID()), await token(ADMIN.email)),
      await FeedClient.open(orgFeed('not-a-uuid'), SUPPORT_TOKEN),
    ];
    expect(refusals.map((refusal) => [refusal.status, refusal.body?.code])).toEqual([
      [404, 'ORGANIZATION_NOT_FOUND'],
      [404, 'ORGANIZATION_NOT_FOUND'],
      [404, 'ORGANIZATION_NOT_FOUND'],
      [404, 'ORGANIZATION_NOT_FOUND'],
      [404, 'ORGANIZATION_NOT_FOUND'],
    ]);
    const member = await FeedClient.open(`${base}/v1/support/changes`, await token(ADMIN.email));
    expect([member.status, member.body?.code]).toEqual([403, 'SUPPORT_ONLY']);
    const anonymous = await FeedClient.open(orgFeed(organizationId), undefined);
    expect(anonymous.status).toBe(401);
    const badPosition = await FeedClient.open(
      `${orgFeed(organizationId)}?after=abc`,
      await token(ADMIN.email),
    );
    expect([badPosition.status, badPosition.body?.code]).toEqual([400, 'INVALID_POSITION']);
  });

  it('ends the stream of a member the moment they are deactivated', async () => {
    const organizationId = await createOrganization();
    // An org admin: only they, not every member, read the feed (R40).
    const carol = { userId: randomUUID(), email: 'carol@acme.test', roleId: 'full_access' };
    const carolActor: Actor = {
      type: 'user',
      subject: 'sub-carol',
      email: carol.email,
      groups: [],
    };
    await commands.run(organizationId, command('InviteMember', carol));
    await commands.run(
      organizationId,
      command('SignIn', { subject: 'sub-carol', email: carol.email, groups: [] }, carolActor),
    );
    const client = await FeedClient.open(
      orgFeed(organizationId),
      await token(carol.email, 'sub-carol'),
    );
    const before = await eventsOf(organizationId);
    await client.waitFor(before.length);
    await commands.run(organizationId, command('DeactivateMember', { userId: carol.userId }));
    await commands.run(
      organizationId,
      command('InviteMember', { userId: randomUUID(), email: 'later@acme.test' }),
    );
    await client.waitForEnd();
    const deactivations = client.envelopes.filter(
      (envelope) => envelope.type === 'MemberDeactivated' && envelope.data.userId === carol.userId,
    );
    expect(deactivations).toEqual([]);
    expect(client.envelopes.at(-1)?.type).toBe('MemberActivated');
    expect(client.messages).toHaveLength(before.length);
    expect(client.raw).toContain(': access ended');
  });
});
