/**
 * Proves one lesson (freeCodeCamp's rule, made stricter): both languages compile, carry the same
 * id and declare the same exercises; internal links resolve; check.ts loads; the solution passes
 * every check in every language; the starter fails at least one; every named wrong program fails
 * the checks it names. Runs in the real sandbox and judges with the same judge as the server.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { lessonLanguages, proseFile, readPythonFiles } from '../../lib/lessons/catalog.ts';
import type { LessonFolder } from '../../lib/lessons/folders.ts';
import { listLessonFolders } from '../../lib/lessons/folders.ts';
import { compileLessonMdx } from '../../lib/lessons/mdx.ts';
import { readWrongPrograms, type WrongProgram } from '../../lib/lessons/wrong-programs.ts';
import { Lang, type CheckResult, type SourceFile } from '../../lib/protocol.ts';
import type { Judge, LoadedLesson } from '../judge/judge.ts';
import type { SandboxHost } from '../run/sandbox-host.ts';
import { DEFAULT_LIMITS } from '../limits.ts';

/** One thing proven (or not) about a lesson. */
export interface Finding {
  what: string;
  ok: boolean;
  /** Why it failed, or what it saw. */
  detail?: string;
}

export interface LessonReport {
  slug: string;
  findings: Finding[];
  ok: boolean;
}

/**
 * The seed a program of the content check runs with: fixed per lesson and program, so payloads
 * and faults are the same on every machine and a verdict never depends on the luck of the draw.
 */
export function contentSeed(slug: string, program: string): number {
  return createHash('sha256').update(`${slug}/${program}`).digest().readUInt32BE(0);
}

/** Where lessons run (the real sandbox, on a host the caller built) and who judges them. */
export interface ContentRunner {
  host: SandboxHost;
  judge: Judge;
}

/** Runs `files` as lesson `lesson` with `seed` and returns its check results in `lang`. */
export async function judgeFiles(
  { host, judge }: ContentRunner,
  lesson: LoadedLesson,
  files: SourceFile[],
  lang: Lang,
  seed: number,
): Promise<CheckResult[]> {
  let results: CheckResult[] = [];
  const runId = `content-${lesson.slug}-${Math.random().toString(36).slice(2, 10)}`;
  const handle = host.startRun(
    {
      runId,
      files,
      lesson,
      lang,
      limits: { ...DEFAULT_LIMITS },
      seed,
      judge: (record) => judge.judge(lesson.slug, record, lang),
    },
    (event) => {
      if (event.type === 'checks') results = event.results;
    },
  );
  await handle.done;
  return results;
}

/** Proves everything about the lesson in `folder`. */
export async function checkLesson(
  contentDir: string,
  folder: LessonFolder,
  runner: ContentRunner,
): Promise<LessonReport> {
  const findings: Finding[] = [];
  const note = (what: string, ok: boolean, detail?: string): void =>
    void findings.push({ what, ok, ...(detail ? { detail } : {}) });
  await checkProse(contentDir, folder, note);
  let lesson: LoadedLesson | undefined;
  try {
    lesson = await runner.judge.load(folder.slug);
  } catch (error) {
    note('check.ts loads', false, (error as Error).message);
  }
  if (lesson) await checkRuns(folder, lesson, runner, note);
  return { slug: folder.slug, findings, ok: findings.every((finding) => finding.ok) };
}

type Note = (what: string, ok: boolean, detail?: string) => void;

async function checkProse(contentDir: string, folder: LessonFolder, note: Note): Promise<void> {
  const languages = lessonLanguages(folder.dir);
  const missing = Lang.options.filter((lang) => !languages.includes(lang));
  note(
    'exists in every language',
    missing.length === 0,
    missing.length ? `no ${missing.join(', ')}` : undefined,
  );
  const ids = new Set<string | undefined>();
  const shapes = new Map<string, string>();
  for (const lang of languages) {
    const file = proseFile(folder.dir, lang);
    try {
      const { frontmatter } = await compileLessonMdx(file, folder.dir);
      ids.add(frontmatter.id);
    } catch (error) {
      note(`index.${lang}.mdx compiles`, false, (error as Error).message);
      continue;
    }
    const source = readFileSync(file, 'utf8');
    shapes.set(lang, exerciseShape(source));
    const broken = brokenLinks(source, folder.dir, contentDir);
    note(`index.${lang}.mdx links resolve`, broken.length === 0, broken.join(', ') || undefined);
  }
  const [id] = ids;
  note(
    'has one stable id in every language',
    ids.size === 1 && id !== undefined,
    [...ids].join(' ≠ '),
  );
  const distinct = new Set(shapes.values());
  note(
    'every language declares the same hints, predictions and quizzes',
    distinct.size <= 1,
    [...shapes].map(([lang, shape]) => `${lang}: ${shape}`).join('; '),
  );
}

