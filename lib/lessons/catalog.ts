/**
 * The lesson catalog: what the app shows. A pure function of the content directory: the list of
 * lessons with their per-language titles, and one lesson ready to render (compiled prose, starter
 * and solution files). Source errors surface as LessonSourceError with `file:line:column`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Lang } from '../protocol.ts';
import type { SourceFile } from '../protocol.ts';
import { defaultContentDir, findLessonFolder, listLessonFolders } from './folders.ts';
import type { LessonFolder } from './folders.ts';
import { compileLessonMdx, readFrontmatter } from './mdx.ts';
import type { Frontmatter } from './schema.ts';

export interface LessonSummary {
  slug: string;
  /** The stable id (frontmatter `id`, one for all languages) that keys stored progress. */
  id: string;
  order: number;
  /** Languages this lesson is written in, in the order of `Lang`. */
  languages: Lang[];
  /** Title and summary in each of those languages. */
  text: Partial<Record<Lang, Frontmatter>>;
}

export interface Lesson {
  slug: string;
  order: number;
  lang: Lang;
  languages: Lang[];
  frontmatter: Frontmatter;
  /** Compiled MDX, rendered in the browser with `getMDXComponent`. */
  code: string;
  starter: SourceFile[];
  solution: SourceFile[];
}

/** The prose file of a lesson in one language. */
export function proseFile(dir: string, lang: Lang): string {
  return path.join(dir, `index.${lang}.mdx`);
}

/** Languages a lesson folder has prose for. */
export function lessonLanguages(dir: string): Lang[] {
  return Lang.options.filter((lang) => existsSync(proseFile(dir, lang)));
}

/**
 * Lists every lesson in order with its title and summary in each language it has, from the
 * frontmatter alone (no lesson body is compiled for the list).
 */
export async function listLessons(contentDir = defaultContentDir()): Promise<LessonSummary[]> {
  return listLessonFolders(contentDir).map(summarize);
}

function summarize(folder: LessonFolder): LessonSummary {
  const languages = lessonLanguages(folder.dir);
  const text: Partial<Record<Lang, Frontmatter>> = {};
  for (const lang of languages) text[lang] = readFrontmatter(proseFile(folder.dir, lang));
  const id = text[languages[0]!]?.id ?? folder.slug;
  return { slug: folder.slug, id, order: folder.order, languages, text };
}

/** Loads one lesson in one language, or undefined when there is no such lesson or translation. */
export async function loadLesson(
  slug: string,
  lang: Lang,
  contentDir = defaultContentDir(),
): Promise<Lesson | undefined> {
  const folder = findLessonFolder(contentDir, slug);
  if (!folder) return undefined;
  const languages = lessonLanguages(folder.dir);
  if (!languages.includes(lang)) return undefined;
  const { code, frontmatter } = await compileLessonMdx(proseFile(folder.dir, lang), folder.dir);
  return {
    slug,
    order: folder.order,
    lang,
    languages,
    frontmatter,
    code,
    starter: readPythonFiles(starterDir(folder.dir, lang)),
    solution: readPythonFiles(path.join(folder.dir, 'solution')),
  };
}

/**
 * The starter folder for a language: `starter.<lang>/` when the lesson has one (comments and
 * strings in the learner's language), otherwise the shared `starter/`.
 */
export function starterDir(dir: string, lang: Lang): string {
  const localized = path.join(dir, `starter.${lang}`);
  return existsSync(localized) ? localized : path.join(dir, 'starter');
}

/** The `*.py` files directly inside a folder, by name; a missing folder has none. */
export function readPythonFiles(dir: string): SourceFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.py'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, content: readFileSync(path.join(dir, name), 'utf8') }));
}
