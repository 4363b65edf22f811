import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findLessonDefinition,
  loadLessonDefinition,
  readLessonFiles,
  UnknownLessonError,
} from './load-definition.ts';

let content: string;

function lesson(folder: string, checkTs: string | null, files: Record<string, string> = {}): void {
  const dir = path.join(content, folder);
  mkdirSync(path.join(dir, 'starter'), { recursive: true });
  if (checkTs !== null) writeFileSync(path.join(dir, 'check.ts'), checkTs);
  for (const [name, text] of Object.entries(files))
    writeFileSync(path.join(dir, 'starter', name), text);
}

beforeAll(() => {
  content = mkdtempSync(path.join(tmpdir(), 'handshake-lessons-'));
  lesson(
    '01-echo',
    `export default {
       processes: [{ peer: 'tcp-echo', port: 8080 }, { file: 'client.py' }],
       checks: [{ id: 'ok', title: { en: 'OK', zh: '好' }, run: () => ({ pass: true, message: 'fine' }) }],
     };`,
    { 'client.py': 'print(1)\n', 'helper.py': 'X = 1\n', 'notes.txt': 'not python' },
  );
  lesson('02-bad-port', `export default { processes: [{ peer: 'tcp-echo', port: 80 }] };`);
  lesson('03-no-default', `export const lesson = { processes: [] };`);
  lesson('04-no-check', null);
  lesson('05-syntax', `export default {`);
  lesson(
    '07-typo',
    `export default {
       processes: [
         { peer: 'tcp-echo', port: 8080 },
         { peer: 'tcp-proxy', port: 9000, options: { target: 8080, chunkByte: 3 } },
         { file: 'client.py' },
       ],
     };`,
  );
  lesson('06-bad-file', `export default { processes: [{ file: 'client.py' }] };`, {
    'bad name.py': 'x',
  });
});

afterAll(() => rmSync(content, { recursive: true, force: true }));

describe('loadLessonDefinition', () => {
  it('imports check.ts and fills the schema defaults', async () => {
    const definition = await loadLessonDefinition(content, 'echo');
    expect(definition.processes).toEqual([
      { peer: 'tcp-echo', port: 8080, options: { waitForEnd: false } },
      { file: 'client.py' },
    ]);
    expect(definition.limits).toEqual({});
    expect(
      definition.checks![0]!.run(
        { reason: 'completed', processes: {}, reports: [], faults: [], seed: 0 },
        (t) => t.en,
      ),
    ).toEqual({
      pass: true,
      message: 'fine',
    });
  });

  it('names the file and the problem for an invalid lesson', async () => {
    await expect(loadLessonDefinition(content, 'bad-port')).rejects.toThrow(
      /02-bad-port\/check\.ts:1: processes\.0\.port/,
    );
  });

  it("names the file and line of a typo in a peer's options", async () => {
    await expect(loadLessonDefinition(content, 'typo')).rejects.toThrow(
      /07-typo\/check\.ts:4: processes\.1\.options: Unrecognized key: "chunkByte"/,
    );
  });

  it('explains a missing default export, a missing check.ts and a file that does not load', async () => {
    await expect(loadLessonDefinition(content, 'no-default')).rejects.toThrow(/no default export/);
    await expect(loadLessonDefinition(content, 'no-check')).rejects.toThrow(
      /04-no-check\/check\.ts: missing/,
    );
    await expect(loadLessonDefinition(content, 'syntax')).rejects.toThrow(
      /05-syntax\/check\.ts: could not be loaded/,
    );
  });

  it('refuses an unknown slug with a clear error that lists the lessons', async () => {
    const error = await loadLessonDefinition(content, 'nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownLessonError);
    expect((error as Error).message).toMatch(
      /unknown lesson "nope" \(lessons here: echo, bad-port/,
    );
  });
});

describe('findLessonDefinition', () => {
  it('returns undefined for an unknown slug but still throws for a broken lesson', async () => {
    expect(await findLessonDefinition(content, 'nope')).toBeUndefined();
    await expect(findLessonDefinition(content, 'bad-port')).rejects.toThrow(/check\.ts/);
  });
});

describe('readLessonFiles', () => {
  it('reads the Python files of a folder, sorted by name', () => {
    expect(readLessonFiles(content, 'echo', 'starter')).toEqual([
      { name: 'client.py', content: 'print(1)\n' },
      { name: 'helper.py', content: 'X = 1\n' },
    ]);
  });

  it('names a missing folder and a file the sandbox would refuse', () => {
    expect(() => readLessonFiles(content, 'echo', 'solution')).toThrow(
      /01-echo\/solution: missing/,
    );
    expect(() => readLessonFiles(content, 'bad-file', 'starter')).toThrow(/bad name\.py: name/);
  });
});
