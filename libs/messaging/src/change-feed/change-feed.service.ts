import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Actor } from '#libs/domain';
import {
  comparePositions,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '#libs/event-store';
import { toCloudEvent } from '../cloud-event.js';
import {
  CHANGE_FEED_EVENT_STORE,
  CHANGE_FEED_OPTIONS,
  type ChangeFeedOptions,
} from './change-feed.options.js';
import { OrganizationView, organizationStream } from './feed-reader.js';
import type { SseStream } from './sse-stream.js';

const later = (a: Position, b: Position): Position => (comparePositions(a, b) >= 0 ? a : b);

/**
 * Streams envelopes (the same CloudEvents as Kafka, secrets stripped) to SSE clients, each
 * event exactly once and in global order, starting after the position the client resumes from.
 * The SSE `id` of each event is its position, so an EventSource resumes by itself.
 */
@Injectable()
export class ChangeFeedService {
  private readonly logger = new Logger('ChangeFeed');

  constructor(
    @Inject(CHANGE_FEED_EVENT_STORE) private readonly store: EventStore,
    @Inject(CHANGE_FEED_OPTIONS) private readonly options: ChangeFeedOptions,
  ) {}

  /**
   * One organization's events, for its readers of R40. Catch-up reads only its stream (not the whole store); live
   * events come from a subscription started at the head seen before that read, so an event
   * appended in between arrives twice and the second copy is dropped by position.
   */
  async organizationFeed(
    actor: Actor,
    organizationId: string,
    after: Position,
    sse: SseStream,
  ): Promise<void> {
    const stream = organizationStream(organizationId);
    const head = await this.store.headPosition();
    const history = await this.store.readStream(stream);
    const view = new OrganizationView();
    for (const event of history) view.fold(event);
    // Before any byte is written, so a refusal is an ordinary 404 (S1), 403 (R40) or 401 (S5).
    const refusal = view.refusal(actor, new Date().toISOString());
    if (refusal) throw refusal;

    sse.open(this.options.retryMs);
    let folded = history.at(-1)?.position ?? '0';
    let sent = after;
    for (const event of history) {
      if (sse.isClosed) return;
      if (comparePositions(event.position, sent) <= 0) continue;
      if (!(await this.send(event, sse))) return;
      sent = event.position;
    }
    this.follow(sse, head, async (event) => {
      if (event.stream !== stream || comparePositions(event.position, folded) <= 0) return;
      view.fold(event);
      folded = event.position;
      if (view.refusal(actor, new Date().toISOString())) {
        sse.end('access ended: this actor no longer may read this feed (R40)');
        return;
      }
      if (comparePositions(event.position, sent) <= 0) return;
      if (await this.send(event, sse)) sent = later(event.position, sent);
    });
  }

  /** Every organization's events, for support and auditors only (404 for anyone else, S1). */
  async allFeed(actor: Actor, after: Position, sse: SseStream): Promise<void> {
    // Only support and auditors get here: /v1/support routes admit no one else (libs/http).
    sse.open(this.options.retryMs);
    this.follow(sse, after, async (event) => {
      await this.send(event, sse);
    });
  }

  /** Subscribes from `from` until the client leaves or the store fails. */
  private follow(
    sse: SseStream,
    from: Position,
    handler: (event: RecordedEvent) => Promise<void>,
  ): void {
    if (sse.isClosed) return;
    const subscription: Subscription = this.store.subscribe({ from }, handler, (error) => {
      this.logger.warn(`A change feed stopped: ${(error as Error).message}`);
      sse.end('the feed stopped on our side; reconnect with Last-Event-ID to resume');
    });
    sse.onClosed(() => void subscription.close());
  }

  /** False when the stream had to end: an event this release cannot publish is never skipped. */
  private async send(event: RecordedEvent, sse: SseStream): Promise<boolean> {
    let data: string;
    try {
      data = JSON.stringify(toCloudEvent(event));
    } catch (error) {
      this.logger.error(
        `Event ${event.id} at ${event.position} cannot be published: ${(error as Error).message}`,
      );
      sse.end(
        `event at position ${event.position} cannot be published by this release; retry later`,
      );
      return false;
    }
    await sse.send(event.position, data);
    return !sse.isClosed;
  }
}
