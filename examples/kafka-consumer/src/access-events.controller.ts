import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { EVENTS_TOPIC, fromKafkaRecord, type HeaderValue } from '#libs/messaging';
import { AccessChangeHandler } from './access-change-handler.js';
import { PROCESSED_EVENTS, type ProcessedEvents } from './processed-events.js';

/**
 * Consumes `access-ledger.events.v1`. Each message is one event in CloudEvents binary mode:
 * attributes in `ce_*` headers, the event data as the JSON value, keyed by organization id
 * (so one organization's events arrive in order, on one partition).
 */
@Controller()
export class AccessEventsController {
  private readonly logger = new Logger('AccessEvents');

  constructor(
    private readonly handler: AccessChangeHandler,
    @Inject(PROCESSED_EVENTS) private readonly processed: ProcessedEvents,
  ) {}

  @EventPattern(EVENTS_TOPIC)
  async onEvent(@Ctx() context: KafkaContext): Promise<void> {
    const message = context.getMessage();
    // Nest's Kafka parser has already turned the JSON value into an object and headers into
    // strings; the types it declares are kafkajs's raw ones, hence the casts.
    const event = fromKafkaRecord(
      message.headers as Record<string, HeaderValue>,
      message.value as unknown as Record<string, unknown> | null,
    );
    if (await this.processed.has(event.id)) {
      this.logger.debug?.(`Skipping ${event.id}: already handled (a redelivery).`);
      return;
    }
    // A throw here reaches kafkajs, which does not commit the offset and delivers the message
    // again; the id is marked only after the side effects succeeded.
    await this.handler.handle(event);
    await this.processed.add(event.id);
  }
}
