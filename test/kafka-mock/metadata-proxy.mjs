// A loopback TCP proxy in front of librdkafka's mock cluster, so that kafkajs can use it.
//
// The mock's answers confuse kafkajs in two ways, both about where the brokers are:
//  - Metadata names controller id 0 while the mock's only broker is 1. kafkajs sends
//    InitProducerId (the idempotent producer) to the controller and fails with "Broker 0 not
//    found in the cached metadata". Rewrite: the controller becomes the one broker listed.
//  - Metadata and FindCoordinator advertise the mock's own port, so kafkajs would connect there
//    directly and read the unrewritten answers. Rewrite: every advertised host:port becomes the
//    proxy's, so every connection keeps going through here.
// Everything else (Produce, Fetch, groups, offsets, InitProducerId) passes through unchanged.
// One mock broker only: every broker is advertised at the same proxy address.
import { Buffer } from 'node:buffer';
import { createServer, connect } from 'node:net';

const METADATA = 3;
const FIND_COORDINATOR = 10;
// Versions whose layout is parsed below (later ones are "flexible": compact strings and tagged
// fields). The mock offers Metadata v0-v2 and FindCoordinator v0-v2, so kafkajs picks those.
const REWRITTEN = { [METADATA]: 8, [FIND_COORDINATOR]: 2 };

/** Starts the proxy on host:port (0 = any free port); resolves with the address it listens on. */
export function startMetadataProxy({ upstreamPort, host = '127.0.0.1', port = 0, log }) {
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    // Either side closing or failing closes the pair, as a direct connection would.
    for (const socket of [client, upstream]) {
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    // The requests' api key and version per correlation id: a response carries only the id.
    const pending = new Map();
    frames(client, (frame) => {
      pending.set(frame.readInt32BE(8), {
        apiKey: frame.readInt16BE(4),
        version: frame.readInt16BE(6),
      });
      upstream.write(frame);
    });
    frames(upstream, (frame) => {
      const request = pending.get(frame.readInt32BE(4));
      pending.delete(frame.readInt32BE(4));
      client.write(request ? rewrite(frame, request, advertised(), log) : frame);
    });
  });
  const advertised = () => ({ host, port: server.address().port });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () =>
      resolve({
        ...advertised(),
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

/** Calls `onFrame` with each whole Kafka frame (4-byte size, then that many bytes) read. */
function frames(socket, onFrame) {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
      const size = 4 + buffered.readInt32BE(0);
      onFrame(buffered.subarray(0, size));
      buffered = buffered.subarray(size);
    }
  });
}

function rewrite(frame, { apiKey, version }, address, log) {
  if (!(apiKey in REWRITTEN)) return frame;
  if (version > REWRITTEN[apiKey]) {
    log?.(`api ${apiKey} v${version} passed through unrewritten: its layout is not parsed here`);
    return frame;
  }
  const reader = new Reader(frame, 8); // after size and correlation id
  const out = [frame.subarray(4, 8)];
  const copy = (bytes) => out.push(reader.take(bytes));
  const copyString = () => out.push(reader.takeString());
  const writeAddress = () => {
    reader.takeString(); // host
    reader.take(4); // port
    out.push(encodeString(address.host), int32(address.port));
  };
  if (apiKey === METADATA) {
    if (version >= 3) copy(4); // throttle_time_ms
    const brokers = reader.peekInt32();
    copy(4);
    const brokerIds = [];
    for (let i = 0; i < brokers; i++) {
      brokerIds.push(reader.peekInt32());
      copy(4); // node_id
      writeAddress();
      if (version >= 1) copyString(); // rack
    }
    if (version >= 2) copyString(); // cluster_id
    if (version >= 1) {
      const controller = reader.peekInt32();
      reader.take(4);
      const known = brokerIds.length === 0 || brokerIds.includes(controller);
      out.push(int32(known ? controller : brokerIds[0]));
    }
  } else {
    if (version >= 1) copy(4); // throttle_time_ms
    copy(2); // error_code
    if (version >= 1) copyString(); // error_message
    copy(4); // node_id
    writeAddress();
  }
  out.push(reader.rest());
  const body = Buffer.concat(out);
  return Buffer.concat([int32(body.length), body]);
}

class Reader {
  constructor(buffer, offset) {
    this.buffer = buffer;
    this.offset = offset;
  }
  peekInt32() {
    return this.buffer.readInt32BE(this.offset);
  }
  take(bytes) {
    const slice = this.buffer.subarray(this.offset, this.offset + bytes);
    this.offset += bytes;
    return slice;
  }
  /** A (nullable) string with its int16 length, as raw bytes. */
  takeString() {
    const length = this.buffer.readInt16BE(this.offset);
    return this.take(2 + Math.max(0, length));
  }
  rest() {
    return this.buffer.subarray(this.offset);
  }
}

const int32 = (value) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};

const encodeString = (text) => {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
};
