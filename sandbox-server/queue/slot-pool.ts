/**
 * A bounded pool of run slots with a FIFO queue in front of it. Pure logic: it knows nothing of
 * sockets or sandboxes, so it is unit-tested with fake runs. Every slot is held from the moment a
 * run is granted until its sandbox is fully torn down, so the pool bounds real host load.
 */

/** A granted slot: its index (0 … slots-1) and a release that frees it exactly once. */
export interface Slot {
  index: number;
  release(): void;
}

/** Someone waiting in the queue. Callbacks must not throw; the pool guards them anyway. */
export interface QueueWaiter {
  /** Called with the 1-based queue position whenever it changes. */
  onPosition(position: number): void;
  /** Called once when a slot is granted to this waiter. */
  onSlot(slot: Slot): void;
}

/** The answer to a request: a slot now, a place in the queue, or an honest "full". */
export type SlotRequest =
  | { kind: 'granted'; slot: Slot }
  | { kind: 'queued'; position: number; cancel(): void }
  | { kind: 'full'; retryAfterSeconds: number };

export interface SlotPoolOptions {
  slots: number;
  queueMax: number;
  /** Guess of how long a run holds a slot before any run has finished, in seconds. */
  initialHoldSeconds?: number;
  now?: () => number;
  /** Where a throwing callback is reported; the pool itself carries on. */
  onCallbackError?: (error: unknown) => void;
}

interface Waiting {
  waiter: QueueWaiter;
}

/** Weight of the newest hold time in the moving average used for retry estimates. */
const HOLD_AVERAGE_WEIGHT = 0.2;

export class SlotPool {
  readonly slots: number;
  readonly queueMax: number;
  private readonly free: number[];
  private readonly queue: Waiting[] = [];
  private readonly now: () => number;
  private readonly onCallbackError: (error: unknown) => void;
  private averageHoldMs: number;

  constructor(options: SlotPoolOptions) {
    if (!Number.isInteger(options.slots) || options.slots < 1)
      throw new Error('slots must be a positive integer');
    if (!Number.isInteger(options.queueMax) || options.queueMax < 0)
      throw new Error('queueMax must be ≥ 0');
    this.slots = options.slots;
    this.queueMax = options.queueMax;
    this.free = Array.from({ length: options.slots }, (_, index) => index);
    this.now = options.now ?? Date.now;
    this.onCallbackError = options.onCallbackError ?? (() => {});
    this.averageHoldMs = (options.initialHoldSeconds ?? 2) * 1000;
  }

  /** Slots currently held. */
  get busy(): number {
    return this.slots - this.free.length;
  }

  /** Runs waiting in the queue. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Asks for a slot: granted at once when one is free and nobody waits, else queued, else full. */
  request(waiter: QueueWaiter): SlotRequest {
    if (this.queue.length === 0 && this.free.length > 0)
      return { kind: 'granted', slot: this.take() };
    if (this.queue.length >= this.queueMax)
      return { kind: 'full', retryAfterSeconds: this.retryAfterSeconds() };
    const entry: Waiting = { waiter };
    this.queue.push(entry);
    return { kind: 'queued', position: this.queue.length, cancel: () => this.cancel(entry) };
  }

  /** An honest estimate of when a slot may be free for a newcomer, in whole seconds (1–300). */
  retryAfterSeconds(): number {
    const rounds = (this.queue.length + 1) / this.slots;
    return Math.min(300, Math.max(1, Math.ceil((rounds * this.averageHoldMs) / 1000)));
  }

  private take(): Slot {
    this.free.sort((a, b) => a - b);
    const index = this.free.shift()!;
    const grantedAt = this.now();
    let released = false;
    return {
      index,
      release: () => {
        if (released) return;
        released = true;
        this.recordHold(this.now() - grantedAt);
        this.free.push(index);
        this.dispatch();
      },
    };
  }

  private recordHold(ms: number): void {
    this.averageHoldMs += HOLD_AVERAGE_WEIGHT * (ms - this.averageHoldMs);
  }

  private cancel(entry: Waiting): void {
    const at = this.queue.indexOf(entry);
    if (at < 0) return;
    this.queue.splice(at, 1);
    this.announcePositions(at);
  }

  /** Hands free slots to the head of the queue, then tells everyone behind where they now stand. */
  private dispatch(): void {
    let moved = false;
    while (this.free.length > 0 && this.queue.length > 0) {
      const entry = this.queue.shift()!;
      moved = true;
      const slot = this.take();
      // A waiter that throws cannot have started its run, so its slot goes back to the pool.
      if (!this.guard(() => entry.waiter.onSlot(slot))) slot.release();
    }
    if (moved) this.announcePositions(0);
  }

  private announcePositions(from: number): void {
    for (let i = from; i < this.queue.length; i++) {
      const entry = this.queue[i]!;
      this.guard(() => entry.waiter.onPosition(i + 1));
    }
  }

  private guard(callback: () => void): boolean {
    try {
      callback();
      return true;
    } catch (error) {
      this.onCallbackError(error);
      return false;
    }
  }
}
