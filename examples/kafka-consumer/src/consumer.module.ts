import { Module } from '@nestjs/common';
import { AccessChangeHandler } from './access-change-handler.js';
import { AccessEventsController } from './access-events.controller.js';
import { InMemoryProcessedEvents, PROCESSED_EVENTS } from './processed-events.js';

@Module({
  controllers: [AccessEventsController],
  providers: [
    AccessChangeHandler,
    { provide: PROCESSED_EVENTS, useValue: new InMemoryProcessedEvents() },
  ],
})
export class ConsumerModule {}
