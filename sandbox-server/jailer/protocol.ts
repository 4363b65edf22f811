/**
 * The messages between the unprivileged WebSocket front and the privileged jailer, declared once.
 * The jailer validates every request with these schemas: the front faces the Internet, so a
 * compromised front must not be able to ask the jailer for anything a browser could not.
 * Lessons travel as data (processes, limits); their checks stay in the front, which judges
 * the record the jailer sends back, so no instructor code ever runs as root.
 */
import { z } from 'zod';
import type { RunRecord } from '../../lib/lessons/define.ts';
import { LessonLimits, ProcessSpec } from '../../lib/lessons/schema.ts';
import {
  Lang,
  ProcessName,
  RunId,
  RunSeed,
  SourceFile,
  WIRE_LIMITS,
  type RunEvent,
} from '../../lib/protocol.ts';
import { MAX_SLOTS } from '../uid-range.ts';
import { LIMIT_BOUNDS } from '../limits.ts';
import type { ChannelLimits } from './line-channel.ts';

/** Longest line either side accepts; a start with the largest files, JSON-escaped, fits. */
export const MAX_LINE_BYTES = 8 * WIRE_LIMITS.maxMessageBytes;

/** What the jailer takes from the front (which faces the Internet): one line per message. */
export const FRONT_TO_JAILER: ChannelLimits = {
  maxLineBytes: MAX_LINE_BYTES,
  maxMessageChars: MAX_LINE_BYTES,
};

/**
 * What the front takes from the jailer: a run's record may be far longer than a line. At the
 * largest output limit with every character JSON-escaped to six, plus the peers' reports (kept
 * in the run's list and each peer's) and the packets, it stays under this; only a broken jailer
 * comes near it.
 */
export const JAILER_TO_FRONT: ChannelLimits = {
  maxLineBytes: MAX_LINE_BYTES,
  maxMessageChars: 8 * LIMIT_BOUNDS.max.outputBytes + 64 * 1024 * 1024,
};

/** What a lesson contributes to a run inside the jailer. */
export const LessonRun = z
  .object({
    processes: z.array(ProcessSpec).min(1).max(8),
    limits: LessonLimits,
    /**
     * Modules the lesson's files import. Only names: the jailer imports ahead just those on its
     * own fixed list (jail/pywarm-modules.ts), so a front can choose among harmless ones only.
     */
    pythonImports: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/)
          .max(100),
      )
      .max(200)
      .optional(),
  })
  .strict();
export type LessonRun = z.infer<typeof LessonRun>;

const Start = z
  .object({
    type: z.literal('start'),
    runId: RunId,
    files: z.array(SourceFile).min(1).max(WIRE_LIMITS.maxFiles),
    lang: Lang,
    lesson: LessonRun.optional(),
    /** The front's slot index: a preference for the run's uids, never a right to them. */
    slot: z
      .number()
      .int()
      .min(0)
      .max(MAX_SLOTS - 1),
    /** Send the run's record with `done` (the front judges it with the lesson's checks). */
    wantRecord: z.boolean(),
    /** Send the run's pcap before its run-finished event (the front keeps it for download). */
    wantCapture: z.boolean().default(false),
    /** The seed of the run's faults (the browser's, to repeat a run); the jailer picks one otherwise. */
    seed: RunSeed.optional(),
  })
  .strict();

const Stdin = z
  .object({
    type: z.literal('stdin'),
    runId: RunId,
    process: ProcessName,
    data: z.string().max(WIRE_LIMITS.maxStdinBytes),
  })
  .strict();

const ProcessInput = z
  .object({ type: z.enum(['eof', 'interrupt']), runId: RunId, process: ProcessName })
  .strict();

const Stop = z.object({ type: z.literal('stop'), runId: RunId }).strict();

/** Most kinds of run one demand names (lessons shown at once in one front). */
export const MAX_WARM_KINDS = 64;

/**
 * The lessons browsers show now and how many show each: the jailer keeps that many sandboxes
 * made ahead (within its own bound). Replaces the previous demand; an empty list means none.
 */
const Warm = z
  .object({
    type: z.literal('warm'),
    kinds: z
      .array(z.object({ lesson: LessonRun, count: z.number().int().min(1).max(10_000) }).strict())
      .max(MAX_WARM_KINDS),
  })
  .strict();

/** How the jailer is doing (for /readyz and /metrics): answered with a `stats` of the same id. */
const Stats = z
  .object({ type: z.literal('stats'), id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) })
  .strict();

/** Front → jailer. */
export const JailerRequest = z.discriminatedUnion('type', [
  Start,
  Stdin,
  ProcessInput,
  Stop,
  Warm,
  Stats,
]);
export type JailerRequest = z.infer<typeof JailerRequest>;
export type StartRequest = z.infer<typeof Start>;
export type WarmRequest = z.infer<typeof Warm>;
export type StatsRequest = z.infer<typeof Stats>;

/** The jailer's answer to a `stats` request. */
export interface JailerStats {
  type: 'stats';
  id: number;
  /** Sandboxes made ahead and ready for a run. */
  warmSandboxes: number;
  /** Runs of this front the jailer holds (running or being torn down). */
  runs: number;
}

/** Raw pcap bytes per `capture-chunk` message: base64 makes them 4/3 larger, well below a line. */
export const CAPTURE_CHUNK_BYTES = 512 * 1024;

/** Jailer → front. Trusted (the jailer is the privileged side), so typed, not re-validated. */
export type JailerMessage =
  | { type: 'event'; runId: string; event: RunEvent }
  /** The next piece of the run's pcap file, base64; all come before the run-finished event. */
  | { type: 'capture-chunk'; runId: string; data: string }
  /** The run's pcap is complete: `bytes` in all, `packets` records. */
  | { type: 'capture-end'; runId: string; bytes: number; packets: number; truncated: boolean }
  /** The run ended and everything it held is gone; `record` when it was asked for. */
  | { type: 'done'; runId: string; record?: RunRecord }
  /** The start was refused; no event of this run was or will be sent. */
  | { type: 'refused'; runId: string; message: string }
  | JailerStats;
