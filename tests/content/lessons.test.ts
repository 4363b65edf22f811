/**
 * Proves every lesson in content/ with the same content check as `npm run content:check` (see
 * sandbox-server/authoring/content-check.ts): both languages compile with one id and the same
 * exercises, links resolve, the solution passes in every language, the starter fails, and every
 * named wrong program fails the checks it names — in the real sandbox, judged by the real judge.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listLessonFolders } from '../../lib/lessons/folders.ts';
import { checkLesson } from '../../sandbox-server/authoring/content-check.ts';
import { Judge } from '../../sandbox-server/judge/judge.ts';
import { SandboxHost } from '../../sandbox-server/run/sandbox-host.ts';

const contentDir = path.resolve('content');
const lessons = listLessonFolders(contentDir);
const judge = new Judge(contentDir);
const host = new SandboxHost();
afterAll(async () => {
  judge.close();
  await host.disposeAsync();
});

/** A lesson's programs run one after another; a wrong one may wait out its time limit. */
const LESSON_TIMEOUT_MS = 240_000;

it('content/ holds the fundamentals course', () => {
  expect(lessons.map((lesson) => lesson.slug)).toEqual(
    expect.arrayContaining(['tcp-client', 'tcp-server']),
  );
});

describe.concurrent('every lesson', () => {
  it.each(lessons)(
    '$slug is proven',
    async (folder) => {
      const report = await checkLesson(contentDir, folder, { judge, host });
      const failed = report.findings.filter((finding) => !finding.ok);
      expect(failed, failed.map((f) => `${f.what}: ${f.detail}`).join('\n')).toEqual([]);
      expect(report.findings.length).toBeGreaterThan(8);
    },
    LESSON_TIMEOUT_MS,
  );
});
