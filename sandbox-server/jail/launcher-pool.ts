/**
 * Warm launchers: bash processes started ahead of time, each waiting for one launch line on its
 * stdin, with its stdio and data fds already in place. A run then skips forking the (large) Node
 * process and starting bash on its critical path. Idle launchers run as root in the server's own
 * cgroup and do nothing; if the server dies their stdin closes and they exit.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { launcherEnv } from './host-tools.ts';
import { WARM_LAUNCHER_ARGV } from './launch-command.ts';

/** fds 4 … 4+DATA_FDS-1 of a warm launcher carry data for bwrap. */
export const WARM_DATA_FDS = 16;

/** How long after a take the pool starts a replacement (the run's own start comes first). */
const REFILL_DELAY_MS = 100;

/** Keeps `size` idle launchers; `take()` returns one or null (then the caller starts a cold one). */
export class LauncherPool {
  private size: number;
  private readonly idle: ChildProcess[] = [];
  private refillTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(size: number) {
    this.size = size;
    process.once('exit', () => this.dispose());
  }

  /** Changes how many launchers are kept ready. */
  resize(size: number): void {
    this.size = size;
    while (this.idle.length > size) this.idle.pop()!.kill('SIGKILL');
    this.refill();
  }

  /** An idle launcher, or null when none is ready. */
  take(): ChildProcess | null {
    const launcher = this.idle.shift() ?? null;
    if (this.idle.length < this.size) this.scheduleRefill();
    return launcher;
  }

  /** Starts launchers until `size` are idle. */
  refill(): void {
    while (this.idle.length < this.size) {
      const launcher = startLauncher();
      launcher.once('exit', () => {
        const at = this.idle.indexOf(launcher);
        if (at >= 0) this.idle.splice(at, 1);
      });
      this.idle.push(launcher);
    }
  }

  private scheduleRefill(): void {
    if (this.refillTimer) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = null;
      this.refill();
    }, REFILL_DELAY_MS);
    this.refillTimer.unref();
  }

  /** Kills the idle launchers and keeps none from now on. */
  dispose(): void {
    this.size = 0;
    for (const launcher of this.idle.splice(0)) launcher.kill('SIGKILL');
  }
}

/**
 * One idle launcher, waiting for its launch line. It does not keep the server alive on its own;
 * if the server dies its stdin closes and it exits.
 */
export function startLauncher(): ChildProcess {
  const stdio: StdioOptions = ['pipe', 'pipe', 'pipe', 'pipe'];
  for (let i = 0; i < WARM_DATA_FDS; i++) stdio.push('pipe');
  const launcher = spawn(WARM_LAUNCHER_ARGV[0]!, WARM_LAUNCHER_ARGV.slice(1), {
    stdio,
    env: launcherEnv(),
    // Its own process group: a Ctrl-C to the server's terminal is the server's to act on.
    detached: true,
  });
  launcher.unref();
  for (const stream of launcher.stdio) (stream as { unref?: () => void } | null)?.unref?.();
  launcher.once('error', () => {}); // a launcher that cannot start is replaced by a cold start
  return launcher;
}
