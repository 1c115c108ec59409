/** One Server-Sent Event as a client sees it. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/**
 * An incremental parser of a `text/event-stream` (the WHATWG rules a consumer needs: fields,
 * multi-line data, comments ignored), for clients without EventSource: Node services, tests,
 * the bench. Feed it chunks as they arrive; it returns the events completed so far.
 */
export class SseParser {
  private buffer = '';
  private current: { id?: string; event?: string; data: string[] } = { data: [] };
  /** The id of the last event, to send back as `Last-Event-ID` on reconnect. */
  lastEventId: string | undefined;

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.current.data.push(value);
    else if (field === 'id') this.current.id = value;
    else if (field === 'event') this.current.event = value;
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const { id, event, data } = this.current;
    this.current = { data: [] };
    if (id !== undefined) this.lastEventId = id;
    if (data.length === 0) return undefined;
    return {
      ...(id !== undefined ? { id } : {}),
      ...(event ? { event } : {}),
      data: data.join('\n'),
    };
  }
}
