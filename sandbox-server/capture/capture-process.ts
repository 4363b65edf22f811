/**
 * The tcpdump child of a capture: readiness (it announces "listening on" on stderr once its
 * socket is open), a graceful stop (SIGINT: tcpdump finishes the packet in hand, prints its
 * counters and exits; with -U everything before is already in the pipe), and a kill if it hangs.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** How the process ended. */
export interface CaptureExit {
  error: string | null;
  kernelDropped: number | null;
}

/** stderr kept for messages: tcpdump's is a few short lines. */
const STDERR_KEEP = 4096;

/** Watches one tcpdump process. */
export class CaptureProcess {
  private readonly child: ChildProcess;
  private readonly stopTimeoutMs: number;
  private stderr = '';
  private readonly closed: Promise<void>;
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private spawnError: string | null = null;
  private isClosed = false;
  private interrupted = false;
  private killedByUs = false;

  constructor(child: ChildProcess, stopTimeoutMs: number) {
    this.child = child;
    this.stopTimeoutMs = stopTimeoutMs;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-STDERR_KEEP);
    });
    child.on('error', (error) => (this.spawnError ??= error.message));
    // 'close' comes after the exit and after stdout and stderr have ended: every byte is read.
    this.closed = once(child, 'close').then(([code, signal]) => {
      this.isClosed = true;
      this.exitCode = code as number | null;
      this.exitSignal = signal as NodeJS.Signals | null;
    });
  }

  /** Resolves once tcpdump listens; on failure or timeout, rejects after the process is gone. */
  async ready(timeoutMs: number): Promise<void> {
    const listening = new Promise<boolean>((resolve) => {
      const check = (): void => {
        if (!/listening on/.test(this.stderr)) return;
        this.child.stderr!.off('data', check);
        resolve(true);
      };
      this.child.stderr!.on('data', check);
      check();
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([
      listening,
      this.closed.then(() => 'closed' as const),
      timedOut,
    ]);
    clearTimeout(timer);
    if (outcome === true) return;
    if (outcome === 'timeout') {
      this.kill();
      await this.closed;
      throw new Error(
        `tcpdump did not start listening within ${timeoutMs} ms: ${this.lastWords()}`,
      );
    }
    throw new Error(`tcpdump could not start: ${this.describeExit()}`);
  }

  /** Asks tcpdump to finish (SIGINT); harmless once it has ended. */
  interrupt(): void {
    if (this.isClosed || this.interrupted) return;
    this.interrupted = true;
    this.child.kill('SIGINT');
  }

  /** Stops tcpdump and waits until it has exited and its output is read. */
  async stop(): Promise<CaptureExit> {
    this.interrupt();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.stopTimeoutMs);
    });
    if ((await Promise.race([this.closed, late])) === 'late') {
      this.kill();
      await this.closed;
    }
    clearTimeout(timer);
    return { error: this.exitProblem(), kernelDropped: this.kernelDropped() };
  }

  private kill(): void {
    if (this.isClosed) return;
    this.killedByUs = true;
    this.child.kill('SIGKILL');
  }

  /** Null when tcpdump ended as asked. */
  private exitProblem(): string | null {
    if (this.killedByUs)
      return `tcpdump did not exit within ${this.stopTimeoutMs} ms and was killed`;
    if (this.exitCode === 0 && this.interrupted) return null;
    return `tcpdump ended early: ${this.describeExit()}`;
  }

  private describeExit(): string {
    if (this.spawnError !== null) return this.spawnError;
    const how =
      this.exitSignal !== null ? `signal ${this.exitSignal}` : `exit code ${this.exitCode}`;
    return `${how}: ${this.lastWords()}`;
  }

  private lastWords(): string {
    return this.stderr.trim().split('\n').slice(-2).join(' / ') || 'no message';
  }

  private kernelDropped(): number | null {
    const match = /(\d+) packets? dropped by kernel/.exec(this.stderr);
    return match ? Number(match[1]) : null;
  }
}
