import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareDataDir } from './data-dir.ts';

describe('prepareDataDir', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'handshake-data-dir-'));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('creates the folder and its parents, open to its owner only', () => {
    const dir = path.join(scratch, 'a', 'data');
    prepareDataDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it.runIf(process.getuid?.() === 0)('hands the folder and its files to the app’s user', () => {
    const dir = path.join(scratch, 'data');
    prepareDataDir(dir);
    writeFileSync(path.join(dir, 'handshake.sqlite'), '');
    prepareDataDir(dir, { uid: 65534, gid: 65534 });
    for (const entry of [dir, path.join(dir, 'handshake.sqlite')])
      expect(statSync(entry)).toMatchObject({ uid: 65534, gid: 65534 });
  });
});
