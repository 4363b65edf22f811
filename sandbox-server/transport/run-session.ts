/**
 * The runs of one connection: at most one current run, which a new Run replaces cleanly (the old
 * one is cancelled from the queue or stopped, and keeps its slot until its sandbox is gone).
 * Requests go lesson → queue → slot → engine; input is routed to the current run only. The
 * connection's last run's capture is kept for download (CaptureStore) until its next run.
 */
import type { LoadedLesson } from '../judge/judge.ts';
import {
  captureDownloadName,
  type ClientMessage,
  type Notice,
  type RunEndReason,
  type RunEvent,
  type RunRequest,
  type ServerMessage,
} from '../../lib/protocol.ts';
import type { Slot, SlotPool } from '../queue/slot-pool.ts';
import type { AddressLimit } from './address-limits.ts';
import type { CaptureStore } from './capture-store.ts';
import type { RecordedRun } from '../../lib/server/results/schema.ts';
import { EngineInputError, type CaptureFile, type EngineRun, type RunEngine } from './engine.ts';
import { RunTranscript, type LearnerTag } from './run-transcript.ts';

/** One line about every run, for the server log. */
export interface RunLogEntry {
  runId: string;
  lesson: string | undefined;
  address: string;
  queuedMs: number;
  durationMs: number;
  reason: string;
}

export interface SessionContext {
  engine: RunEngine;
  pool: SlotPool;
  runsPerAddress: AddressLimit;
  address: string;
  /** Where finished runs' captures wait for their download; null when downloads are off. */
  captures: CaptureStore | null;
  send(message: ServerMessage): void;
  /**
   * Recording of learners' runs: whom this connection's runs are for (null: anonymous, nothing
   * kept) and where their records go; absent when the server records nothing.
   */
  results?: {
    learner(): LearnerTag | null;
    submit(run: RecordedRun, onGiveUp: () => void): void;
  };
  logRun(entry: RunLogEntry): void;
  logFault(what: string, error: unknown): void;
  /** Why new runs are refused now (the server is draining), or null while they are taken. */
  refuseRuns?: () => Notice | null;
}

type Phase = 'loading' | 'queued' | 'running' | 'ended';
type InputMessage = Extract<ClientMessage, { type: 'stdin' | 'eof' | 'interrupt' }>;

interface Run {
  request: RunRequest;
  phase: Phase;
  stopRequested: boolean;
  createdAt: number;
  startedAt?: number;
  cancelQueue?: () => void;
  handle?: EngineRun;
  /** The reason of the run-finished event sent for it, once sent. */
  reason?: RunEndReason;
  releaseAddress: () => void;
  /** Typed input passed on so far, in bytes. */
  stdinBytes: number;
  /** What is kept of a recorded learner's lesson run until it finishes. */
  transcript?: RunTranscript;
}

/**
 * Typed input one run accepts in total. A program that never reads stdin would otherwise let a
 * client grow the server's pipe buffers for as long as the run lasts; no learner types this much.
 */
export const MAX_STDIN_BYTES_PER_RUN = 1024 * 1024;

/** Said when a server fault ends a run: short, honest, and not the learner's fault. */
export const FAULT_NOTICE: Notice = { code: 'sandbox-failed', params: {} };

export class RunSession {
  private current: Run | null = null;
  /** The run the browser asked for last (still set once it has ended or been stopped). */
  private latest: Run | null = null;
  /** The connection is going away: nobody is left to download anything. */
  private closing = false;
  private readonly live = new Map<string, Run>();
  private idleWaiters: Array<() => void> = [];
  private readonly ctx: SessionContext;

  constructor(ctx: SessionContext) {
    this.ctx = ctx;
  }

  /** Runs not yet fully torn down (the current one and any being replaced). */
  get liveRuns(): number {
    return this.live.size;
  }

  /** Starts a run, replacing the current one. */
  run(request: RunRequest): void {
    const { runId } = request;
    if (this.live.has(runId)) {
      return this.error('bad-message', { code: 'run-id-in-use', params: { runId } }, runId);
    }
    const refusal = this.ctx.refuseRuns?.();
    if (refusal) return this.refuseRun(request, refusal);
    const releaseAddress = this.ctx.runsPerAddress.tryAcquire(this.ctx.address);
    if (!releaseAddress) {
      const max = this.ctx.runsPerAddress.max;
      return this.error('rate-limited', { code: 'rate-limited', params: { max } }, runId);
    }
    if (this.current) this.end(this.current, 'replaced');
    // The browser has moved on to the new run: the previous one's capture is no longer offered.
    this.ctx.captures?.release(this);
    const run: Run = {
      request,
      stdinBytes: 0,
      phase: 'loading',
      stopRequested: false,
      createdAt: performance.now(),
      releaseAddress,
    };
    this.current = run;
    this.latest = run;
    this.live.set(runId, run);
    if (request.lesson) void this.loadThenQueue(run, request.lesson);
    else this.enqueue(run, undefined);
  }

