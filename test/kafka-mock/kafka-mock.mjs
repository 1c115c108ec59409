// A Kafka broker for tests, with no broker install: librdkafka's mock cluster (inside kcat,
// `apt-get install kcat`) behind metadata-proxy.mjs, which makes it usable from kafkajs.
//
//   node test/kafka-mock/kafka-mock.mjs [--port N] [--out FILE] [extra-topic ...]
//
// Prints `KAFKA_BROKERS=127.0.0.1:<port>` once the broker is ready (and writes the address to
// FILE); runs until SIGTERM or SIGINT, then stops kcat. The mock has no CreateTopics, so the
// kcat consumer that keeps the mock alive subscribes to (and so creates, 4 partitions each)
// every topic the product publishes to, read from libs/messaging/src/topic.ts.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { URL } from 'node:url';
import { parseArgs } from 'node:util';
import { startMetadataProxy } from './metadata-proxy.mjs';

const { values, positionals } = parseArgs({
  options: { port: { type: 'string', default: '0' }, out: { type: 'string' } },
  allowPositionals: true,
});
const log = (message) => console.error(`kafka-mock: ${message}`);

/** The product's topics: every `export const <NAME>_TOPIC = '<topic>'` in the messaging library. */
function productTopics() {
  const source = readFileSync(
    new URL('../../libs/messaging/src/topic.ts', import.meta.url),
    'utf8',
  );
  const topics = [...source.matchAll(/export const \w+_TOPIC = '([^']+)'/g)].map((m) => m[1]);
  if (topics.length === 0)
    throw new Error('No *_TOPIC constant found in libs/messaging/src/topic.ts.');
  return topics;
}

/** Starts kcat with a one-broker mock cluster; resolves with the port the mock listens on. */
function startMock(topics) {
  // `-b 127.0.0.1:1` is ignored: the mock replaces the bootstrap servers with its own address,
  // and says so on stderr, which is where the port is read from.
  const kcat = spawn(
    'kcat',
    [
      '-q',
      '-G',
      'kafka-mock-keepalive',
      '-X',
      'test.mock.num.brokers=1',
      '-b',
      '127.0.0.1:1',
      ...topics,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    kcat.once('error', (error) =>
      reject(
        new Error(`Could not run kcat (${error.message}); install it: apt-get install -y kcat`),
      ),
    );
    kcat.once('exit', (code, signal) =>
      reject(new Error(`kcat exited (${signal ?? code}) before the mock was up: ${stderr.trim()}`)),
    );
    kcat.stderr.on('data', (chunk) => {
      if (stderr === undefined) return void process.stderr.write(chunk); // once up, pass it on
      stderr += chunk;
      const port = /Mock cluster enabled.*replaced with 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1];
      if (!port) return;
      stderr = undefined;
      resolve({ kcat, port: Number(port) });
    });
  });
}

const topics = [...new Set([...productTopics(), ...positionals])];
log(`starting librdkafka's mock cluster (kcat) with topics ${topics.join(', ')}`);
const { kcat, port: mockPort } = await startMock(topics).catch((error) => {
  log(error.message);
  process.exit(1);
});
const proxy = await startMetadataProxy({ upstreamPort: mockPort, port: Number(values.port), log });
const brokers = `${proxy.host}:${proxy.port}`;
log(`mock on 127.0.0.1:${mockPort}, proxy on ${brokers}; SIGTERM stops both`);
if (values.out) writeFileSync(values.out, `${brokers}\n`);
console.log(`KAFKA_BROKERS=${brokers}`);

let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  kcat.kill('SIGTERM');
  await Promise.all([kcatExited, proxy.close()]);
  process.exit(code);
};
kcat.removeAllListeners('exit');
const kcatExited = new Promise((resolve) => kcat.once('exit', resolve));
kcat.once('exit', (code, signal) => {
  if (stopping) return;
  log(`kcat exited (${signal ?? code}): the mock broker is gone`);
  void stop(1);
});
process.once('SIGTERM', () => void stop(0));
process.once('SIGINT', () => void stop(0));
