import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLessons, loadLesson } from './catalog.ts';
import { LessonSourceError } from './mdx.ts';

let content: string;

/** Writes `files` (paths relative to the content dir) into a fresh content dir. */
function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

const prose = (title: string, summary: string) =>
  `---\ntitle: ${title}\nsummary: ${summary}\n---\n\n# ${title}\n`;

beforeAll(() => {
  content = mkdtempSync(path.join(tmpdir(), 'handshake-catalog-'));
  writeTree(content, {
    '02-tcp-server/index.en.mdx': prose('TCP server', 'Listen and echo.'),
    '02-tcp-server/index.zh.mdx': prose('TCP 服务器', '监听并回显。'),
    '02-tcp-server/starter/server.py': 'import socket\n',
    '02-tcp-server/solution/server.py': 'import socket  # solved\n',
    '02-tcp-server/check.ts': 'export default {};\n',
    '01-tcp-client/index.en.mdx': prose('TCP client', 'Connect and send.'),
    '01-tcp-client/starter/client.py': 'print(1)\n',
    '01-tcp-client/starter/helper.py': 'x = 1\n',
    '01-tcp-client/starter/notes.txt': 'not python\n',
    'README.md': 'not a lesson\n',
  });
});
afterAll(() => rmSync(content, { recursive: true, force: true }));

describe('listLessons', () => {
  it('lists lessons in folder order with per-language titles', async () => {
    const lessons = await listLessons(content);
    expect(lessons.map((l) => [l.slug, l.order, l.languages])).toEqual([
      ['tcp-client', 1, ['en']],
      ['tcp-server', 2, ['en', 'zh']],
    ]);
    expect(lessons[1]!.text.zh).toEqual({ title: 'TCP 服务器', summary: '监听并回显。' });
  });

  it('fails with file and line when a lesson has invalid frontmatter', async () => {
    const bad = mkdtempSync(path.join(tmpdir(), 'handshake-bad-'));
    writeTree(bad, { '01-bad/index.en.mdx': '---\ntitle: x\nsummary: y\nlevel: 3\n---\n' });
    const error = await listLessons(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LessonSourceError);
    expect((error as Error).message).toMatch(/01-bad\/index\.en\.mdx:4:1: frontmatter/);
    rmSync(bad, { recursive: true, force: true });
  });

  it('reads only the frontmatter: a lesson whose body does not compile is still listed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handshake-body-'));
    writeTree(dir, { '01-wip/index.en.mdx': `${prose('Work in progress', 'Soon.')}\n<Broken\n` });
    expect((await listLessons(dir)).map((lesson) => lesson.text.en?.title)).toEqual([
      'Work in progress',
    ]);
    await expect(loadLesson('wip', 'en', dir)).rejects.toThrow(LessonSourceError);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('loadLesson', () => {
  it('loads compiled prose, frontmatter, starter and solution files', async () => {
    const lesson = await loadLesson('tcp-server', 'zh', content);
    expect(lesson).toMatchObject({
      slug: 'tcp-server',
      order: 2,
      lang: 'zh',
      languages: ['en', 'zh'],
      frontmatter: { title: 'TCP 服务器' },
      starter: [{ name: 'server.py', content: 'import socket\n' }],
      solution: [{ name: 'server.py', content: 'import socket  # solved\n' }],
    });
    expect(lesson!.code).toContain('return Component');
  });

  it('takes only Python files from starter/, sorted by name, and tolerates a missing solution/', async () => {
    const lesson = await loadLesson('tcp-client', 'en', content);
    expect(lesson!.starter.map((f) => f.name)).toEqual(['client.py', 'helper.py']);
    expect(lesson!.solution).toEqual([]);
  });

  it('returns undefined for an unknown lesson or a missing translation', async () => {
    expect(await loadLesson('nope', 'en', content)).toBeUndefined();
    expect(await loadLesson('tcp-client', 'zh', content)).toBeUndefined();
  });
});
