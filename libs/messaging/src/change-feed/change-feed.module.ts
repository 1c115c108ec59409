import { Module, type DynamicModule } from '@nestjs/common';
import type { EventStore } from '#libs/event-store';
import { ChangeFeedController } from './change-feed.controller.js';
import {
  CHANGE_FEED_EVENT_STORE,
  CHANGE_FEED_OPTIONS,
  DEFAULT_CHANGE_FEED_OPTIONS,
  type ChangeFeedOptions,
} from './change-feed.options.js';
import { ChangeFeedService } from './change-feed.service.js';

/**
 * `GET /v1/orgs/:orgId/changes` and `GET /v1/support/changes`. Authentication comes from the
 * global guard of HttpCoreModule (libs/http), which the importing app registers once.
 */
@Module({})
export class ChangeFeedModule {
  static forRoot(eventStore: EventStore, options: Partial<ChangeFeedOptions> = {}): DynamicModule {
    return {
      module: ChangeFeedModule,
      controllers: [ChangeFeedController],
      providers: [
        { provide: CHANGE_FEED_EVENT_STORE, useValue: eventStore },
        { provide: CHANGE_FEED_OPTIONS, useValue: { ...DEFAULT_CHANGE_FEED_OPTIONS, ...options } },
        ChangeFeedService,
      ],
    };
  }
}
