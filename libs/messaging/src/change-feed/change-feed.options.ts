/** Tunables of the SSE change feed. */
export interface ChangeFeedOptions {
  /**
   * A comment line sent this often while nothing else is, so proxies and load balancers do not
   * close an idle stream and clients can tell a quiet feed from a dead one. Default 15 s.
   */
  heartbeatMs: number;
  /** The `retry:` hint: how long EventSource clients wait before reconnecting. Default 2 s. */
  retryMs: number;
}

export const DEFAULT_CHANGE_FEED_OPTIONS: ChangeFeedOptions = {
  heartbeatMs: 15_000,
  retryMs: 2_000,
};

/** DI tokens of the feed module. */
export const CHANGE_FEED_EVENT_STORE = Symbol('ChangeFeedEventStore');
export const CHANGE_FEED_OPTIONS = Symbol('ChangeFeedOptions');
