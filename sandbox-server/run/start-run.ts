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
  const done = run.execute();
  countWhileStarting(done);
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

/**
 * A run counts as starting for this long (or until it ends): the warm pool holds its refills
 * while many runs are starting (a class pressing Run together), but runs that have been going a
 * while (a server waiting for input, a CPU spinner at a low weight) must not starve the pool.
 */
const STARTING_RUN_MS = 1000;
let starting = 0;

/** Runs of this process started within STARTING_RUN_MS and not yet torn down. */
export function startingRuns(): number {
  return starting;
}

function countWhileStarting(done: Promise<unknown>): void {
  starting += 1;
  let counted = true;
  const uncount = (): void => {
    if (!counted) return;
    counted = false;
    starting -= 1;
  };
  setTimeout(uncount, STARTING_RUN_MS).unref();
  void done.then(uncount, uncount);
}

export type { RunHandle, RunOptions, SandboxInfo } from './types.ts';
export { RunInputError } from './input-error.ts';
