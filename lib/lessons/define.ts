/**
 * What a lesson's `check.ts` exports: the processes of a run (learner files and peers, in start
 * order), optional limits, and the checks that judge a finished run. Instructors import
 * `defineLesson` so their file is type-checked; the loader validates it again with zod.
 */
import { z } from 'zod';
import type {
  CheckStatus,
  FaultEvent,
  Lang,
  ProcessEnd,
  ProcessKind,
  RunEndReason,
} from '../protocol.ts';
import type { Packet } from '../packets/packet.ts';
import { LessonLimits, LocalizedText, ProcessSpec } from './schema.ts';

/** One process as the checks see it after the run. */
export interface ProcessRecord {
  name: string;
  kind: ProcessKind;
  /** Everything it wrote to stdout / stderr (capped by the run's output limit). */
  stdout: string;
  stderr: string;
  end: ProcessEnd;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** Structured reports a peer sent about what it saw (peers only; see sandbox-server/peers). */
  reports: PeerReport[];
  /**
   * For a learner process killed at the wall-time limit: what each of its threads was blocked in
   * just before the kill (a snapshot; absent when none was taken).
   */
  blocked?: BlockedThread[];
}

/** The kinds of blocking call a thread can be caught in, as the checks name them. */
export type BlockedCall =
  'recv' | 'accept' | 'connect' | 'send' | 'input' | 'sleep' | 'select' | 'other';

/** One thread of a process caught in a blocking call at the time limit. */
export interface BlockedThread {
  call: BlockedCall;
  /** The system call it was in, e.g. `recvfrom`, `accept4`, `read`, `poll`. */
  syscall: string;
  /** The socket the call was on, when it was on one. */
  socket?: {
    proto: 'tcp' | 'udp';
    /** Addresses like `127.0.0.1:8080`. */
    local: string;
    remote?: string;
    /** Kernel socket state, e.g. `ESTABLISHED`, `LISTEN`, `CLOSE_WAIT`. */
    state: string;
  };
}

/** A fact a peer reports, e.g. `{ event: 'received', data: 'hello' }`. */
export type PeerReport = { event: string } & Record<string, unknown>;

/** The finished run handed to every check. */
export interface RunRecord {
  reason: RunEndReason;
  processes: Record<string, ProcessRecord>;
  /** Reports of all peers, in arrival order, each tagged with its process name. */
  reports: Array<PeerReport & { process: string }>;
  /** The run's first captured packets (bounded), each with the processes owning its ports. */
  packets?: RecordedPacket[];
  /**
   * What the run's fault peers (udp-relay, tcp-proxy) did to the traffic, in order (the first
   * 500): e.g. `run.faults.filter((f) => f.action === 'dropped').map((f) => f.index)`.
   */
  faults: RecordedFault[];
  /** The seed the run's faults were drawn from. */
  seed: number;
}

/** A fault as the checks see it: the `fault` event without its envelope. */
export type RecordedFault = Omit<FaultEvent, 'type' | 'runId'>;

/** A captured packet with the names of the processes at either end, when known. */
export type RecordedPacket = Packet & { srcOwner?: string; dstOwner?: string };

/** What a check returns; a check that throws is reported with status `error`. */
export interface CheckOutcome {
  pass: boolean;
  message: string;
  /** Extra output that explains a failure: what was expected, what came. */
  details?: string;
}

/** Picks the learner's language from a `{ en, zh }` pair. */
export type Translate = (text: LocalizedText) => string;

export interface CheckDefinition {
  id: string;
  title: LocalizedText;
  run: (run: RunRecord, t: Translate) => CheckOutcome | Promise<CheckOutcome>;
}

const CheckDefinitionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'check ids are lowercase words joined by -'),
    title: LocalizedText,
    run: z.custom<CheckDefinition['run']>(
      (value) => typeof value === 'function',
      'run must be a function',
    ),
  })
  .strict();

export const LessonDefinitionSchema = z
  .object({
    processes: z.array(ProcessSpec).min(1).max(8),
    limits: LessonLimits,
    checks: z.array(CheckDefinitionSchema).default([]),
  })
  .strict();

export interface LessonDefinition {
  processes: z.input<typeof ProcessSpec>[];
  limits?: z.input<typeof LessonLimits>;
  checks?: CheckDefinition[];
}

/** Declares a lesson's run and checks; returns it unchanged, typed. */
export function defineLesson(definition: LessonDefinition): LessonDefinition {
  return definition;
}

/** Result status of a check, re-exported for check authors' convenience. */
export type { CheckStatus, Lang };
