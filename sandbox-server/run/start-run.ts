/**
 * Starting a run on a sandbox host (SandboxHost.startRun): returns its handle at once. A request
 * that cannot run (bad files, a lesson naming a missing file) throws RunInputError right here;
 * everything after that, including server faults, ends in a `run-finished` event.
 */
import type { RunEvent } from '../../lib/protocol.ts';
import { Run } from './run.ts';
import type { SandboxHost } from './sandbox-host.ts';
import { prepareRun } from '../plan/setup.ts';
import type { RunHandle, RunOptions } from './types.ts';

/** Starts a run on `host`; `emit` receives its events until `done` resolves. */
export function startRun(
  host: SandboxHost,
  options: RunOptions,
  emit: (event: RunEvent) => void,
): RunHandle {
  const run = new Run(host, options, prepareRun(options), emit);
  const done = run.execute();
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

export type { RunHandle, RunOptions, SandboxInfo } from './types.ts';
export { RunInputError } from '../plan/input-error.ts';
