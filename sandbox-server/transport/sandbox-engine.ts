/**
 * The real run engine behind the transport: a thin adapter over the sandbox core's `startRun`
 * that applies the configured limits and bounds, prefers the pool's slot for the run's uids,
 * and turns the core's RunInputError into the transport's EngineInputError.
 */
import { findLessonDefinition } from '../../lib/lessons/load-definition.ts';
import type { SandboxConfig } from '../config.ts';
import { configureSandbox, warmUpSandbox } from '../run/sandbox-host.ts';
import { prepareRun } from '../run/setup.ts';
import { RunInputError, startRun, type RunOptions } from '../run/start-run.ts';
import { EngineInputError, type EngineRunRequest, type RunEngine } from './engine.ts';

/** The engine that runs code in the real sandbox with this configuration. */
export function createSandboxEngine(config: SandboxConfig): RunEngine {
  const options = (request: Omit<EngineRunRequest, 'slot'> & { slot?: number }): RunOptions => ({
    runId: request.runId,
    files: request.files,
    lang: request.lang,
    lesson: request.lesson,
    limits: config.limits.defaults,
    limitBounds: { min: config.limits.min, max: config.limits.max },
    slot: request.slot,
  });
  return {
    loadLesson: (slug) => findLessonDefinition(config.contentDir, slug),
    validate(request) {
      asInputError(() => prepareRun(options(request)));
    },
    start(request, emit) {
      const handle = asInputError(() => startRun(options(request), emit));
      return {
        stdin: (process, data) => asInputError(() => handle.stdin(process, data)),
        eof: (process) => asInputError(() => handle.eof(process)),
        interrupt: (process) => asInputError(() => handle.interrupt(process)),
        stop: () => handle.stop(),
        done: handle.done,
      };
    },
  };
}

/**
 * Gets the host ready before the first learner arrives: sweeps what a dead server left, makes
 * network namespaces ahead (one per slot, up to 8), and builds the peer bundle.
 */
export async function warmUp(config: SandboxConfig): Promise<void> {
  configureSandbox({ readyNetns: Math.min(config.slots, 8) });
  await warmUpSandbox();
}

function asInputError<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof RunInputError) throw new EngineInputError(error.code, error.message);
    throw error;
  }
}
