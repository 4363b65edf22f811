/**
 * `npm run lesson:new -- <slug>` in a content folder of its own: the new lesson passes the whole
 * content check at once (both languages, solution, starter, its named wrong program), so an
 * instructor starts from something that works.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listLessonFolders } from '../../lib/lessons/folders.ts';
import { checkLesson } from '../../sandbox-server/authoring/content-check.ts';
import { Judge } from '../../sandbox-server/judge/judge.ts';
import { SandboxHost } from '../../sandbox-server/run/sandbox-host.ts';

const CONTENT = mkdtempSync(path.join(tmpdir(), 'handshake-new-'));
const judge = new Judge(CONTENT);
const host = new SandboxHost();
afterAll(async () => {
  judge.close();
  await host.disposeAsync();
  rmSync(CONTENT, { recursive: true, force: true });
});

const lessonNew = (slug: string) =>
  execFileSync(process.execPath, ['scripts/lesson-new.ts', slug], {
    env: { ...process.env, HANDSHAKE_CONTENT_DIR: CONTENT },
    encoding: 'utf8',
  });

describe('lesson:new', () => {
  it('scaffolds a lesson that passes the content check as it is', async () => {
    expect(lessonNew('first-steps')).toMatch(/created .*01-first-steps/);
    expect(readdirSync(path.join(CONTENT, '01-first-steps')).sort()).toEqual([
      'check.ts',
      'index.en.mdx',
      'index.zh.mdx',
      'solution',
      'starter',
      'wrong',
    ]);
    const [folder] = listLessonFolders(CONTENT);
    const report = await checkLesson(CONTENT, folder!, { judge, host });
    const failed = report.findings.filter((finding) => !finding.ok);
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(report.findings.map((finding) => finding.what)).toContain(
      'wrong/constant fails printed-greeting',
    );
  });

  it('numbers the next lesson after the last and refuses a taken or malformed slug', () => {
    expect(lessonNew('second')).toMatch(/02-second/);
    expect(() => lessonNew('second')).toThrow(/already exists/);
    expect(() => lessonNew('Bad Slug')).toThrow(/usage: npm run lesson:new/);
  });
});
