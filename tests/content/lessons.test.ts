/**
 * Proves every lesson in content/ (freeCodeCamp's rule): both languages exist and compile, its
 * check.ts is valid, starter and solution hold the files the run needs, the solution passes
 * every check in the real sandbox, and the starter does not.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { compileLessonMdx } from '../../lib/lessons/mdx.ts';
import { lessonLanguages, proseFile } from '../../lib/lessons/catalog.ts';
import { listLessonFolders } from '../../lib/lessons/folders.ts';
import { loadLessonDefinition, readLessonFiles } from '../../lib/lessons/load-definition.ts';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import type { CheckResult, Lang, RunEvent, SourceFile } from '../../lib/protocol.ts';
import { startRun } from '../../sandbox-server/run/start-run.ts';
import { DEFAULT_LIMITS } from '../../sandbox-server/limits.ts';

const contentDir = path.resolve('content');
const lessons = listLessonFolders(contentDir);
const LANGS: Lang[] = ['en', 'zh'];

/** Runs `files` with the lesson's peers and checks; returns the check results. */
async function judge(
  lesson: LessonDefinition,
  files: SourceFile[],
  lang: Lang,
): Promise<CheckResult[]> {
  let results: CheckResult[] = [];
  const emit = (event: RunEvent): void => {
    if (event.type === 'checks') results = event.results;
  };
  const runId = `content-${Math.random().toString(36).slice(2, 10)}`;
  await startRun({ runId, files, lesson, lang, limits: { ...DEFAULT_LIMITS } }, emit).done;
  return results;
}

const summary = (results: CheckResult[]): string =>
  results.map((r) => `${r.status} ${r.id}: ${r.message}`).join('\n');

it('content/ holds at least the two core lessons', () => {
  expect(lessons.map((lesson) => lesson.slug)).toEqual(
    expect.arrayContaining(['tcp-client', 'tcp-server']),
  );
});

describe.each(lessons)('lesson $slug', ({ slug, dir }) => {
  it('exists in English and Chinese, and both compile', async () => {
    expect(lessonLanguages(dir)).toEqual(expect.arrayContaining(LANGS));
    for (const lang of LANGS) {
      const { frontmatter } = await compileLessonMdx(proseFile(dir, lang), dir);
      expect(frontmatter.title.length).toBeGreaterThan(0);
    }
  });

  it('has a valid check.ts whose learner files exist in starter/ and solution/', async () => {
    const lesson = await loadLessonDefinition(contentDir, slug);
    const needed = lesson.processes.flatMap((spec) => ('file' in spec ? [spec.file] : []));
    for (const which of ['starter', 'solution'] as const) {
      const names = readLessonFiles(contentDir, slug, which).map((file) => file.name);
      expect(names, `${which}/`).toEqual(expect.arrayContaining(needed));
    }
    expect(lesson.checks?.length ?? 0).toBeGreaterThan(0);
  });

  it.each(LANGS)('its solution passes every check (%s)', async (lang) => {
    const lesson = await loadLessonDefinition(contentDir, slug);
    const results = await judge(lesson, readLessonFiles(contentDir, slug, 'solution'), lang);
    expect(results.length).toBe(lesson.checks?.length);
    expect(
      results.every((result) => result.status === 'pass'),
      summary(results),
    ).toBe(true);
  });

  it('its starter fails at least one check, with a message', async () => {
    const lesson = await loadLessonDefinition(contentDir, slug);
    const results = await judge(lesson, readLessonFiles(contentDir, slug, 'starter'), 'en');
    const failed = results.filter((result) => result.status === 'fail');
    expect(failed.length, summary(results)).toBeGreaterThan(0);
    expect(
      results.some((result) => result.status === 'error'),
      summary(results),
    ).toBe(false);
    for (const result of failed) expect(result.message.length).toBeGreaterThan(10);
  });
});
