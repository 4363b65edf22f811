/**
 * Small synchronous helpers for cgroupfs: its reads and writes are in-kernel and sub-millisecond,
 * so they are done synchronously; only waiting for processes to leave is asynchronous.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** Writes a control file. */
export function writeControl(file: string, value: string): void {
  writeFileSync(file, value);
}

/** Writes a control file when the kernel offers it (e.g. memsw only exists with swap accounting). */
export function writeControlIfPresent(file: string, value: string): void {
  if (existsSync(file)) writeFileSync(file, value);
}

/** A control file's text, or '' when it is gone. */
export function readControl(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The pids listed in a cgroup.procs file (empty when the group is gone). */
export function readPids(file: string): number[] {
  return readControl(file)
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);
}

/** The value of `key` in a flat keyed file such as memory.events ("oom_kill 3"), or 0. */
export function keyedValue(text: string, key: string): number {
  for (const line of text.split('\n')) {
    const [name, value] = line.split(' ');
    if (name === key) return Number(value) || 0;
  }
  return 0;
}

/** Sends SIGKILL to each pid, ignoring those already gone. */
export function killPids(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already exited: that is what we wanted.
    }
  }
}

/** Polls `done` every millisecond or so until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (let wait = 1; ; wait = Math.min(wait * 2, 20)) {
    if (done()) return true;
    if (performance.now() >= deadline) return false;
    await delay(wait);
  }
}

/** Removes directories deepest first, retrying while the kernel still counts exiting tasks (EBUSY). */
export async function removeDirs(dirs: string[], timeoutMs = 2000): Promise<void> {
  for (const dir of dirs) {
    let lastError: unknown;
    const removed = await waitFor(() => {
      try {
        rmdirSync(dir);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
        lastError = error;
        return false;
      }
    }, timeoutMs);
    if (!removed) throw new Error(`could not remove cgroup ${dir}: ${String(lastError)}`);
  }
}

/** A directory and all its subdirectories, deepest first (the order rmdir needs). */
export function dirsDeepestFirst(dir: string): string[] {
  let children: string[] = [];
  try {
    children = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(dir, entry.name));
  } catch {
    return [];
  }
  return [...children.flatMap(dirsDeepestFirst), dir];
}
