/**
 * The interface of a run, as the WebSocket transport and the CLI use it: `startRun(options,
 * emit)` returns a handle at once; events (lib/protocol.ts run events) flow to `emit` until
 * `done` resolves with the record the checks judged. A failing learner program is a normal result.
 */
import type { LessonDefinition, RunRecord } from '../../lib/lessons/define.ts';
import type { CheckResult, Lang, SourceFile } from '../../lib/protocol.ts';
import type { CaptureFile } from '../capture/capture.ts';
import type { LimitBounds, RunLimitsConfig } from '../limits.ts';
import type { CaptureSettings } from './run-capture.ts';

/** What to run. */
export interface RunOptions {
  runId: string;
  /** The learner's files; all are visible read-only under /app in every learner process. */
  files: SourceFile[];
  /** Already validated lesson: its processes (files and peers, in start order) and limits. */
  lesson?: Pick<LessonDefinition, 'processes' | 'limits'> & {
    /** Modules its starter and solution files import: a warm Python imports those ahead. */
    pythonImports?: readonly string[];
  };
  /** Judges the finished run (the lesson's checks, in the judge); its results precede run-finished. */
  judge?: (record: RunRecord) => Promise<CheckResult[]>;
  lang: Lang;
  /** The server's limits for this run; a lesson's own requests are clamped into `limitBounds`. */
  limits: RunLimitsConfig;
  /** Bounds for a lesson's limit requests (default LIMIT_BOUNDS). */
  limitBounds?: LimitBounds;
  /**
   * Non-interactive stdin (the CLI): when given, every learner process gets its text (or
   * nothing) followed by EOF. When absent, stdin stays open for stdin()/eof().
   */
  stdin?: Record<string, string>;
  /** The transport's slot index, used as the preferred sandbox slot (uids) for this run. */
  slot?: number;
  /** Packet capture (default: on, with the capture's default caps). */
  capture?: CaptureSettings;
  /**
   * Called once with the run's capture as a pcap file, after the capture has stopped and before
   * `checks` and `run-finished` are emitted; not called when the capture was off or failed.
   */
  onCapture?: (file: CaptureFile) => void;
  /** The seed the run's fault peers draw from (default: a random one, told in run-started). */
  seed?: number;
  /**
   * false: never take a sandbox made ahead (tests compare warm runs with cold ones this way).
   * Default true.
   */
  warmSandbox?: boolean;
}

/** A started run. */
export interface RunHandle {
  runId: string;
  /** Sends text to a process's stdin; throws for an unknown process name. */
  stdin(process: string, data: string): void;
  /** Closes a process's stdin (Ctrl-D). */
  eof(process: string): void;
  /** Delivers SIGINT to a process's program and its process group (Ctrl-C). */
  interrupt(process: string): void;
  /** Ends the run now: every process is killed, the reason is `stopped`. */
  stop(): void;
  /** Resolves once the run has ended and everything it made is gone. Never rejects. */
  done: Promise<RunRecord>;
  /** What the run holds on the host while it runs (for logs and leak tests); null before and after. */
  sandbox(): SandboxInfo | null;
}

/** The host objects of a running run. */
export interface SandboxInfo {
  /** Name of its network namespace, also the name of its cgroup directories. */
  netns: string;
  learnerUid: number;
  peerUid: number;
}
