import {
  fromKafkaRecord,
  MalformedCloudEventError,
  toCloudEvent,
  toKafkaRecord,
} from '#libs/messaging';
import { recordedHistory } from './fixtures/every-event-type.js';

describe('CloudEvents Kafka binding, binary mode (ADR 11)', () => {
  const envelope = toCloudEvent(recordedHistory()[0]);
  const record = toKafkaRecord(envelope);

  it('keys by organization id, puts the data alone in the value and attributes in ce_ headers', () => {
    expect(record.key).toBe(envelope.organizationid);
    expect(JSON.parse(record.value)).toEqual(envelope.data);
    expect(record.headers).toEqual(
      expect.objectContaining({
        ce_id: envelope.id,
        ce_type: 'OrganizationCreated',
        ce_source: envelope.source,
        ce_time: envelope.time,
        ce_specversion: '1.0',
        ce_dataschema: envelope.dataschema,
        ce_schemaversion: '1',
        ce_revision: '0',
        ce_position: envelope.position,
        'content-type': 'application/json',
      }),
    );
    expect(record.headers).not.toHaveProperty('ce_datacontenttype');
    expect(record.headers).not.toHaveProperty('ce_data');
  });

  it('reads back the same envelope, from strings or from the Buffers kafkajs hands over', () => {
    expect(fromKafkaRecord(record.headers, record.value)).toEqual(envelope);
    const buffers = Object.fromEntries(
      Object.entries(record.headers).map(([name, value]) => [name, Buffer.from(value)]),
    );
    expect(fromKafkaRecord(buffers, Buffer.from(record.value))).toEqual(envelope);
  });

  it('carries the trace context of a traced command as ce_traceparent / ce_tracestate, and only then', () => {
    const [stored] = recordedHistory();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const traced = toCloudEvent({
      ...stored,
      metadata: { ...stored.metadata, traceparent, tracestate: 'vendor=opaque' },
    });
    const message = toKafkaRecord(traced);
    expect(message.headers).toEqual(
      expect.objectContaining({ ce_traceparent: traceparent, ce_tracestate: 'vendor=opaque' }),
    );
    expect(fromKafkaRecord(message.headers, message.value)).toEqual(traced);
    expect(Object.keys(record.headers).filter((name) => name.startsWith('ce_trace'))).toEqual([]);
    expect(envelope).not.toHaveProperty('traceparent');
  });

  it('refuses a message missing an attribute', () => {
    const { ce_id: _id, ...headers } = record.headers;
    expect(() => fromKafkaRecord(headers, record.value)).toThrow(MalformedCloudEventError);
  });
});
