import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { loadSettings } from '#libs/config';
import { ConsumerModule } from './consumer.module.js';

/**
 * A downstream service consuming Access Ledger's events with Nest's Kafka transport.
 * Run against `docker compose up`: KAFKA_BROKERS=localhost:29092.
 */
const brokers = loadSettings().kafkaBrokers ?? ['localhost:29092'];
const app = await NestFactory.createMicroservice<MicroserviceOptions>(ConsumerModule, {
  transport: Transport.KAFKA,
  options: {
    client: { clientId: 'access-ledger-example-consumer', brokers },
    // One consumer group per service: each service gets every event once (at least once).
    consumer: { groupId: 'access-ledger-example-consumer' },
    // Keep the group id as given (Nest appends "-server" otherwise).
    postfixId: '',
    // A new service starts from the beginning of the topic to build its state.
    subscribe: { fromBeginning: true },
  },
});
app.enableShutdownHooks();
await app.listen();
