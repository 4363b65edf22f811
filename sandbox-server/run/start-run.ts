/**
 * The entry point of the sandbox core: starts a run and returns its handle at once. A request
 * that cannot run (bad files, a lesson naming a missing file) throws RunInputError right here;
 * everything after that, including server faults, ends in a `run-finished` event.
 */
import type { RunEvent } from '../../lib/protocol.ts';
import { Run } from './run.ts';
import { prepareRun } from './setup.ts';
import type { RunHandle, RunOptions } from './types.ts';

/** Starts a run; `emit` receives its events until `done` resolves. */
export function startRun(options: RunOptions, emit: (event: RunEvent) => void): RunHandle {
  const run = new Run(options, prepareRun(options), emit);
  const done = trackActive(run.execute());
  return {
    runId: options.runId,
    stdin: (process, data) => run.process(process).write(data),
    eof: (process) => run.process(process).endInput(),
    interrupt: (process) => run.process(process).interrupt(),
    stop: () => run.end('stopped'),
    done,
    sandbox: () => run.sandboxInfo(),
  };
}

let active = 0;

/** Runs of this process not yet torn down: the warm pool holds its refills while many are. */
export function activeRuns(): number {
  return active;
}

function trackActive<T>(done: Promise<T>): Promise<T> {
  active += 1;
  return done.finally(() => (active -= 1));
}

export type { RunHandle, RunOptions, SandboxInfo } from './types.ts';
export { RunInputError } from './input-error.ts';
