/**
 * What the sandbox front posts to the app's internal endpoint after a recorded learner's run
 * (POST /api/internal/runs), and what the app validates before recording it: the one shape both
 * sides share, with its bounds. Field names follow the `runs` table of the data layer.
 */
import { z } from 'zod';
import { CheckStatus, LessonSlug, ProcessName, SourceFile, WIRE_LIMITS } from '../../protocol.ts';

/** Output kept of each process: its last 16 KiB. */
export const MAX_OUTPUT_BYTES_PER_PROCESS = 16 * 1024;
/** The code of a run, all files together (the browser's run message is smaller still). */
export const MAX_CODE_BYTES = 256 * 1024;
/** Longest check message recorded; longer ones are cut. */
export const MAX_CHECK_MESSAGE_CHARS = 2000;
/** Processes a run may record output of (learner files and peers). */
export const MAX_RECORDED_PROCESSES = 24;
/** Checks a run may record. */
export const MAX_RECORDED_CHECKS = 100;
/**
 * Largest request body the internal endpoint reads: the bounds above in JSON, where a control
 * character costs six bytes, with room to spare; anything larger is refused unread (413).
 */
export const MAX_RECORDED_RUN_BODY_BYTES = 4 * 1024 * 1024;

/** A random id (learner, class, run, token id): URL-safe, bounded. */
export const OpaqueId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a URL-safe id');

const RecordedCheck = z.object({
  id: z.string().min(1).max(200),
  status: CheckStatus,
  message: z.string().max(MAX_CHECK_MESSAGE_CHARS),
});
export type RecordedCheck = z.infer<typeof RecordedCheck>;

export const RunOutcome = z.enum(['passed', 'failed', 'error', 'stopped']);
export type RunOutcome = z.infer<typeof RunOutcome>;

/** One learner's run, as recorded. */
export const RecordedRun = z.object({
  /** Made by the front (random, 128 bits): a retried post of the same run is a duplicate. */
  id: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'expected a random run id'),
  learnerId: OpaqueId,
  classId: OpaqueId,
  lessonId: LessonSlug,
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z
    .number()
    .nonnegative()
    .max(24 * 3600 * 1000),
  outcome: RunOutcome,
  checks: z.array(RecordedCheck).max(MAX_RECORDED_CHECKS),
  code: z
    .array(SourceFile)
    .min(1)
    .max(WIRE_LIMITS.maxFiles)
    .refine(
      (files) => files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0) <= MAX_CODE_BYTES,
      `the code may hold at most ${MAX_CODE_BYTES / 1024} KiB`,
    ),
  /** The last 16 KiB of each process's output (stdout and stderr as they interleaved). */
  output: z
    .record(ProcessName, z.string().max(MAX_OUTPUT_BYTES_PER_PROCESS))
    .refine(
      (output) => Object.keys(output).length <= MAX_RECORDED_PROCESSES,
      `at most ${MAX_RECORDED_PROCESSES} processes`,
    ),
});
export type RecordedRun = z.infer<typeof RecordedRun>;

/** Asks the app to mark a run token's id used (POST /api/internal/token-uses). */
export const TokenUse = z.object({ jti: OpaqueId, expiresAt: z.iso.datetime() });
export type TokenUse = z.infer<typeof TokenUse>;

/** The header that carries the internal secret. */
export const INTERNAL_SECRET_HEADER = 'x-handshake-internal';
/** Paths of the app's internal endpoints. */
export const INTERNAL_PATHS = {
  runs: '/api/internal/runs',
  tokenUses: '/api/internal/token-uses',
} as const;

/** Cuts text to its last `maxBytes` bytes of UTF-8, never splitting a character. */
export function lastBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - maxBytes;
  // Skip continuation bytes (10xxxxxx) so the cut lands on a character's first byte.
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start += 1;
  return bytes.subarray(start).toString('utf8');
}
