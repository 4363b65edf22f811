/**
 * Posts recorded runs to the app, retrying with backoff when the app is unreachable or failing,
 * so a restart of the app loses nothing. The queue is bounded (runs and bytes): a run that does
 * not fit, or that every attempt failed for, is given up and its learner told (`onGiveUp`), never
 * dropped in silence. A few posts run at once; the rest wait their turn in order.
 */
import type { RecordedRun } from '../../lib/server/results/schema.ts';
import type { AppEndpoints } from './app-client.ts';

export interface ResultPosterOptions {
  /** Attempts per run, the first included. */
  maxAttempts: number;
  /** Delay before the second attempt; it doubles each time (±20 % jitter), up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Runs held at once (waiting, posting or waiting to retry). */
  maxQueued: number;
  /** Bytes of JSON held at once. */
  maxQueuedBytes: number;
  /** Posts in flight at once. */
  concurrency: number;
}

/** 6 attempts over ~30 s: enough for an app restart; 1000 runs or 64 MiB held at most. */
export const DEFAULT_POSTER_OPTIONS: ResultPosterOptions = {
  maxAttempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 16_000,
  maxQueued: 1000,
  maxQueuedBytes: 64 * 1024 * 1024,
  concurrency: 4,
};

interface Pending {
  run: RecordedRun;
  bytes: number;
  attempt: number;
  onGiveUp: () => void;
}

export interface PosterLog {
  info(line: string): void;
  fault(what: string, error: unknown): void;
}

export class ResultPoster {
  private readonly app: Pick<AppEndpoints, 'postRun'>;
  private readonly options: ResultPosterOptions;
  private readonly log: PosterLog;
  private readonly random: () => number;
  private readonly ready: Pending[] = [];
  /** Runs waiting out their backoff, by timer. */
  private readonly waiting = new Map<ReturnType<typeof setTimeout>, Pending>();
  private closed = false;
  private held = 0;
  private heldBytes = 0;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    app: Pick<AppEndpoints, 'postRun'>,
    log: PosterLog,
    options: Partial<ResultPosterOptions> = {},
    random: () => number = Math.random,
  ) {
    this.app = app;
    this.log = log;
    this.options = { ...DEFAULT_POSTER_OPTIONS, ...options };
    this.random = random;
  }

  /** Runs held now (for tests and /health). */
  get pending(): number {
    return this.held;
  }

  /** Queues a run for posting; `onGiveUp` is called (once) if it is never recorded. */
  submit(run: RecordedRun, onGiveUp: () => void): void {
    const bytes = Buffer.byteLength(JSON.stringify(run));
    const { maxQueued, maxQueuedBytes } = this.options;
    if (this.closed) {
      onGiveUp();
      return;
    }
    if (this.held + 1 > maxQueued || this.heldBytes + bytes > maxQueuedBytes) {
      this.log.info(`run record ${run.id} not saved: the queue of unsaved runs is full`);
      onGiveUp();
      return;
    }
    this.held += 1;
    this.heldBytes += bytes;
    this.ready.push({ run, bytes, attempt: 0, onGiveUp });
    this.pump();
  }

  /** Resolves once nothing is queued, posting or waiting to retry. */
  whenIdle(): Promise<void> {
    if (this.held === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Gives up every run still held (the front is shutting down) and stops retrying. */
  close(): void {
    this.closed = true;
    const left = [...this.waiting.values(), ...this.ready.splice(0)];
    for (const timer of this.waiting.keys()) clearTimeout(timer);
    this.waiting.clear();
    for (const item of left) this.giveUp(item, 'the server is shutting down');
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.ready.length > 0) {
      const item = this.ready.shift()!;
      this.inFlight += 1;
      void this.attempt(item).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async attempt(item: Pending): Promise<void> {
    item.attempt += 1;
    const answer = await this.app.postRun(item.run);
    if (answer.kind === 'recorded' || answer.kind === 'duplicate') return this.release(item);
    if (answer.kind === 'refused') {
      this.log.fault(`recording run ${item.run.id}`, new Error(answer.why));
      return this.giveUp(item, answer.why);
    }
    if (item.attempt >= this.options.maxAttempts || this.closed)
      return this.giveUp(item, answer.why);
    const timer = setTimeout(() => {
      this.waiting.delete(timer);
      this.ready.push(item);
      this.pump();
    }, this.delayBefore(item.attempt));
    this.waiting.set(timer, item);
  }

  /** Delay before attempt number `done + 1`. */
  private delayBefore(done: number): number {
    const { baseDelayMs, maxDelayMs } = this.options;
    const base = Math.min(maxDelayMs, baseDelayMs * 2 ** (done - 1));
    return Math.round(base * (0.8 + 0.4 * this.random()));
  }

  private giveUp(item: Pending, why: string): void {
    this.log.info(`run record ${item.run.id} not saved after ${item.attempt} attempts: ${why}`);
    this.release(item);
    try {
      item.onGiveUp();
    } catch (error) {
      this.log.fault('telling a learner a run was not saved', error);
    }
  }

  private release(item: Pending): void {
    this.held -= 1;
    this.heldBytes -= item.bytes;
    if (this.held === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
