/**
 * A run engine with no sandbox behind it, for testing the transport: each run is driven by the
 * test (emit events, finish it) and records what the transport asked of it.
 */
import type { RunEvent } from '../../lib/protocol.ts';
import type { LoadedLesson } from '../judge/judge.ts';
import {
  EngineInputError,
  type CaptureFile,
  type EngineRun,
  type EngineRunRequest,
  type RunEngine,
} from './engine.ts';

export interface FakeRun extends EngineRun {
  request: EngineRunRequest;
  emit(event: RunEvent): void;
  /** Sends run-finished (unless stopped already did) and settles `done`. */
  finish(reason?: 'completed' | 'stopped'): void;
  fail(error: Error): void;
  /** Hands the transport a capture, as the real engine does before run-finished; false if it asked for none. */
  capture(file: CaptureFile): boolean;
  calls: string[];
  stopped: boolean;
}

export class FakeEngine implements RunEngine {
  readonly runs: FakeRun[] = [];
  lessons = new Map<string, LoadedLesson>();
  /** When set, `start` throws it (a server fault). */
  startError: Error | null = null;
  /** When true, `stop` finishes the run at once, like the real engine does after teardown. */
  stopFinishes = true;
  /** Every demand passed to warmUp, oldest first. */
  readonly warmUps: Array<Array<{ lesson: LoadedLesson; count: number }>> = [];
  private waiters: Array<() => void> = [];

  warmUp(demand: Array<{ lesson: LoadedLesson; count: number }>): void {
    this.warmUps.push(demand);
  }

  async loadLesson(slug: string): Promise<LoadedLesson | undefined> {
    if (slug === 'broken') throw new Error('check.ts has a syntax error');
    return this.lessons.get(slug);
  }

  validate(request: Omit<EngineRunRequest, 'slot'>): void {
    if (request.files.some((file) => file.name === 'dup.py')) {
      throw new EngineInputError('bad-message', {
        code: 'duplicate-file',
        params: { file: 'dup.py' },
      });
    }
  }

  start(
    request: EngineRunRequest,
    emit: (event: RunEvent) => void,
    capture?: (file: CaptureFile) => void,
  ): EngineRun {
    if (this.startError) throw this.startError;
    let settle!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const done = new Promise((resolve, fail) => {
      settle = resolve;
      reject = fail;
    });
    const startedAt = performance.now();
    const run: FakeRun = {
      request,
      calls: [],
      stopped: false,
      done,
      emit,
      stdin: (process, data) => {
        if (process === 'crash.py') throw new Error('pipe exploded');
        if (process !== 'main.py')
          throw new EngineInputError('unknown-process', {
            code: 'unknown-process',
            params: { process },
          });
        run.calls.push(`stdin ${process} ${data}`);
      },
      eof: (process) => run.calls.push(`eof ${process}`),
      interrupt: (process) => run.calls.push(`interrupt ${process}`),
      stop: () => {
        run.calls.push('stop');
        run.stopped = true;
        if (this.stopFinishes) queueMicrotask(() => run.finish('stopped'));
      },
      finish: (reason = 'completed') => {
        const durationMs = performance.now() - startedAt;
        const code = reason === 'stopped' ? 'run-stopped' : 'run-completed';
        const notice = { code, params: {} } as const;
        emit({ type: 'run-finished', runId: request.runId, reason, notice, durationMs });
        settle(undefined);
      },
      fail: (error) => reject(error),
      capture: (file) => {
        capture?.(file);
        return capture !== undefined;
      },
    };
    emit({
      type: 'run-started',
      seed: 7,
      runId: request.runId,
      processes: [],
      limits: { wallSeconds: 10, outputBytes: 1 << 20 },
    });
    this.runs.push(run);
    this.wake();
    return run;
  }

  /** Waits until the engine has started `count` runs in total. */
  async started(count: number): Promise<FakeRun> {
    while (this.runs.length < count)
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.runs[count - 1]!;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
