import { comparePositions, type Position } from '#libs/event-store';

interface Waiter {
  position: Position;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

/**
 * Callers waiting for the read models to reach a position (R35 `?minPosition=`). Each waits
 * a bounded time; `advance` releases those whose position has been reached.
 */
export class PositionWaiters {
  private readonly waiters = new Set<Waiter>();

  wait(position: Position, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        resolve,
        timer: setTimeout(() => this.settle(waiter, false), Math.max(0, timeoutMs)),
      };
      this.waiters.add(waiter);
    });
  }

  /** Releases every waiter at or before `reached`. */
  advance(reached: Position): void {
    for (const waiter of this.waiters) {
      if (comparePositions(waiter.position, reached) <= 0) this.settle(waiter, true);
    }
  }

  /** Answers every waiter `false` now: the projector stopped and will not get there. */
  releaseAll(): void {
    for (const waiter of this.waiters) this.settle(waiter, false);
  }

  get size(): number {
    return this.waiters.size;
  }

  private settle(waiter: Waiter, reached: boolean): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    waiter.resolve(reached);
  }
}
