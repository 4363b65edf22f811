import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lessonIdOf } from './lesson-id.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function lessonDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handshake-lesson-id-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

describe('lessonIdOf', () => {
  it('reads the frontmatter id, from the Chinese prose when there is no English', () => {
    expect(lessonIdOf(lessonDir({ 'index.en.mdx': '---\nid: tcp-client\n---\n# x\n' }))).toBe(
      'tcp-client',
    );
    expect(lessonIdOf(lessonDir({ 'index.zh.mdx': '---\nid: udp\n---\n# x\n' }))).toBe('udp');
  });

  it('names the file when the id is missing or malformed, and the folder when there is no prose', () => {
    expect(() => lessonIdOf(lessonDir({ 'index.en.mdx': '---\ntitle: t\n---\n' }))).toThrow(
      /index\.en\.mdx: frontmatter: id/,
    );
    expect(() => lessonIdOf(lessonDir({ 'index.en.mdx': '---\nid: Bad Id\n---\n' }))).toThrow(
      /lowercase words/,
    );
    expect(() => lessonIdOf(lessonDir({}))).toThrow(/no index/);
  });
});
