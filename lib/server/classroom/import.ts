/**
 * Bringing a learner's browser progress into their class, once: only lessons of the catalog,
 * bounded sizes, and never a pass (passes come only from recorded runs), so an imported lesson
 * is at most "started", with the code the browser had. Importing twice changes nothing, and an
 * import never touches a lesson the server already has progress for.
 */
import { z } from 'zod';
import { MAX_CODE_BYTES, type Schema } from '../db/index.ts';
import type { Kysely } from 'kysely';

/** How many lessons one import may name. */
export const MAX_IMPORTED_LESSONS = 200;
/** The largest import body. */
export const MAX_IMPORT_BYTES = 1024 * 1024;

const File = z.object({
  name: z.string().regex(/^[\w.-]{1,64}$/),
  content: z.string().max(64 * 1024),
});

/** What the browser sends: the lessons it has progress or saved code for. */
export const ProgressImport = z.object({
  lessons: z
    .array(z.object({ lessonId: z.string().min(1).max(100), files: z.array(File).max(20) }))
    .max(MAX_IMPORTED_LESSONS),
});
export type ProgressImport = z.infer<typeof ProgressImport>;

/**
 * Adds a "started" row for each known lesson the learner has nothing recorded for; returns the
 * ids added. Unknown lesson ids and code over the run limit are skipped.
 */
export async function importProgress(
  db: Kysely<Schema>,
  learner: { id: string; classId: string },
  input: ProgressImport,
  knownLessonIds: ReadonlySet<string>,
  now = new Date(),
): Promise<string[]> {
  const added: string[] = [];
  const seen = new Set<string>();
  for (const { lessonId, files } of input.lessons) {
    if (!knownLessonIds.has(lessonId) || seen.has(lessonId)) continue;
    seen.add(lessonId);
    const code = JSON.stringify(files);
    if (Buffer.byteLength(code) > MAX_CODE_BYTES) continue;
    const result = await db
      .insertInto('progress')
      .values({
        learner_id: learner.id,
        lesson_id: lessonId,
        class_id: learner.classId,
        status: 'started',
        attempts: 0,
        failed_since_pass: 0,
        first_passed_at: null,
        last_run_at: now.toISOString(),
        last_run_id: '',
        last_code: code,
      })
      .onConflict((oc) => oc.columns(['learner_id', 'lesson_id']).doNothing())
      .executeTakeFirst();
    if ((result.numInsertedOrUpdatedRows ?? 0n) > 0n) added.push(lessonId);
  }
  return added;
}
