/**
 * Loading what a lesson runs: its definition from `content/NN-slug/check.ts` (imported, then
 * validated with the lesson schema, so a broken lesson fails with the file and the problem named)
 * and its `starter/` or `solution/` Python files. Used by the sandbox server and the CLI.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { describeIssues, SourceFile } from '../protocol.ts';
import { LessonDefinitionSchema, type LessonDefinition } from './define.ts';
import { findLessonFolder, listLessonFolders } from './folders.ts';

/** Thrown for a slug that names no lesson folder. */
export class UnknownLessonError extends Error {
  readonly slug: string;

  constructor(slug: string, known: string[]) {
    const list = known.length > 0 ? known.join(', ') : 'none';
    super(`unknown lesson "${slug}" (lessons here: ${list})`);
    this.name = 'UnknownLessonError';
    this.slug = slug;
  }
}

/** The folder of lesson `slug`; throws UnknownLessonError when there is none. */
function lessonDir(contentDir: string, slug: string): string {
  const folder = findLessonFolder(contentDir, slug);
  if (!folder) {
    const known = existsSync(contentDir) ? listLessonFolders(contentDir).map((f) => f.slug) : [];
    throw new UnknownLessonError(slug, known);
  }
  return folder.dir;
}

/** Modification time of each check.ts when it was first imported. */
const firstImportMtime = new Map<string, number>();

/**
 * The URL to import `file` from: plain the first time, with a cache-busting query once the file
 * has changed (a query on the first import would hide the `.ts` extension from test transformers).
 */
function moduleUrl(file: string): string {
  const mtime = statSync(file).mtimeMs;
  const first = firstImportMtime.get(file);
  if (first === undefined) firstImportMtime.set(file, mtime);
  const url = pathToFileURL(file).href;
  return first === undefined || first === mtime ? url : `${url}?mtime=${mtime}`;
}

/**
 * Imports and validates `check.ts` of lesson `slug`. Throws UnknownLessonError for an unknown
 * slug, and an Error naming the file and what is wrong for a broken lesson. An edited check.ts
 * is picked up by the next call (the import is keyed by its modification time).
 */
export async function loadLessonDefinition(
  contentDir: string,
  slug: string,
): Promise<LessonDefinition> {
  const file = path.join(lessonDir(contentDir, slug), 'check.ts');
  if (!existsSync(file)) throw new Error(`${file}: missing (every lesson needs a check.ts)`);
  let imported: { default?: unknown };
  try {
    imported = (await import(moduleUrl(file))) as { default?: unknown };
  } catch (error) {
    throw new Error(
      `${file}: could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (imported.default === undefined) {
    throw new Error(
      `${file}: has no default export (end it with \`export default defineLesson({ … })\`)`,
    );
  }
  const parsed = LessonDefinitionSchema.safeParse(imported.default);
  if (!parsed.success) {
    const line = issueLine(readFileSync(file, 'utf8'), parsed.error.issues[0]);
    throw new Error(`${file}:${line}: ${describeIssues(parsed.error)}`);
  }
  return parsed.data as LessonDefinition;
}

/**
 * The 1-based line of check.ts an issue most likely points at: where the unknown or invalid key
 * is written (a zod issue knows the path in the value, not the place in the source), else 1.
 */
export function issueLine(source: string, issue: z.core.$ZodIssue | undefined): number {
  if (!issue) return 1;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const last = issue.path.findLast((part) => typeof part === 'string');
  const key = keys[0] ?? (typeof last === 'string' ? last : undefined);
  if (!key) return 1;
  const pattern = new RegExp(`(^|[\\s{,'"])${key.replace(/[^\w-]/g, '')}['"]?\\s*:`);
  const index = source.split('\n').findIndex((line) => pattern.test(line));
  return index < 0 ? 1 : index + 1;
}

/** Like loadLessonDefinition, but undefined for an unknown slug (a broken lesson still throws). */
export async function findLessonDefinition(
  contentDir: string,
  slug: string,
): Promise<LessonDefinition | undefined> {
  try {
    return await loadLessonDefinition(contentDir, slug);
  } catch (error) {
    if (error instanceof UnknownLessonError) return undefined;
    throw error;
  }
}

/** The `*.py` files of a lesson's `starter/` or `solution/` folder, by name; validated. */
export function readLessonFiles(
  contentDir: string,
  slug: string,
  which: 'starter' | 'solution',
): SourceFile[] {
  const dir = path.join(lessonDir(contentDir, slug), which);
  if (!existsSync(dir)) throw new Error(`${dir}: missing`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.py'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = { name, content: readFileSync(path.join(dir, name), 'utf8') };
      const parsed = SourceFile.safeParse(file);
      if (!parsed.success)
        throw new Error(`${path.join(dir, name)}: ${describeIssues(parsed.error)}`);
      return parsed.data;
    });
}
