import { SseParser, type CloudEvent, type SseMessage } from '#libs/messaging';

/** A test client of the SSE feed over real HTTP, with fetch and the feed's own parser. */
export class FeedClient {
  readonly messages: SseMessage[] = [];
  raw = '';
  ended = false;
  /** The error body when the feed was refused. */
  body: { code?: string } | undefined;
  private done: Promise<void> = Promise.resolve();

  private constructor(
    readonly status: number,
    private readonly abort: AbortController,
  ) {}

  static async open(
    url: string,
    token: string | undefined,
    lastEventId?: string,
  ): Promise<FeedClient> {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
    const abort = new AbortController();
    const response = await fetch(url, { headers, signal: abort.signal });
    const client = new FeedClient(response.status, abort);
    if (response.status !== 200) {
      client.body = (await response.json()) as { code?: string };
      client.ended = true;
    } else {
      client.done = client.read(response.body as ReadableStream<Uint8Array>);
    }
    return client;
  }

  get envelopes(): CloudEvent[] {
    return this.messages.map((message) => JSON.parse(message.data) as CloudEvent);
  }

  get lastId(): string | undefined {
    return this.messages.at(-1)?.id;
  }

  async waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    await this.until(
      () => this.messages.length >= count,
      timeoutMs,
      () => `${this.messages.length} of ${count} events`,
    );
  }

  async waitForEnd(timeoutMs = 5_000): Promise<void> {
    await this.until(
      () => this.ended,
      timeoutMs,
      () => 'the end of the stream',
    );
  }

  async until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what()}.`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done.catch(() => {});
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) {
        const text = decoder.decode(chunk, { stream: true });
        this.raw += text;
        this.messages.push(...parser.push(text));
      }
    } finally {
      this.ended = true;
    }
  }
}
