/**
 * Which processes of a run are serving (hold a listening TCP or a bound UDP socket), found from
 * the kernel's socket tables of the run's network namespace and the fds of each process's tree.
 * It decides when the next process may start and when a run whose clients are done can end.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { socketInodes } from '../jail/proc-fds.ts';
import { servingInodes } from '../jail/proc-net.ts';
import type { RunProcess } from './run-process.ts';
import { READY_POLL_MS } from './timing.ts';

/** The running processes among `processes` that hold a serving socket. */
export function servingProcesses(processes: RunProcess[]): Set<RunProcess> {
  const running = processes.filter((process) => process.running);
  const serving = new Set<RunProcess>();
  const anchor = running.find((process) => process.pid !== undefined)?.pid;
  if (anchor === undefined) return serving;
  const listening = servingInodes(anchor);
  if (listening.size === 0) return serving;
  for (const process of running) {
    for (const inode of socketInodes(process.pids())) {
      if (listening.has(inode)) {
        serving.add(process);
        break;
      }
    }
  }
  return serving;
}

/**
 * Resolves when `process` is ready for the next one to start: it serves (or a peer reported
 * `listening`), it has exited, the run ends (`cancelled`), or `timeoutMs` has passed. A peer is
 * waited for by its report alone: polling the socket tables would only cost CPU meanwhile.
 */
export async function waitUntilReady(
  process: RunProcess,
  timeoutMs: number,
  cancelled: Promise<unknown>,
): Promise<void> {
  const timeout = new AbortController();
  const waits = [process.exited, cancelled, delay(timeoutMs, undefined, timeout)];
  if (process.plan.kind === 'peer') waits.push(process.reported('listening'));
  else waits.push(pollServing(process, timeout.signal));
  await Promise.race(waits.map((wait) => wait.catch(() => {})));
  timeout.abort();
}

/** Resolves once a learner process holds a serving socket (learner code reports nothing). */
async function pollServing(process: RunProcess, stop: AbortSignal): Promise<void> {
  while (!stop.aborted && process.running) {
    if (servingProcesses([process]).size > 0) return;
    await delay(READY_POLL_MS, undefined, { signal: stop });
  }
}
