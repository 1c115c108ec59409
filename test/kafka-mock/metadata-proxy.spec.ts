import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { startMetadataProxy, type MetadataProxy } from './metadata-proxy.mjs';

const int16 = (value: number) => Buffer.from([(value >> 8) & 0xff, value & 0xff]);
const int32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};
const string = (text: string | null) =>
  text === null ? int16(-1) : Buffer.concat([int16(Buffer.byteLength(text)), Buffer.from(text)]);
const frame = (...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([int32(body.length), body]);
};

/** What librdkafka's mock answers (as seen on this machine): controller 0, its own address. */
const MOCK_ANSWERS: Record<string, (mockPort: number) => Buffer> = {
  // Metadata v2: brokers [1 at the mock, rack null], cluster id, controller 0, no topics.
  '3/2': (mockPort) =>
    Buffer.concat([
      int32(1),
      int32(1),
      string('127.0.0.1'),
      int32(mockPort),
      string(null),
      string('mock-cluster'),
      int32(0),
      int32(0),
    ]),
  // FindCoordinator v1: no throttle, no error, coordinator 1 at the mock.
  '10/1': (mockPort) =>
    Buffer.concat([
      int32(0),
      int16(0),
      string(null),
      int32(1),
      string('127.0.0.1'),
      int32(mockPort),
    ]),
};

describe("test/kafka-mock metadata proxy (what makes librdkafka's mock usable from kafkajs)", () => {
  let mock: Server;
  let proxy: MetadataProxy;
  let client: Socket;

  beforeEach(async () => {
    mock = createServer((socket) =>
      socket.on('data', (request) => {
        const key = `${request.readInt16BE(4)}/${request.readInt16BE(6)}`;
        const port = (mock.address() as AddressInfo).port;
        socket.write(frame(request.subarray(8, 12), MOCK_ANSWERS[key](port)));
      }),
    );
    mock.listen(0, '127.0.0.1');
    await once(mock, 'listening');
    proxy = await startMetadataProxy({ upstreamPort: (mock.address() as AddressInfo).port });
    client = connect(proxy.port, proxy.host);
    await once(client, 'connect');
  });
  afterEach(async () => {
    client.destroy();
    await proxy.close();
    mock.close();
  });

  /** Sends a request (header only: the fake mock ignores bodies) and returns the response body. */
  async function ask(apiKey: number, version: number, correlationId: number): Promise<Buffer> {
    client.write(frame(int16(apiKey), int16(version), int32(correlationId), string('test')));
    const [response] = (await once(client, 'data')) as [Buffer];
    expect(response.readInt32BE(0)).toBe(response.length - 4);
    expect(response.readInt32BE(4)).toBe(correlationId);
    return response.subarray(8);
  }

  it('names the one broker as controller and advertises the proxy in Metadata', async () => {
    const body = await ask(3, 2, 7);
    expect(body).toEqual(
      Buffer.concat([
        int32(1),
        int32(1),
        string('127.0.0.1'),
        int32(proxy.port), // was the mock's own port
        string(null),
        string('mock-cluster'),
        int32(1), // was 0, a broker that does not exist
        int32(0),
      ]),
    );
  });

  it('advertises the proxy as the group coordinator in FindCoordinator', async () => {
    const body = await ask(10, 1, 8);
    expect(body).toEqual(
      Buffer.concat([
        int32(0),
        int16(0),
        string(null),
        int32(1),
        string('127.0.0.1'),
        int32(proxy.port), // was the mock's own port
      ]),
    );
  });
});
