import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Settings } from '#libs/config';
import type { EventStore } from '#libs/event-store';
import { Metrics, READINESS_PROBES, type ReadinessProbe } from '#libs/http';
import { registerPublisherMetrics } from '../../publisher/src/publisher-metrics.js';
import type { Publisher } from '../../publisher/src/publisher.port.js';
import { PUBLISH_STALL_MS, relayProblem } from '../../publisher/src/relay-readiness.js';
import { startKafkaPublisher, type RunningPublisher } from '../../publisher/src/start-publisher.js';

export const STANDALONE_SETTINGS = Symbol('Settings');
export const STANDALONE_EVENT_STORE = Symbol('EventStore');
export const STANDALONE_PUBLISHING = Symbol('PublishingOptions');

export interface PublishingOptions {
  /** The broker in place of Kafka (tests). */
  broker?: Publisher;
  /** How long publishing may fail, events waiting, before readiness fails. */
  stallMs?: number;
}

/**
 * Runs the Kafka relay in the standalone process when KAFKA_BROKERS is set (Kafka is off
 * otherwise: README, Settings), logging through the app's logger, with the same series on /metrics
 * as apps/publisher and a readiness probe that fails with the relay (ADR 26). It stops before the
 * stores close, like the projector.
 */
@Injectable()
export class PublisherLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  publisher: RunningPublisher | undefined;

  constructor(
    @Inject(STANDALONE_SETTINGS) private readonly settings: Settings,
    @Inject(STANDALONE_EVENT_STORE) private readonly eventStore: EventStore,
    private readonly metrics: Metrics,
    @Inject(READINESS_PROBES) private readonly probes: ReadinessProbe[],
    @Inject(STANDALONE_PUBLISHING) private readonly options: PublishingOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.publisher = await startKafkaPublisher(
      this.settings,
      this.eventStore,
      new Logger('Publisher'),
      this.options.broker,
    );
    if (!this.publisher) return;
    const { relay } = this.publisher;
    registerPublisherMetrics(this.metrics.registry, relay);
    const stallMs = this.options.stallMs ?? PUBLISH_STALL_MS;
    this.probes.push({
      name: 'publisher',
      check: async () => relayProblem(await relay.lag(), stallMs),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.publisher?.stop();
  }
}