/** What a learner is asked in the prose, for comparing the languages: hint, predict and quiz counts. */
export function exerciseShape(source: string): string {
  const count = (pattern: RegExp) => (source.match(pattern) ?? []).length;
  const predictions = [...source.matchAll(/<Predict\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
  return [
    `hints ${count(/<Hint\b/g)}`,
    `quizzes ${count(/<Quiz\b/g)}`,
    `predict [${predictions.join(',')}]`,
    `diagrams ${count(/<SequenceDiagram\b/g)}`,
  ].join(', ');
}

/** Links in the prose to a lesson that does not exist or a lesson-folder file that is missing. */
export function brokenLinks(source: string, lessonDir: string, contentDir: string): string[] {
  const slugs = new Set(listLessonFolders(contentDir).map((folder) => folder.slug));
  const targets = [
    ...[...source.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!),
    ...[...source.matchAll(/\b(?:href|capture)="([^"]+)"/g)].map((m) => m[1]!),
  ];
  return targets.filter((target) => {
    const lesson = /^\/(?:en|zh)\/lessons\/([a-z0-9-]+)/.exec(target);
    if (lesson) return !slugs.has(lesson[1]!);
    if (target.startsWith('./') || target.startsWith('../'))
      return !existsSync(path.join(lessonDir, target.split('#')[0]!));
    return false;
  });
}

async function checkRuns(
  folder: LessonFolder,
  lesson: LoadedLesson,
  runner: ContentRunner,
  note: Note,
): Promise<void> {
  const needed = lesson.processes.flatMap((spec) => ('file' in spec ? [spec.file] : []));
  const starter = readPythonFiles(path.join(folder.dir, 'starter'));
  const solution = readPythonFiles(path.join(folder.dir, 'solution'));
  for (const lang of Lang.options) {
    const localized = path.join(folder.dir, `starter.${lang}`);
    if (!existsSync(localized)) continue;
    const names = (files: SourceFile[]) => files.map((file) => file.name).join(', ');
    const same = names(readPythonFiles(localized)) === names(starter);
    note(
      `starter.${lang}/ holds the same files as starter/`,
      same,
      same ? undefined : names(readPythonFiles(localized)),
    );
  }
  for (const [which, files] of [
    ['starter', starter],
    ['solution', solution],
  ] as const) {
    const absent = needed.filter((name) => !files.some((file) => file.name === name));
    note(
      `${which}/ holds the files the run needs`,
      absent.length === 0,
      absent.join(', ') || undefined,
    );
  }
  note('has checks', lesson.checks.length > 0);
  if (lesson.checks.length === 0) return;
  for (const lang of Lang.options) {
    const seed = contentSeed(lesson.slug, `solution-${lang}`);
    const results = await judgeFiles(runner, lesson, solution, lang, seed);
    const bad = results.filter((result) => result.status !== 'pass');
    const ok = results.length === lesson.checks.length && bad.length === 0;
    note(
      `solution passes every check (${lang})`,
      ok,
      ok ? undefined : `seed ${seed}: ${summary(bad)}`,
    );
  }
  const started = await judgeFiles(
    runner,
    lesson,
    starter,
    'en',
    contentSeed(lesson.slug, 'starter'),
  );
  const errors = started.filter((result) => result.status === 'error');
  note(
    'starter fails a check',
    started.some((r) => r.status === 'fail') && errors.length === 0,
    summary(errors),
  );
  let wrong: WrongProgram[] = [];
  try {
    wrong = readWrongPrograms(folder.dir);
  } catch (error) {
    return note('wrong programs are readable', false, (error as Error).message);
  }
  for (const program of wrong) await checkWrong(runner, lesson, program, note);
}

async function checkWrong(
  runner: ContentRunner,
  lesson: LoadedLesson,
  program: WrongProgram,
  note: Note,
): Promise<void> {
  const unknown = program.fails.filter((id) => !lesson.checks.some((check) => check.id === id));
  if (unknown.length > 0)
    return note(`wrong/${program.name} names real checks`, false, unknown.join(', '));
  const seed = contentSeed(lesson.slug, `wrong/${program.name}`);
  const results = await judgeFiles(runner, lesson, program.files, 'en', seed);
  const passed = results.filter((r) => program.fails.includes(r.id) && r.status !== 'fail');
  const errors = results.filter((r) => r.status === 'error');
  const failed = results.filter((r) => program.fails.includes(r.id) && r.status === 'fail');
  note(
    `wrong/${program.name} fails ${program.fails.join(', ')}`,
    passed.length === 0 && errors.length === 0,
    `seed ${seed}: ${summary(passed.length || errors.length ? [...passed, ...errors] : failed)}`,
  );
}

function summary(results: CheckResult[]): string | undefined {
  if (results.length === 0) return undefined;
  return results.map((r) => `${r.status} ${r.id}: ${r.message}`).join(' | ');
}
