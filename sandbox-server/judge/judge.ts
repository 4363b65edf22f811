/**
 * The one judge of lesson runs, used by the sandbox front, the CLI and the content tests alike.
 * Instructor code (a lesson's check.ts) runs only in its worker, a child process, never in the
 * server: loading a lesson and judging a run are requests to that worker. A check that does not
 * return in time (even a synchronous endless loop) or exhausts its heap costs the worker, not
 * the server: the worker is killed, the check is reported as `error`, and the next request gets
 * a fresh worker. (A worker thread would share the server's process, and V8 aborts the whole
 * process when a thread runs out of memory.)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunRecord } from '../../lib/lessons/define.ts';
import { renderNotice } from '../../lib/notices/catalog.ts';
import type { CheckResult, Lang } from '../../lib/protocol.ts';
import type { CheckInfo, JudgeReply, JudgeRequest, LoadedLesson } from './protocol.ts';

export type { CheckInfo, LoadedLesson };

/** Longest a single check may take before it counts as an error. */
export const CHECK_TIMEOUT_MS = 5000;

/** How long importing a check.ts may take (a module with an endless loop at its top level). */
export const LOAD_TIMEOUT_MS = 10_000;

/** Most heap a worker may use, so a check that hoards memory fails alone. */
const WORKER_HEAP_MIB = 256;

export interface JudgeOptions {
  checkTimeoutMs?: number;
  loadTimeoutMs?: number;
}

type Pending = (reply: JudgeReply) => boolean;

/** Loads lessons and judges runs in a worker thread. */
export class Judge {
  private readonly contentDir: string;
  private readonly checkTimeoutMs: number;
  private readonly loadTimeoutMs: number;
  private worker: ChildProcess | null = null;
  private pending: { id: number; onReply: Pending; onLost: (why: string) => void } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(contentDir: string, options: JudgeOptions = {}) {
    this.contentDir = contentDir;
    this.checkTimeoutMs = options.checkTimeoutMs ?? CHECK_TIMEOUT_MS;
    this.loadTimeoutMs = options.loadTimeoutMs ?? LOAD_TIMEOUT_MS;
  }

  /** The lesson `slug` as data, or undefined when there is none; throws for a broken lesson. */
  load(slug: string): Promise<LoadedLesson | undefined> {
    return this.serially(
      () =>
        new Promise<LoadedLesson | undefined>((resolve, reject) => {
          const timer = this.deadline(this.loadTimeoutMs, () =>
            reject(
              new Error(`${slug}: check.ts did not load within ${this.loadTimeoutMs / 1000} s`),
            ),
          );
          this.send(
            { id: this.nextId++, op: 'load', slug },
            {
              onReply: (reply) => {
                if (reply.type === 'loaded') resolve(reply.lesson ?? undefined);
                else if (reply.type === 'failed') reject(new Error(reply.message));
                else return false;
                clearTimeout(timer);
                return true;
              },
              onLost: (why) => (clearTimeout(timer), reject(new Error(`${slug}: ${why}`))),
            },
          );
        }),
    );
  }

  /** Runs the lesson's checks on a finished run's record; one result per check, never throws. */
  judge(slug: string, record: RunRecord, lang: Lang): Promise<CheckResult[]> {
    return this.serially(
      () =>
        new Promise<CheckResult[]>((resolve) => {
          const results: CheckResult[] = [];
          let current: CheckInfo | null = null;
          const notLoaded = `check.ts did not load within ${this.loadTimeoutMs / 1000} s`;
          let timer = this.deadline(this.loadTimeoutMs, () => lost(notLoaded));
          const lost = (why: string): void => {
            clearTimeout(timer);
            if (current) results.push(timedOut(current, lang, this.checkTimeoutMs));
            else if (results.length === 0) results.push(...brokenLesson(why, lang));
            resolve(results);
          };
          this.send(
            { id: this.nextId++, op: 'judge', slug, record, lang },
            {
              onReply: (reply) => {
                clearTimeout(timer);
                if (reply.type === 'check-started') {
                  current = reply.check;
                  // The worker's own timeout answers first; this catches a check that blocks it.
                  timer = this.deadline(this.checkTimeoutMs + 1000, () =>
                    lost('a check did not return'),
                  );
                } else if (reply.type === 'check-done') {
                  current = null;
                  results.push(reply.result);
                  timer = this.deadline(this.checkTimeoutMs + 1000, () =>
                    lost('a check did not return'),
                  );
                } else if (reply.type === 'judged') {
                  resolve(results);
                  return true;
                } else if (reply.type === 'failed') {
                  results.push(...brokenLesson(reply.message, lang));
                  resolve(results);
                  return true;
                }
                return false;
              },
              onLost: (why) => lost(why),
            },
          );
        }),
    );
  }

  /** Stops the worker (a later request starts a new one). */
  close(): void {
    const worker = this.worker;
    this.worker = null;
    worker?.kill('SIGKILL');
  }

  /** Runs requests one at a time, so a check that hangs delays no other run's verdict but its own. */
  private serially<T>(request: () => Promise<T>): Promise<T> {
    const next = this.queue.then(request, request);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private send(
    request: JudgeRequest,
    handlers: { onReply: Pending; onLost: (why: string) => void },
  ): void {
    this.pending = { id: request.id, ...handlers };
    const worker = this.ensureWorker();
    this.busy(worker);
    worker.send(request);
  }

  /** A timer that, when it fires, gives up on the worker and then calls `onExpired`. */
  private deadline(ms: number, onExpired: () => void): ReturnType<typeof setTimeout> {
    return setTimeout(() => {
      this.pending = null;
      this.close();
      onExpired();
    }, ms);
  }

  private ensureWorker(): ChildProcess {
    if (this.worker) return this.worker;
    const script = fileURLToPath(new URL('./worker.ts', import.meta.url));
    const worker = fork(script, [this.contentDir, String(this.checkTimeoutMs)], {
      execArgv: [`--max-old-space-size=${WORKER_HEAP_MIB}`],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    worker.on('message', (reply: JudgeReply) => {
      const pending = this.pending;
      if (pending?.id === reply.id && pending.onReply(reply)) this.pending = null;
      // Idle, the worker must not keep a CLI run alive once it has its verdict.
      if (!this.pending) this.idle(worker);
    });
    const onGone = (why: string): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      const pending = this.pending;
      this.pending = null;
      pending?.onLost(why);
    };
    worker.on('error', (error) => onGone(`the checks' worker failed: ${error.message}`));
    worker.on('exit', (code, signal) => onGone(`the checks' worker ended (${signal ?? code})`));
    this.worker = worker;
    return worker;
  }

  private idle(worker: ChildProcess): void {
    worker.unref();
    worker.channel?.unref();
  }

  private busy(worker: ChildProcess): void {
    worker.ref();
    worker.channel?.ref();
  }
}

function timedOut(check: CheckInfo, lang: Lang, timeoutMs: number): CheckResult {
  const notice = { code: 'check-timeout', params: { seconds: timeoutMs / 1000 } } as const;
  return {
    id: check.id,
    title: check.title[lang],
    status: 'error',
    message: renderNotice(notice, lang),
  };
}

/** A lesson whose checks could not even start: one `error` result saying why. */
function brokenLesson(why: string, lang: Lang): CheckResult[] {
  const message = renderNotice({ code: 'check-threw', params: {} }, lang);
  return [{ id: 'lesson', title: 'check.ts', status: 'error', message, details: why }];
}
