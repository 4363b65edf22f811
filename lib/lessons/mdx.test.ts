import { mkdtempSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileLessonMdx, LessonSourceError } from './mdx.ts';

const root = mkdtempSync(path.join(tmpdir(), 'handshake-mdx-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a fixture lesson folder with the given files and returns the path of its prose file. */
function lesson(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content);
  return path.join(dir, 'index.en.mdx');
}

const FRONT = '---\nid: sockets\ntitle: Sockets\nsummary: Open one.\n---\n';

async function compileError(file: string): Promise<LessonSourceError> {
  const error = await compileLessonMdx(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LessonSourceError);
  return error as LessonSourceError;
}

describe('compileLessonMdx', () => {
  it('compiles prose and returns the validated frontmatter', async () => {
    const file = lesson('valid', { 'index.en.mdx': `${FRONT}\n# Hello\n\n<Note>hi</Note>\n` });
    const result = await compileLessonMdx(file);
    expect(result.frontmatter).toEqual({ id: 'sockets', title: 'Sockets', summary: 'Open one.' });
    expect(result.code).toContain('return Component');
  });

  it('renders GitHub-flavoured Markdown tables', async () => {
    const file = lesson('table', {
      'index.en.mdx': `${FRONT}\n| call | returns |\n|---|---|\n| recv | bytes |\n`,
    });
    const { code } = await compileLessonMdx(file);
    expect(code).toContain('"table"');
    expect(code).toContain('"td"');
  });

  it('bundles lesson-local imports relative to the lesson folder', async () => {
    const file = lesson('imports', {
      'index.en.mdx': `${FRONT}\nimport { port } from './config.ts'\n\nPort {port}\n`,
      'config.ts': 'export const port: number = 8080;\n',
    });
    expect((await compileLessonMdx(file)).code).toContain('8080');
  });

  it('names the file, line and column of a broken MDX tag', async () => {
    const file = lesson('broken', {
      'index.en.mdx': `${FRONT}\n# Title\n\n<Note>\n  text\n</Warning>\n`,
    });
    const error = await compileError(file);
    expect(error.line).toBe(11);
    expect(error.column).toBe(1);
    expect(error.message).toMatch(/index\.en\.mdx:11:1: Unexpected closing tag `<\/Warning>`/);
  });

  it('names the line of an unknown frontmatter key', async () => {
    const file = lesson('unknown-key', {
      'index.en.mdx': '---\nid: a\ntitle: A\nsummary: B\nsumary: C\n---\n\nx\n',
    });
    const error = await compileError(file);
    expect(error.message).toMatch(/index\.en\.mdx:5:1: frontmatter: .*sumary/);
  });

  it('names the line of a frontmatter value of the wrong type', async () => {
    const file = lesson('wrong-type', {
      'index.en.mdx': '---\nid: a\ntitle: A\nsummary: 42\n---\n\nx\n',
    });
    const error = await compileError(file);
    expect(error.line).toBe(4);
    expect(error.reason).toMatch(/^frontmatter: summary: /);
  });

  it('points at the opening fence when a required key is missing', async () => {
    const file = lesson('missing-key', { 'index.en.mdx': '---\nid: a\ntitle: A\n---\n\nx\n' });
    const error = await compileError(file);
    expect(error.line).toBe(1);
    expect(error.reason).toMatch(/summary/);
  });

  it('names the line of malformed YAML', async () => {
    const file = lesson('bad-yaml', {
      'index.en.mdx': '---\nid: a\ntitle: A\nsummary: x: y\n---\n\nx\n',
    });
    const error = await compileError(file);
    expect(error.line).toBe(4);
    expect(error.reason).toMatch(/^frontmatter: /);
  });

  it('names the imported file when a lesson widget fails to compile', async () => {
    const file = lesson('bad-widget', {
      'index.en.mdx': `${FRONT}\nimport W from './widget.tsx'\n\n<W />\n`,
      'widget.tsx': 'export default function W() {\n  const n = ;\n  return <b>{n}</b>;\n}\n',
    });
    const error = await compileError(file);
    expect(error.file).toBe(path.join(root, 'bad-widget', 'widget.tsx'));
    expect(error.line).toBe(2);
  });

  it('serves the cached result until a file of the lesson folder changes', async () => {
    const file = lesson('cached', { 'index.en.mdx': `${FRONT}\nfirst\n` });
    const first = compileLessonMdx(file);
    expect(compileLessonMdx(file)).toBe(first);
    writeFileSync(file, `${FRONT}\nsecond\n`);
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    const second = compileLessonMdx(file);
    expect(second).not.toBe(first);
    expect((await second).code).toContain('second');
  });
});

describe('components', () => {
  it('refuses a tag no palette or import provides, naming its line', async () => {
    const file = lesson('unknown-component', {
      'index.en.mdx': `${FRONT}\n# Title\n\n<Hintz>close</Hintz>\n`,
    });
    const error = await compileError(file);
    expect(error.message).toMatch(/index\.en\.mdx:9:1: <Hintz> is not a component lessons can use/);
  });
});
