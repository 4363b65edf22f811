/**
 * What the transport needs from the run engine, kept narrow so the transport can be tested with
 * a fake engine and the real one (front/jailer-engine.ts) stays a proxy to the jailer's `startRun`.
 */
import { renderNotice } from '../../lib/notices/catalog.ts';
import type { Lang, Notice, RunEvent, SourceFile } from '../../lib/protocol.ts';
import type { LoadedLesson } from '../judge/judge.ts';
import type { CaptureFile } from '../capture/capture.ts';

/** A run request that has a slot and, for lesson runs, its loaded lesson. */
export interface EngineRunRequest {
  runId: string;
  files: SourceFile[];
  lang: Lang;
  lesson?: LoadedLesson;
  /** The pool slot this run holds (0 … slots-1). */
  slot: number;
  /** The seed of the run's faults, when the browser repeats a run. */
  seed?: number;
}

/** A started run, as the engine's RunHandle offers it. */
export interface EngineRun {
  stdin(process: string, data: string): void;
  eof(process: string): void;
  interrupt(process: string): void;
  stop(): void;
  /** Settles once the run has ended and everything it made is torn down. */
  done: Promise<unknown>;
}

export interface RunEngine {
  /** The lesson with this slug, or undefined when there is none. May throw on a broken lesson. */
  loadLesson(slug: string): Promise<LoadedLesson | undefined>;
  /** Refuses a request that cannot run (throws EngineInputError) before it waits in the queue. */
  validate(request: Omit<EngineRunRequest, 'slot'>): void;
  /**
   * Starts a run; events (with `runId`) are passed to `emit` until `done` settles. With
   * `capture`, the run's pcap is handed to it once, before its checks and run-finished.
   */
  start(
    request: EngineRunRequest,
    emit: (event: RunEvent) => void,
    capture?: (file: CaptureFile) => void,
  ): EngineRun;
  /**
   * The lessons browsers show now and how many show each (replacing the previous call's): the
   * engine may get that many sandboxes ready ahead of their runs.
   */
  warmUp(demand: Array<{ lesson: LoadedLesson; count: number }>): void;
}

/** What was asked cannot run (bad files, unknown process): the asker's problem, not a fault. */
export class EngineInputError extends Error {
  readonly code: 'bad-message' | 'too-large' | 'unknown-process';
  /** What the asker is told; `message` is its English wording, for logs. */
  readonly notice: Notice;

  constructor(code: EngineInputError['code'], notice: Notice) {
    super(renderNotice(notice, 'en'));
    this.name = 'EngineInputError';
    this.code = code;
    this.notice = notice;
  }
}

export type { CaptureFile };
