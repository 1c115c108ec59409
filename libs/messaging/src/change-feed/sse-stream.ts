import type { Response } from 'express';

/**
 * One Server-Sent Events response, written with backpressure: `send` resolves only once the
 * socket has taken the event (or the client left), so a slow client slows its own reader
 * instead of growing a buffer in this process.
 */
export class SseStream {
  private closed = false;
  private corked = false;
  private draining: (() => void) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly response: Response,
    private readonly heartbeatMs: number,
  ) {
    response.on('close', () => this.onClose());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends the headers and the reconnect hint; from here on errors can only end the stream. */
  open(retryMs: number): void {
    this.response.status(200);
    this.response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.response.setHeader('Cache-Control', 'no-cache, no-transform');
    this.response.setHeader('Connection', 'keep-alive');
    // Reverse proxies (nginx) buffer responses unless told not to, which would hold events back.
    this.response.setHeader('X-Accel-Buffering', 'no');
    this.response.flushHeaders();
    this.response.write(`retry: ${retryMs}\n\n`);
    this.heartbeat = setInterval(() => {
      // A socket that is not draining has no room for a heartbeat either; skip it.
      if (!this.closed && !this.draining) this.response.write(': heartbeat\n\n');
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  onClosed(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /** One event; `data` is JSON, so it holds no newline and fits one `data:` line. */
  async send(id: string, data: string): Promise<void> {
    if (this.closed) return;
    this.cork();
    if (this.response.write(`id: ${id}\ndata: ${data}\n\n`)) return;
    this.uncork();
    await new Promise<void>((resolve) => {
      this.draining = resolve;
      this.response.once('drain', () => this.drained());
    });
  }

  /** Ends the stream, with a comment saying why when it is not the client's doing. */
  end(reason?: string): void {
    if (this.closed) return;
    if (reason) this.response.write(`: ${reason.replace(/[\r\n]+/g, ' ')}\n\n`);
    this.response.end();
    this.onClose();
  }

  /**
   * Events written in the same turn of the event loop (a catch-up page) leave in one socket
   * write instead of one each; the next turn flushes them.
   */
  private cork(): void {
    if (this.corked) return;
    this.corked = true;
    this.response.cork();
    setImmediate(() => this.uncork());
  }

  private uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.response.uncork();
  }

  private drained(): void {
    const resolve = this.draining;
    this.draining = undefined;
    resolve?.();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.drained();
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