  /**
   * Refuses a run the server will not start (it is draining): the run it would replace is
   * stopped as asked, and the browser hears why and that it should connect again.
   */
  private refuseRun(request: RunRequest, notice: Notice): void {
    if (this.current) this.end(this.current, 'replaced');
    const { runId, lesson } = request;
    this.ctx.send({ type: 'busy', runId, retryAfterSeconds: 1, notice });
    const entry = { runId, lesson, address: this.ctx.address, queuedMs: 0, durationMs: 0 };
    this.ctx.logRun({ ...entry, reason: 'draining' });
  }

  /** Passes typed input, EOF or Ctrl-C to the current run. */
  input(message: InputMessage): void {
    const run = this.runFor(message.runId);
    if (!run) return;
    const handle = run.handle!;
    if (message.type === 'stdin') {
      run.stdinBytes += Buffer.byteLength(message.data);
      if (run.stdinBytes > MAX_STDIN_BYTES_PER_RUN) {
        const maxBytes = MAX_STDIN_BYTES_PER_RUN;
        return this.error('too-large', { code: 'stdin-too-large', params: { maxBytes } }, run);
      }
    }
    try {
      if (message.type === 'stdin') handle.stdin(message.process, message.data);
      else if (message.type === 'eof') handle.eof(message.process);
      else handle.interrupt(message.process);
    } catch (error) {
      this.refuseOrFault(error, `passing ${message.type} to run ${message.runId}`, message.runId);
    }
  }

  /** Stops the current run if it has this id. */
  stop(runId: string): void {
    if (this.current?.request.runId === runId) this.end(this.current, 'stopped');
    else if (!this.live.has(runId))
      this.error('unknown-run', { code: 'unknown-run', params: { runId } }, runId);
  }

  /** Stops everything (the socket closed or the server is shutting down). */
  stopAll(): void {
    this.closing = true;
    for (const run of [...this.live.values()]) this.end(run, 'stopped');
  }

