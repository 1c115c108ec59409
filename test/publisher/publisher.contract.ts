import { randomUUID } from 'node:crypto';
import { fromKafkaRecord, toCloudEvent, type CloudEvent, type HeaderValue } from '#libs/messaging';
import { PublishError, type Publisher } from '../../apps/publisher/src/publisher.port.js';
import {
  API_KEY_HASH,
  API_KEY_SECRET,
  recordedHistory,
} from '../messaging/fixtures/every-event-type.js';
import { everyEventHistory } from '../messaging/fixtures/every-event-type.js';

/** A message as a consumer of the topic receives it. */
export interface ReceivedMessage {
  key: string;
  value: string;
  headers: Record<string, HeaderValue>;
}

export interface PublisherUnderTest {
  publisher: Publisher;
  /** The messages of these organizations the broker holds, waiting until there are `count`. */
  received(organizationIds: string[], count: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

export interface PublisherContractSubject {
  /** Per test; a real broker needs more than jest's default. */
  timeoutMs?: number;
  make(): Promise<PublisherUnderTest>;
  /** A publisher whose broker cannot be reached. */
  unreachable(): Promise<Publisher>;
}

/** Envelopes of the every-event-type history for a fresh organization. */
const envelopesOf = (organizationId: string): CloudEvent[] =>
  recordedHistory(everyEventHistory(), organizationId).map((event) => ({
    ...toCloudEvent(event),
    // Unique ids per run: a real broker keeps earlier runs' messages.
    id: randomUUID(),
  }));

/** The Publisher port's contract: one suite, every adapter. */
export function publisherContract(subject: PublisherContractSubject): void {
  const it = (name: string, body: () => Promise<void>) => test(name, body, subject.timeoutMs);
  let under: PublisherUnderTest;
  beforeEach(async () => {
    under = await subject.make();
  });
  afterEach(async () => {
    await under.close();
  });

  it('publishes one message per envelope, keyed by organization, in CloudEvents binary mode', async () => {
    const organizationId = randomUUID();
    const envelopes = envelopesOf(organizationId);
    await under.publisher.publish(envelopes);
    const received = await under.received([organizationId], envelopes.length);
    expect(received.map((message) => message.key)).toEqual(envelopes.map(() => organizationId));
    expect(received.map((message) => fromKafkaRecord(message.headers, message.value))).toEqual(
      envelopes,
    );
  });

  it('keeps the order of each organization across interleaved batches', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const [first, second] = [envelopesOf(a), envelopesOf(b)];
    const interleaved = first.flatMap((envelope, i) => [envelope, second[i]]).filter(Boolean);
    await under.publisher.publish(interleaved.slice(0, 30));
    await under.publisher.publish(interleaved.slice(30));
    const received = await under.received([a, b], interleaved.length);
    const idsOf = (organizationId: string) =>
      received
        .filter((message) => message.key === organizationId)
        .map((message) => message.headers.ce_id?.toString());
    expect(idsOf(a)).toEqual(first.map((envelope) => envelope.id));
    expect(idsOf(b)).toEqual(second.map((envelope) => envelope.id));
  });

  it('resolves an empty batch without sending anything', async () => {
    await expect(under.publisher.publish([])).resolves.toBeUndefined();
  });

  it('carries no secret and no secret hash on the wire (S2)', async () => {
    const organizationId = randomUUID();
    const envelopes = envelopesOf(organizationId);
    await under.publisher.publish(envelopes);
    const wire = JSON.stringify(
      (await under.received([organizationId], envelopes.length)).map((message) => ({
        ...message,
        headers: Object.fromEntries(
          Object.entries(message.headers).map(([k, v]) => [k, v?.toString()]),
        ),
      })),
    );
    expect(wire).toContain('ApiKeyIssued');
    expect(wire).not.toContain(API_KEY_HASH);
    expect(wire).not.toContain(API_KEY_SECRET);
    expect(wire).not.toContain('secretHash');
  });

  it('rejects, never resolves, when the broker does not acknowledge', async () => {
    const publisher = await subject.unreachable();
    try {
      await expect(publisher.publish(envelopesOf(randomUUID()).slice(0, 1))).rejects.toBeInstanceOf(
        PublishError,
      );
    } finally {
      await publisher.close().catch(() => {});
    }
  });
}
