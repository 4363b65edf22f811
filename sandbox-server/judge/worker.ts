/**
 * The judge's worker process: imports lessons' check.ts files (through the kit resolver, so a
 * content folder anywhere works) and runs their checks, one request at a time. A check that
 * loops forever or exhausts the heap takes down only this process; the judge starts another.
 * Started as `node worker.ts CONTENT_DIR CHECK_TIMEOUT_MS` with an IPC channel.
 */
import { registerKitResolver } from '../../lib/lessons/kit-resolver.ts';
import { findLessonFolder } from '../../lib/lessons/folders.ts';
import { lessonIdOf } from '../../lib/lessons/lesson-id.ts';
import { findLessonDefinition } from '../../lib/lessons/load-definition.ts';
import { lessonPythonImports } from '../../lib/lessons/python-imports.ts';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import type { LessonLimits, ProcessSpec } from '../../lib/lessons/schema.ts';
import { runOneCheck } from './run-checks.ts';
import type { JudgeReply, JudgeRequest, LoadedLesson } from './protocol.ts';
import type { z } from 'zod';

registerKitResolver();
const contentDir = process.argv[2]!;
const checkTimeoutMs = Number(process.argv[3]);
const reply = (message: JudgeReply): void => void process.send?.(message);
// The judge going away (the server stopped) ends this process too.
process.on('disconnect', () => process.exit(0));

process.on('message', (request: JudgeRequest) => {
  handle(request).catch((error: unknown) =>
    reply({
      id: request.id,
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
    }),
  );
});

async function handle(request: JudgeRequest): Promise<void> {
  const lesson = await findLessonDefinition(contentDir, request.slug);
  if (request.op === 'load') {
    return reply({
      id: request.id,
      type: 'loaded',
      lesson: lesson ? asData(request.slug, lesson) : null,
    });
  }
  if (!lesson) throw new Error(`unknown lesson "${request.slug}"`);
  const checks = lesson.checks ?? [];
  for (const [index, check] of checks.entries()) {
    reply({
      id: request.id,
      type: 'check-started',
      index,
      check: { id: check.id, title: check.title },
    });
    const result = await runOneCheck(check, request.record, request.lang, checkTimeoutMs);
    reply({ id: request.id, type: 'check-done', index, result });
  }
  reply({ id: request.id, type: 'judged' });
}

/** The lesson without its functions: what may leave this thread. */
function asData(slug: string, lesson: LessonDefinition): LoadedLesson {
  return {
    slug,
    id: lessonIdOf(findLessonFolder(contentDir, slug)!.dir),
    // Validated by findLessonDefinition, so these are the schema's outputs.
    processes: lesson.processes as ProcessSpec[],
    limits: (lesson.limits ?? {}) as z.output<typeof LessonLimits>,
    checks: (lesson.checks ?? []).map((check) => ({ id: check.id, title: check.title })),
    pythonImports: lessonPythonImports(contentDir, slug),
  };
}
