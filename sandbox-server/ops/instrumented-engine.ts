/**
 * A RunEngine that measures what /metrics reports about runs while passing everything through:
 * the time from a run's start in its slot to its first output.
 */
import type { RunEvent } from '../../lib/protocol.ts';
import type { EngineRun, RunEngine } from '../transport/engine.ts';
import type { SandboxMetrics } from './metrics.ts';

/** `engine`, with each run's first output timed into `metrics`. */
export function instrumentedEngine(
  engine: RunEngine,
  metrics: Pick<SandboxMetrics, 'firstOutputAfter'>,
  now: () => number = () => performance.now(),
): RunEngine {
  return {
    loadLesson: (slug) => engine.loadLesson(slug),
    validate: (request) => engine.validate(request),
    warmUp: (demand) => engine.warmUp(demand),
    start(request, emit, capture): EngineRun {
      const startedAt = now();
      let timed = false;
      const observe = (event: RunEvent): void => {
        if (!timed && event.type === 'output') {
          timed = true;
          metrics.firstOutputAfter((now() - startedAt) / 1000);
        }
        emit(event);
      };
      return engine.start(request, observe, capture);
    },
  };
}