  /** Resolves once every run of this connection is fully torn down. */
  whenIdle(): Promise<void> {
    if (this.live.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private runFor(runId: string): Run | null {
    const run = this.current;
    if (!run || run.request.runId !== runId) {
      this.error('unknown-run', { code: 'unknown-run', params: { runId } }, runId);
      return null;
    }
    if (run.phase !== 'running' || !run.handle) {
      this.error('unknown-run', { code: 'run-not-started', params: { runId } }, runId);
      return null;
    }
    return run;
  }

  private async loadThenQueue(run: Run, slug: string): Promise<void> {
    let lesson: LoadedLesson | undefined;
    try {
      lesson = await this.ctx.engine.loadLesson(slug);
    } catch (error) {
      this.ctx.logFault(`loading lesson ${slug}`, error);
      this.error('internal', { code: 'lesson-load-failed', params: { lesson: slug } }, run);
      this.settle(run, 'lesson-error');
      return;
    }
    if (run.stopRequested) return this.settle(run, 'stopped');
    if (!lesson) {
      this.error('unknown-lesson', { code: 'unknown-lesson', params: { lesson: slug } }, run);
      return this.settle(run, 'unknown-lesson');
    }
    this.enqueue(run, lesson);
  }

  private enqueue(run: Run, lesson: LoadedLesson | undefined): void {
    const { runId, files, lang } = run.request;
    try {
      this.ctx.engine.validate({ runId, files, lang, lesson });
    } catch (error) {
      this.refuseOrFault(error, `checking run ${runId}`, runId);
      return this.settle(run, 'refused');
    }
    const answer = this.ctx.pool.request({
      onPosition: (position) => this.ctx.send({ type: 'queued', runId, position }),
      onSlot: (slot) => this.launch(run, lesson, slot),
    });
    if (answer.kind === 'granted') return this.launch(run, lesson, answer.slot);
    if (answer.kind === 'queued') {
      run.phase = 'queued';
      run.cancelQueue = answer.cancel;
      this.ctx.send({ type: 'queued', runId, position: answer.position });
      return;
    }
    const { slots, waiting } = this.ctx.pool;
    const { retryAfterSeconds } = answer;
    const notice = { code: 'busy', params: { slots, waiting, retryAfterSeconds } } as const;
    this.ctx.send({ type: 'busy', runId, retryAfterSeconds, notice });
    this.settle(run, 'busy');
  }

  private launch(run: Run, lesson: LoadedLesson | undefined, slot: Slot): void {
    run.phase = 'running';
    run.startedAt = performance.now();
    const { runId, files, lang, seed } = run.request;
    const learner = this.ctx.results?.learner();
    if (learner && lesson) run.transcript = new RunTranscript(learner, lesson.id, files);
    let handle: EngineRun;
    try {
      const emit = (event: RunEvent): void => this.forward(run, event);
      const capture = this.ctx.captures
        ? (file: CaptureFile): void => this.keepCapture(run, file)
        : undefined;
      const request = { runId, files, lang, lesson, slot: slot.index, seed };
      handle = this.ctx.engine.start(request, emit, capture);
    } catch (error) {
      slot.release();
      if (error instanceof EngineInputError) {
        this.error(error.code, error.notice, runId);
        return this.settle(run, 'refused');
      }
      this.ctx.logFault(`starting run ${runId}`, error);
      this.finishIfSilent(run, 'error', FAULT_NOTICE);
      return this.settle(run, 'error');
    }
    run.handle = handle;
    handle.done
      .catch((error: unknown) => {
        this.ctx.logFault(`run ${runId}`, error);
        this.finishIfSilent(run, 'error', FAULT_NOTICE);
      })
      .finally(() => {
        slot.release();
        this.finishIfSilent(run, 'error', FAULT_NOTICE);
        this.settle(run, run.reason ?? 'error');
      });
    if (run.stopRequested) this.stopHandle(run);
  }

  private forward(run: Run, event: RunEvent): void {
    if (event.type === 'run-finished') {
      if (run.reason) return;
      run.reason = event.reason;
    }
    run.transcript?.observe(event);
    this.ctx.send({ ...event, runId: run.request.runId });
    if (event.type === 'run-finished') this.record(run, event);
  }

  /** Hands a recorded run to be saved; if it never is, the learner hears so on this run. */
  private record(run: Run, finished: Extract<RunEvent, { type: 'run-finished' }>): void {
    const transcript = run.transcript;
    if (!transcript || !this.ctx.results) return;
    run.transcript = undefined;
    const { runId } = run.request;
    this.ctx.results.submit(transcript.finish(finished), () =>
      this.ctx.send({
        type: 'run-not-saved',
        runId,
        notice: { code: 'run-not-saved', params: {} },
      }),
    );
  }

  /**
   * Keeps a run's capture for download and tells the browser where it is (capture-ready, before
   * the run-finished that follows). Not for a run the browser has replaced or left: it would
   * only take room from captures someone can still ask for.
   */
  private keepCapture(run: Run, file: CaptureFile): void {
    const store = this.ctx.captures;
    if (!store || file.packets === 0 || run.reason || this.closing || this.latest !== run) return;
    const { runId, lesson } = run.request;
    const fileName = captureDownloadName(runId, lesson);
    const ticket = store.put(this, { runId, fileName, bytes: file.bytes });
    if (!ticket) return; // larger than every download together may be
    this.forward(run, {
      type: 'capture-ready',
      runId,
      token: ticket.token,
      packets: file.packets,
      bytes: file.bytes.length,
      truncated: file.truncated,
      expiresInSeconds: ticket.expiresInSeconds,
    });
  }

  /** Makes sure the browser always hears how a run ended, even when the engine failed to say. */
  private finishIfSilent(run: Run, reason: RunEndReason, notice: Notice): void {
    if (run.reason) return;
    const durationMs = run.startedAt === undefined ? 0 : performance.now() - run.startedAt;
    this.forward(run, {
      type: 'run-finished',
      runId: run.request.runId,
      reason,
      notice,
      durationMs,
    });
  }

  private end(run: Run, why: 'stopped' | 'replaced'): void {
    run.stopRequested = true;
    if (this.current === run) this.current = null;
    if (run.phase === 'queued') {
      run.cancelQueue?.();
      const code = why === 'replaced' ? 'replaced-before-start' : 'stopped-before-start';
      this.finishIfSilent(run, 'stopped', { code, params: {} });
      this.settle(run, 'stopped');
    } else if (run.phase === 'running') {
      this.stopHandle(run);
    }
  }

  private stopHandle(run: Run): void {
    try {
      run.handle?.stop();
    } catch (error) {
      this.ctx.logFault(`stopping run ${run.request.runId}`, error);
    }
  }

  private settle(run: Run, outcome: string): void {
    if (run.phase === 'ended') return;
    const queuedMs = (run.startedAt ?? performance.now()) - run.createdAt;
    const durationMs = run.startedAt === undefined ? 0 : performance.now() - run.startedAt;
    run.phase = 'ended';
    run.releaseAddress();
    if (this.current === run) this.current = null;
    this.live.delete(run.request.runId);
    const { runId, lesson } = run.request;
    this.ctx.logRun({
      runId,
      lesson,
      address: this.ctx.address,
      queuedMs,
      durationMs,
      reason: outcome,
    });
    if (this.live.size === 0) this.wakeIdleWaiters();
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Forwards an input error as it is; anything else is a server fault, logged and said so. */
  private refuseOrFault(error: unknown, what: string, runId: string): void {
    if (error instanceof EngineInputError) return this.error(error.code, error.notice, runId);
    this.ctx.logFault(what, error);
    this.error('internal', { code: 'internal', params: {} }, runId);
  }

  private error(
    code: Extract<ServerMessage, { type: 'error' }>['code'],
    notice: Notice,
    about?: Run | string,
  ): void {
    const runId = typeof about === 'string' ? about : about?.request.runId;
    this.ctx.send({ type: 'error', code, notice, ...(runId ? { runId } : {}) });
  }
}
