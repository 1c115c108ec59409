import { KafkaContext, KafkaParser } from '@nestjs/microservices';
import { toCloudEvent, toKafkaRecord } from '#libs/messaging';
import { AccessChangeHandler } from '../../examples/kafka-consumer/src/access-change-handler.js';
import { AccessEventsController } from '../../examples/kafka-consumer/src/access-events.controller.js';
import { InMemoryProcessedEvents } from '../../examples/kafka-consumer/src/processed-events.js';
import { recordedHistory } from './fixtures/every-event-type.js';

/** A message as Nest's Kafka transport hands it to a handler: kafkajs's, run through its parser. */
function contextOf(record: ReturnType<typeof toKafkaRecord>): KafkaContext {
  const raw = {
    key: Buffer.from(record.key),
    value: Buffer.from(record.value),
    headers: Object.fromEntries(
      Object.entries(record.headers).map(([k, v]) => [k, Buffer.from(v)]),
    ),
    timestamp: '0',
    offset: '0',
    attributes: 0,
    size: 0,
  };
  const parsed = new KafkaParser().parse(raw);
  return new KafkaContext([
    parsed as never,
    0,
    'access-ledger.events.v1',
    {} as never,
    async () => {},
    {} as never,
  ]);
}

describe('the reference consumer (examples/kafka-consumer)', () => {
  const envelopes = recordedHistory().map((event) => toCloudEvent(event));

  it('reads every message back into its envelope and handles each event once, redeliveries skipped', async () => {
    const handler = new AccessChangeHandler();
    const controller = new AccessEventsController(handler, new InMemoryProcessedEvents());
    const redelivered = [...envelopes, ...envelopes.slice(5, 12)];
    for (const envelope of redelivered)
      await controller.onEvent(contextOf(toKafkaRecord(envelope)));
    expect(handler.handled).toEqual(envelopes);
  });

  it('does not mark an event handled when its side effect failed, so the redelivery runs it', async () => {
    const handler = new AccessChangeHandler();
    const controller = new AccessEventsController(handler, new InMemoryProcessedEvents());
    const original = handler.handle.bind(handler);
    let failures = 1;
    handler.handle = async (event) => {
      if (failures-- > 0) throw new Error('mail server down');
      return original(event);
    };
    const context = contextOf(toKafkaRecord(envelopes[0]));
    await expect(controller.onEvent(context)).rejects.toThrow('mail server down');
    await controller.onEvent(context);
    expect(handler.handled).toEqual([envelopes[0]]);
  });
});
