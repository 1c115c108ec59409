import { connect, type Socket } from 'node:net';
/**
 * The load generator of bench/http-reads.bench.ts, run as a child process so that it has an
 * event loop (and, on two cores, a core) of its own while the server under test keeps the
 * bench's process, whose CPU time then counts the server's work alone. A hand-written HTTP/1.1 client on keep-alive sockets: it writes one GET per
 * socket at a time and reads the answer by its Content-Length, checking the status and the
 * body's length, so that the client costs far less than the server it measures.
 */

export interface Target {
  port: number;
  /** The request as written on the socket: GET line and headers, ending in a blank line. */
  request: string;
  /** The answer every request must get: its status and body length. */
  status: number;
  bodyLength: number;
}

/** As many requests as `connections` sockets answer in `ms`, one in flight on each. */
export interface ClosedLoop extends Target {
  kind: 'closed';
  connections: number;
  ms: number;
}

/** Requests sent at a fixed rate for `ms`, each timed from its send to its whole answer. */
export interface FixedRate extends Target {
  kind: 'rate';
  perSecond: number;
  ms: number;
  /** Sockets opened up front; a request due while all are busy waits for one (and says so). */
  connections: number;
}

export type LoadJob = ClosedLoop | FixedRate;

export interface LoadResult {
  completed: number;
  seconds: number;
  /** Milliseconds from send to the last byte of the answer, one per request (rate mode). */
  latencies?: Float64Array;
  /** Requests that found every socket busy when due (rate mode). */
  queued?: number;
  /** Largest delay of a send past its due time, ms (rate mode): the client's own lateness. */
  maxSendDelayMs?: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive socket with at most one request in flight. */
class Connection {
  private head: Buffer | undefined;
  private remaining = -1;
  private done: ((error?: Error) => void) | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly target: Target,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the server closed a keep-alive socket')));
  }

  static open(target: Target): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect(target.port, '127.0.0.1');
      socket.once('connect', () => resolve(new Connection(socket, target)));
      socket.once('error', reject);
    });
  }

  send(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.done = (error) => (error ? reject(error) : resolve());
      this.socket.write(this.target.request);
    });
  }

  close(): void {
    this.socket.removeAllListeners('close');
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    if (this.remaining >= 0) {
      this.remaining -= chunk.length;
    } else {
      const head = this.head ? Buffer.concat([this.head, chunk]) : chunk;
      const end = head.indexOf(HEADER_END);
      if (end < 0) {
        this.head = head;
        return;
      }
      this.head = undefined;
      const text = head.toString('latin1', 0, end);
      const status = Number(text.slice(9, 12));
      const length = /\r\ncontent-length: *(\d+)/i.exec(text);
      if (status !== this.target.status || !length) {
        return this.fail(new Error(`answered ${text.split('\r\n')[0]}, not ${this.target.status}`));
      }
      if (Number(length[1]) !== this.target.bodyLength) {
        return this.fail(new Error(`a body of ${length[1]} bytes, not ${this.target.bodyLength}`));
      }
      this.remaining = Number(length[1]) - (head.length - end - HEADER_END.length);
    }
    if (this.remaining < 0) return this.fail(new Error('more bytes than one answer'));
    if (this.remaining === 0) {
      this.remaining = -1;
      const done = this.done;
      this.done = undefined;
      done?.();
    }
  }

  private fail(error: Error): void {
    const done = this.done;
    this.done = undefined;
    done?.(error);
  }
}

async function closedLoop(job: ClosedLoop): Promise<LoadResult> {
  const connections = await Promise.all(
    Array.from({ length: job.connections }, () => Connection.open(job)),
  );
  const started = performance.now();
  const deadline = started + job.ms;
  let completed = 0;
  try {
    await Promise.all(
      connections.map(async (connection) => {
        while (performance.now() < deadline) {
          await connection.send();
          completed++;
        }
      }),
    );
  } finally {
    for (const connection of connections) connection.close();
  }
  return { completed, seconds: (performance.now() - started) / 1000 };
}

async function fixedRate(job: FixedRate): Promise<LoadResult> {
  const idle = await Promise.all(
    Array.from({ length: job.connections }, () => Connection.open(job)),
  );
  const all = [...idle];
  const total = Math.floor((job.perSecond * job.ms) / 1000);
  const latencies = new Float64Array(total);
  const waiting: Array<() => void> = [];
  let queued = 0;
  let maxSendDelayMs = 0;
  let completed = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  const sendOne = async (index: number, due: number): Promise<void> => {
    let connection = idle.pop();
    if (!connection) {
      queued++;
      await new Promise<void>((resolve) => waiting.push(resolve));
      connection = idle.pop()!;
    }
    const sent = performance.now();
    maxSendDelayMs = Math.max(maxSendDelayMs, sent - due);
    await connection.send();
    latencies[index] = performance.now() - sent;
    completed++;
    idle.push(connection);
    waiting.shift()?.();
  };
  try {
    let next = 0;
    while (next < total) {
      const now = performance.now();
      // Every request due by now goes out, so a late timer does not lower the rate.
      while (next < total && started + (next * 1000) / job.perSecond <= now) {
        inFlight.push(sendOne(next, started + (next * 1000) / job.perSecond));
        next++;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(inFlight);
  } finally {
    for (const connection of all) connection.close();
  }
  return {
    completed,
    seconds: (performance.now() - started) / 1000,
    latencies,
    queued,
    maxSendDelayMs,
  };
}

process.on('message', (job: LoadJob) => {
  const run = job.kind === 'closed' ? closedLoop(job) : fixedRate(job);
  run.then(
    (result) => process.send!({ result }),
    (error: Error) => process.send!({ error: error.message }),
  );
});
// Ends with the bench: the IPC channel is all that keeps this process alive between jobs.
process.on('disconnect', () => process.exit(0));
