import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENTS_FILE } from '#libs/event-store';
import { descriptorOf, UpcasterRegistry } from '#libs/messaging';
import {
  bearer,
  createOrganization,
  startTestApp,
  SUPPORT_TOKEN,
  type TestApp,
} from '../support/test-app.js';
import { FeedClient } from './sse-client.js';

/**
 * A release in which MemberInvited is at version 2. Its version 1 (synthetic, for this test)
 * called the address `mail`; version 2 calls it `email`, which is what the domain reads.
 */
const releaseWithMemberInvitedV2 = () =>
  new UpcasterRegistry((type) =>
    type === 'MemberInvited' ? 2 : descriptorOf(type).version,
  ).register('MemberInvited', 1, ({ mail, ...rest }) => ({ ...rest, email: mail }));

/** Rewrites the stored MemberInvited events into the old shape, as an old release wrote them. */
function storeAsVersion1(dataDir: string): void {
  const db = new Database(join(dataDir, EVENTS_FILE));
  const rows = db
    .prepare("SELECT position, data, metadata FROM events WHERE type = 'MemberInvited'")
    .all() as { position: number; data: string; metadata: string }[];
  const update = db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?');
  for (const row of rows) {
    const { email, ...rest } = JSON.parse(row.data) as Record<string, unknown>;
    const metadata = { ...JSON.parse(row.metadata), schemaVersion: 1 };
    update.run(JSON.stringify({ ...rest, mail: email }), JSON.stringify(metadata), row.position);
  }
  db.close();
}

describe('upcasting on every read path', () => {
  let t: TestApp | undefined;
  afterEach(() => t?.close());

  it('R32 a stored v1 event is read as v2 by commands, projections and the change feed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'al-upcast-'));
    const first = await startTestApp(dataDir);
    const org = await createOrganization(first);
    await first.http
      .post(`/v1/orgs/${org.organizationId}/invitations`)
      .set(bearer(org.adminToken))
      .send({ email: 'grace@acme.test' })
      .expect(201);
    await first.close();
    storeAsVersion1(dataDir);

    t = await startTestApp(dataDir, { upcasters: releaseWithMemberInvitedV2() });
    const orgs = `/v1/orgs/${org.organizationId}`;

    // Commands: the aggregate knows grace by the address her v1 event called `mail`.
    const again = await t.http
      .post(`${orgs}/invitations`)
      .set(bearer(org.adminToken))
      .send({ email: 'grace@acme.test' });
    expect(again.body.code).toBe('EMAIL_ALREADY_MEMBER');

    // Projections: the members read model, rebuilt from the store, lists her address.
    const members = await t.http.get(`${orgs}/members`).set(bearer(org.adminToken)).expect(200);
    expect(members.body.items.map((m: { email: string }) => m.email)).toContain('grace@acme.test');

    // New events are written at the release's version, and read back as they were written.
    await t.http
      .post(`${orgs}/invitations`)
      .set(bearer(org.adminToken))
      .send({ email: 'henry@acme.test' })
      .expect(201);
    const stored = (await t.allEvents()).filter((e) => e.type === 'MemberInvited');
    expect(stored.map((e) => [e.metadata.schemaVersion, e.data.email])).toEqual([
      [2, 'grace@acme.test'],
      [2, 'henry@acme.test'],
    ]);

    // The change feed: every MemberInvited at v2, with the v2 field.
    await t.app.listen(0, '127.0.0.1');
    const feed = await FeedClient.open(`${await t.app.getUrl()}/v1/support/changes`, SUPPORT_TOKEN);
    await feed.waitFor((await t.allEvents()).length);
    const invited = feed.envelopes.filter((e) => e.type === 'MemberInvited');
    expect(invited.map((e) => [e.schemaversion, (e.data as { email: string }).email])).toEqual(
      stored.map((e) => [2, e.data.email]),
    );
    expect(invited.every((e) => e.dataschema.endsWith('MemberInvited:v2'))).toBe(true);
    await feed.close();
  });
});
