/**
 * Loads a lesson's run definition (`content/NN-slug/check.ts`) for a lesson run, validated with
 * the lesson schema. An edited check.ts is picked up on the next run (the import is keyed by
 * its modification time), so instructors need no restart.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LessonDefinitionSchema, type LessonDefinition } from '../../lib/lessons/define.ts';
import { describeIssues } from '../../lib/protocol.ts';
import { findLessonFolder } from '../../lib/lessons/folders.ts';

/** The lesson's definition, or undefined when no lesson has this slug; throws on a broken one. */
export async function loadLessonRun(
  contentDir: string,
  slug: string,
): Promise<LessonDefinition | undefined> {
  const folder = findLessonFolder(contentDir, slug);
  if (!folder) return undefined;
  const file = path.join(folder.dir, 'check.ts');
  if (!existsSync(file)) throw new Error(`${file} is missing`);
  const url = `${pathToFileURL(file).href}?mtime=${statSync(file).mtimeMs}`;
  const imported = (await import(url)) as { default?: unknown };
  const parsed = LessonDefinitionSchema.safeParse(imported.default);
  if (!parsed.success) throw new Error(`${file}: ${describeIssues(parsed.error)}`);
  return imported.default as LessonDefinition;
}
