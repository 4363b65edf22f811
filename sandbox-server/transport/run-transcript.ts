/**
 * What the front keeps of a recorded learner's run while it streams past: the checks, the last
 * 16 KiB of each process's output, and how it ended; at run-finished it becomes the RecordedRun
 * the app stores (lib/server/results/schema.ts). Only runs of connections that presented a run
 * token, for a lesson, get a transcript: anonymous runs keep nothing.
 */
import { randomBytes } from 'node:crypto';
import type { CheckResult, RunEvent, SourceFile } from '../../lib/protocol.ts';
import {
  lastBytes,
  MAX_CHECK_MESSAGE_CHARS,
  MAX_OUTPUT_BYTES_PER_PROCESS,
  MAX_RECORDED_CHECKS,
  MAX_RECORDED_PROCESSES,
  type RecordedRun,
  type RunOutcome,
} from '../../lib/server/results/schema.ts';

/** Who a connection's runs are recorded for (from its verified run token). */
export interface LearnerTag {
  learnerId: string;
  classId: string;
}

type Finished = Extract<RunEvent, { type: 'run-finished' }>;

export class RunTranscript {
  /** The record's id: random, so a browser's choice of run id cannot collide with another's. */
  readonly id = randomBytes(16).toString('base64url');
  private readonly output = new Map<string, string>();
  private checks: CheckResult[] = [];
  private readonly learner: LearnerTag;
  private readonly lessonId: string;
  private readonly files: SourceFile[];
  private readonly startedAt: Date;

  constructor(learner: LearnerTag, lessonId: string, files: SourceFile[], startedAt = new Date()) {
    this.learner = learner;
    this.lessonId = lessonId;
    this.files = files;
    this.startedAt = startedAt;
  }

  /** Takes in one event of the run (output and checks are kept; the rest is not needed). */
  observe(event: RunEvent): void {
    if (event.type === 'checks') this.checks = event.results;
    if (event.type !== 'output') return;
    const previous = this.output.get(event.process);
    if (previous === undefined && this.output.size >= MAX_RECORDED_PROCESSES) return;
    const joined = (previous ?? '') + event.data;
    // Trim by characters as it grows (cheap), to bytes once at the end.
    this.output.set(event.process, joined.slice(-MAX_OUTPUT_BYTES_PER_PROCESS * 2));
  }

  /** The record of the run, now that it has finished. */
  finish(event: Finished, finishedAt = new Date()): RecordedRun {
    const output = Object.fromEntries(
      [...this.output].map(([name, text]) => [name, lastBytes(text, MAX_OUTPUT_BYTES_PER_PROCESS)]),
    );
    return {
      id: this.id,
      ...this.learner,
      lessonId: this.lessonId,
      startedAt: this.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: Math.round(event.durationMs),
      outcome: outcomeOf(event.reason, this.checks),
      checks: this.checks.slice(0, MAX_RECORDED_CHECKS).map((check) => ({
        id: check.id.slice(0, 200) || '?',
        status: check.status,
        message: check.message.slice(0, MAX_CHECK_MESSAGE_CHARS),
      })),
      code: this.files,
      output,
    };
  }
}

/**
 * A run passed when it ran to its end and every check (at least one) passed; `error` when it
 * could not be judged (a server fault, or checks that broke without one failing).
 */
export function outcomeOf(reason: Finished['reason'], checks: CheckResult[]): RunOutcome {
  if (reason === 'stopped') return 'stopped';
  if (reason === 'error') return 'error';
  if (checks.some((check) => check.status === 'fail')) return 'failed';
  if (checks.some((check) => check.status === 'error')) return 'error';
  return checks.length > 0 ? 'passed' : 'failed';
}
