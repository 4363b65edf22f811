/**
 * Messages between the judge (judge.ts, in the server's thread) and its worker (worker.ts), which
 * is the only place instructor code runs: it imports a lesson's check.ts and runs its checks.
 */
import type { RunRecord } from '../../lib/lessons/define.ts';
import type { ProcessSpec, LessonLimits, LocalizedText } from '../../lib/lessons/schema.ts';
import type { CheckResult, Lang } from '../../lib/protocol.ts';
import type { z } from 'zod';

/** A check as the server knows it: what it is called, not what it does. */
export interface CheckInfo {
  id: string;
  title: LocalizedText;
}

/** A lesson's run as data: its processes and limits, and the names of its checks. */
export interface LoadedLesson {
  slug: string;
  /** The stable id (frontmatter `id`) that keys stored progress. */
  id: string;
  processes: ProcessSpec[];
  limits: z.output<typeof LessonLimits>;
  checks: CheckInfo[];
  /** Modules its starter and solution files import (lib/lessons/python-imports.ts). */
  pythonImports?: string[];
}

export type JudgeRequest =
  | { id: number; op: 'load'; slug: string }
  | { id: number; op: 'judge'; slug: string; record: RunRecord; lang: Lang };

export type JudgeReply =
  | { id: number; type: 'loaded'; lesson: LoadedLesson | null }
  /** A check is about to run (so a check that never returns can be named). */
  | { id: number; type: 'check-started'; index: number; check: CheckInfo }
  | { id: number; type: 'check-done'; index: number; result: CheckResult }
  | { id: number; type: 'judged' }
  | { id: number; type: 'failed'; message: string };
