/**
 * The judge runs instructor code in a worker process: lessons load as data, checks judge a record,
 * and a check that never returns (even a synchronous loop) or hoards memory fails alone while
 * the server's thread keeps running. The lessons here live outside the repository, importing the
 * kit by its name, as a HANDSHAKE_CONTENT_DIR anywhere would.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../lib/lessons/define.ts';
import { Judge } from './judge.ts';

const CONTENT = mkdtempSync(path.join(tmpdir(), 'handshake-judge-'));
afterAll(() => rmSync(CONTENT, { recursive: true, force: true }));

/** Writes lesson `slug` whose checks are the given source (an array literal). */
function lesson(slug: string, checks: string, prelude = ''): string {
  const dir = path.join(CONTENT, `01-${slug}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.en.mdx'), `---\nid: ${slug}\n---\n`);
  writeFileSync(
    path.join(dir, 'check.ts'),
    `import { defineLesson, type RunRecord } from '@handshake/lesson';
${prelude}
export default defineLesson({
  processes: [{ peer: 'tcp-echo', port: 8080 }, { file: 'client.py' }],
  checks: ${checks},
});
`,
  );
  return slug;
}

const printed = (stdout: string): RunRecord => ({
  reason: 'completed',
  processes: {
    'client.py': {
      name: 'client.py',
      kind: 'learner',
      stdout,
      stderr: '',
      end: 'exited',
      exitCode: 0,
      signal: null,
      durationMs: 5,
      reports: [],
    },
  },
  reports: [],
  faults: [],
  seed: 1,
});

const title = { en: 'Printed hi', zh: '打印了 hi' };
const good = lesson(
  'good',
  `[{ id: 'printed', title: ${JSON.stringify(title)},
      run: (run: RunRecord, t) => ({ pass: run.processes['client.py']?.stdout === 'hi\\n',
        message: t({ en: 'looked', zh: '看过了' }) }) }]`,
);
const loops = lesson(
  'loops',
  `[{ id: 'first', title: ${JSON.stringify(title)}, run: () => ({ pass: true, message: 'ok' }) },
    { id: 'forever', title: { en: 'Loops', zh: '死循环' }, run: () => { for (;;) {} } }]`,
);
const hoards = lesson(
  'hoards',
  `[{ id: 'hoard', title: ${JSON.stringify(title)},
      run: () => { const a: string[] = []; for (;;) a.push('x'.repeat(1e6) + a.length); } }]`,
);
const throws = lesson(
  'throws',
  `[{ id: 'bug', title: ${JSON.stringify(title)}, run: () => { throw new Error('oops'); } }]`,
);
const hangsOnLoad = lesson('hangs-on-load', '[]', 'for (;;) {}');
const typo = lesson('typo', '[]'.replace('[]', '[], limits: { wallSecond: 3 }'));

describe('Judge', () => {
  const judge = new Judge(CONTENT, { checkTimeoutMs: 300, loadTimeoutMs: 3000 });
  afterAll(() => judge.close());

  it('loads a lesson as data: its processes with defaults, limits, the names of its checks and its files’ imports', async () => {
    for (const [which, content] of [
      ['starter', 'import socket\n'],
      ['solution', 'import asyncio, socket\n'],
    ]) {
      mkdirSync(path.join(CONTENT, `01-${good}`, which!), { recursive: true });
      writeFileSync(path.join(CONTENT, `01-${good}`, which!, 'client.py'), content!);
    }
    expect(await judge.load(good)).toEqual({
      slug: 'good',
      id: 'good',
      processes: [
        { peer: 'tcp-echo', port: 8080, options: { waitForEnd: false } },
        { file: 'client.py' },
      ],
      limits: {},
      checks: [{ id: 'printed', title }],
      pythonImports: ['asyncio', 'socket'],
    });
    expect(await judge.load('nothing-here')).toBeUndefined();
  });

  it('judges a record with the lesson checks, in the run language', async () => {
    expect(await judge.judge(good, printed('hi\n'), 'zh')).toEqual([
      { id: 'printed', title: title.zh, status: 'pass', message: '看过了' },
    ]);
    const [result] = await judge.judge(good, printed('bye\n'), 'en');
    expect(result).toMatchObject({ status: 'fail', message: 'looked' });
  });

  it('reports a check that never returns as an error, keeps the others, and stays usable', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    const results = await judge.judge(loops, printed(''), 'en');
    clearInterval(ticker);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['first', 'pass'],
      ['forever', 'error'],
    ]);
    expect(results[1]!.message).toMatch(/0\.3 s/);
    // The server's own thread kept running while the check looped.
    expect(ticks).toBeGreaterThan(10);
    expect((await judge.judge(good, printed('hi\n'), 'en'))[0]!.status).toBe('pass');
  });

  it('reports a check that hoards memory as an error, and stays usable', async () => {
    const [result] = await judge.judge(hoards, printed(''), 'en');
    expect(result).toMatchObject({ id: 'hoard', status: 'error' });
    expect((await judge.judge(good, printed('hi\n'), 'en'))[0]!.status).toBe('pass');
  }, 20_000);

  it('reports a check that throws as an error with its message', async () => {
    const [result] = await judge.judge(throws, printed(''), 'en');
    expect(result).toMatchObject({ id: 'bug', status: 'error', details: 'oops' });
  });

  it('gives up on a check.ts that never finishes loading, naming the lesson', async () => {
    await expect(judge.load(hangsOnLoad)).rejects.toThrow(
      /hangs-on-load: check\.ts did not load within 3 s/,
    );
    expect(await judge.load(good)).toBeDefined();
  }, 10_000);

  it('names the file and the mistake of a lesson with a typo', async () => {
    await expect(judge.load(typo)).rejects.toThrow(/01-typo\/check\.ts.*wallSecond/);
  });
});
