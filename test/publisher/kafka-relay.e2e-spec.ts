import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '#libs/event-store';
import {
  CLOUD_EVENT_ATTRIBUTES,
  CONTENT_TYPE_HEADER,
  EVENTS_TOPIC,
  fromKafkaRecord,
  schemaOf,
  toCloudEvent,
  validate,
} from '#libs/messaging';
import { PublisherLifecycle } from '../../apps/standalone/src/publisher-lifecycle.js';
import { describeWithKafka, readTopicToEnd, type TopicMessage } from '../support/kafka.js';
import {
  addActiveMember,
  bearer,
  createOrganization,
  startTestApp,
  type CreatedOrganization,
  type TestApp,
} from '../support/test-app.js';

/** What a consumer sees of a message, headers as text. */
const headerText = (message: TopicMessage, name: string): string | undefined =>
  message.headers[name]?.toString();

/**
 * The standalone app with KAFKA_BROKERS set, end to end: commands over HTTP, the relay in the
 * process, and a plain kafkajs consumer reading the topic as any other service would.
 */
describeWithKafka(
  'Kafka relay end to end: standalone app -> topic -> consumer',
  'no broker here; set KAFKA_BROKERS to run it: test/kafka-mock/kafka-mock.mjs or docker compose up provides one; issue #5',
  (brokers) => {
    let t: TestApp;
    let stored: RecordedEvent[];
    let messages: TopicMessage[];
    let acme: CreatedOrganization;
    let globex: CreatedOrganization;
    let apiKeySecret: string;
    let removal: string;

    beforeAll(async () => {
      t = await startTestApp(undefined, { env: { KAFKA_BROKERS: brokers.join(',') } });
      // Two organizations whose commands interleave, so that per-organization order means something.
      acme = await createOrganization(t);
      globex = await createOrganization(t);
      const alice = await addActiveMember(t, acme);
      await addActiveMember(t, globex);
      const post = (org: CreatedOrganization, path: string, body: object) =>
        t.http.post(`/v1/orgs/${org.organizationId}${path}`).set(bearer(org.adminToken)).send(body);
      const group = await post(acme, '/groups', { name: 'Analysts' }).expect(201);
      await post(acme, `/groups/${group.body.groupId}/members`, {
        userIds: [alice.userId],
      }).expect(200);
      await addActiveMember(t, globex);
      apiKeySecret = (await post(acme, '/api-keys', { name: 'deploy' }).expect(201)).body.secret;
      // A cascade (R11): MemberRemoved causes GroupMemberRemoved and WorkspacePrincipalRemoved.
      removal = `kafka-relay-${randomUUID()}`;
      await t.http
        .delete(`/v1/orgs/${acme.organizationId}/members/${alice.userId}`)
        .set({ ...bearer(acme.adminToken), 'X-Correlation-Id': removal })
        .expect(200);

      const relay = t.app.get(PublisherLifecycle).publisher?.relay;
      if (!relay)
        throw new Error('The standalone app started no relay although KAFKA_BROKERS is set.');
      await relay.waitFor(await t.store.headPosition(), 30_000);
      stored = await t.allEvents();
      // Everything up to the end of every partition: other suites may share the topic.
      messages = await readTopicToEnd(brokers, EVENTS_TOPIC);
    }, 90_000);
    afterAll(() => t?.close());

    const ours = () =>
      messages.filter((message) =>
        [acme.organizationId, globex.organizationId].includes(message.key),
      );

    it('R32 publishes one message per stored event, each the envelope of that event', () => {
      expect(stored.length).toBeGreaterThan(10);
      const byId = new Map(stored.map((event) => [event.id, event]));
      const published = ours();
      expect(published.map((message) => headerText(message, 'ce_id')).sort()).toEqual(
        stored.map((event) => event.id).sort(),
      );
      for (const message of published) {
        const event = byId.get(headerText(message, 'ce_id') ?? '') as RecordedEvent;
        expect(fromKafkaRecord(message.headers, message.value)).toEqual(toCloudEvent(event));
      }
    });

    it('keys every message by organization id and keeps each organization in store order', () => {
      for (const org of [acme, globex]) {
        const published = ours().filter((message) => message.key === org.organizationId);
        const expected = stored.filter(
          (event) => event.metadata.organizationId === org.organizationId,
        );
        expect(published.map((message) => headerText(message, 'ce_organizationid'))).toEqual(
          expected.map(() => org.organizationId),
        );
        // One partition per organization, so its offsets are its order.
        expect(new Set(published.map((message) => message.partition)).size).toBe(1);
        expect(published.map((message) => headerText(message, 'ce_id'))).toEqual(
          expected.map((event) => event.id),
        );
      }
    });

    it('R32 carries every CloudEvents attribute as a header, and data valid against its schema', () => {
      for (const message of ours()) {
        for (const attribute of CLOUD_EVENT_ATTRIBUTES) {
          const header = attribute === 'datacontenttype' ? CONTENT_TYPE_HEADER : `ce_${attribute}`;
          expect({ header, value: headerText(message, header) }).toEqual({
            header,
            value: expect.stringMatching(/./),
          });
        }
        const type = headerText(message, 'ce_type') as string;
        const schema = schemaOf(type, Number(headerText(message, 'ce_schemaversion')));
        expect(schema).toBeDefined();
        expect({ type, violations: validate(schema!, JSON.parse(message.value)) }).toEqual({
          type,
          violations: [],
        });
      }
    });

    it('R11 R32 publishes a cascade after its cause, each effect naming the cause', () => {
      const correlated = ours().filter(
        (message) => headerText(message, 'ce_correlationid') === removal,
      );
      expect(correlated.map((message) => headerText(message, 'ce_type')).sort()).toEqual(
        ['GroupMemberRemoved', 'MemberRemoved', 'WorkspacePrincipalRemoved'].sort(),
      );
      const [cause, ...effects] = correlated;
      expect(headerText(cause, 'ce_type')).toBe('MemberRemoved');
      for (const effect of effects) {
        expect(headerText(effect, 'ce_causationid')).toBe(headerText(cause, 'ce_id'));
        expect(Number(effect.offset)).toBeGreaterThan(Number(cause.offset));
      }
    });

    it('S2 R14 no secret, hash or token in any message (key, value or header)', () => {
      const issued = stored.find((event) => event.type === 'ApiKeyIssued');
      const secretHash = issued?.data.secretHash as string;
      const prefix = issued?.data.secretPrefix as string;
      expect(secretHash).toMatch(/./); // the store keeps the hash (R14)...
      expect(apiKeySecret.startsWith(prefix)).toBe(true);
      const wire = JSON.stringify(
        messages.map((message) => ({
          ...message,
          headers: Object.entries(message.headers).map(([name, value]) => [
            name,
            value?.toString(),
          ]),
        })),
      );
      expect(wire).toContain('ApiKeyIssued');
      for (const secret of [
        secretHash, // ...nothing published does (S2)
        apiKeySecret,
        apiKeySecret.slice(prefix.length),
        acme.adminToken,
        globex.adminToken,
        t.settings.jwt.secret,
      ]) {
        expect(wire.includes(secret as string)).toBe(false);
      }
      expect(wire).not.toMatch(/secretHash/i);
      expect(wire).not.toMatch(/\b[0-9a-f]{64}\b/); // no SHA-256 of anything
    });
  },
);
