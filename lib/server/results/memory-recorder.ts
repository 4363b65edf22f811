/**
 * A RunRecorder in memory: for tests of the internal endpoints and the front's posting, where
 * what matters is what reached the recorder, not how a database stores it.
 */
import type { RunRecorder } from './internal-routes.ts';
import type { RecordedRun } from './schema.ts';

export class MemoryRecorder implements RunRecorder {
  readonly runs = new Map<string, RecordedRun>();
  readonly usedTokens = new Set<string>();
  /** When set, every call fails with it (an unavailable database). */
  failure: Error | null = null;

  /** Stores the run unless its id was stored before. */
  async record(run: RecordedRun): Promise<'recorded' | 'duplicate'> {
    if (this.failure) throw this.failure;
    if (this.runs.has(run.id)) return 'duplicate';
    this.runs.set(run.id, run);
    return 'recorded';
  }

  /** Marks the token id used: true the first time. */
  async useTokenOnce(jti: string): Promise<boolean> {
    if (this.failure) throw this.failure;
    if (this.usedTokens.has(jti)) return false;
    this.usedTokens.add(jti);
    return true;
  }
}
