import { describe, expect, it } from 'vitest';
import type { LessonDefinition } from '../../lib/lessons/define.ts';
import { RunInputError } from './input-error.ts';
import { planProcesses } from './plan.ts';
import { validateFiles } from './validate.ts';

const file = (name: string, content = 'print(1)') => ({ name, content });

describe('planProcesses', () => {
  it('runs each file in the order given when there is no lesson', () => {
    const plan = planProcesses([file('server.py'), file('client.py')]);
    expect(plan.map((p) => [p.name, p.kind, p.label])).toEqual([
      ['server.py', 'learner', 'server.py'],
      ['client.py', 'learner', 'client.py'],
    ]);
  });

  it("follows the lesson's order and names peers peer:NAME, labelled 'peer: NAME'", () => {
    const lesson: LessonDefinition = {
      processes: [{ peer: 'tcp-echo', name: 'echo', port: 8080 }, { file: 'client.py' }],
    };
    const plan = planProcesses([file('client.py'), file('helper.py')], lesson);
    expect(plan.map((p) => [p.name, p.label])).toEqual([
      ['peer:echo', 'peer: echo'],
      ['client.py', 'client.py'],
    ]);
    expect(plan[0]!.peer).toEqual({
      peer: 'tcp-echo',
      name: 'echo',
      port: 8080,
      options: { waitForEnd: false },
    });
  });

  it("keeps each process's startNext, so the run knows which ones the next need not wait for", () => {
    const plan = planProcesses([file('client.py')], {
      processes: [
        { peer: 'tcp-echo', port: 8080 },
        { file: 'client.py', startNext: 'at-once' },
        { peer: 'tcp-crowd', port: 8080, startNext: 'when-ready' },
      ],
    });
    expect(plan.map((p) => p.startNext)).toEqual([undefined, 'at-once', 'when-ready']);
  });

  it("gives a lesson's learner processes the modules to import ahead, and none without a lesson", () => {
    const lesson = { processes: [{ file: 'client.py' }], pythonImports: ['asyncio', 'helper'] };
    const [client] = planProcesses([file('client.py')], lesson);
    expect(client!.preimport).toContain('asyncio');
    expect(client!.preimport).toContain('socket'); // the base
    expect(client!.preimport).not.toContain('helper');
    expect(planProcesses([file('client.py')])[0]!.preimport).toBeUndefined();
  });

  it('fills peer option defaults and names an unnamed peer after its type', () => {
    const plan = planProcesses([file('server.py')], {
      processes: [{ peer: 'tcp-client', port: 9000 }],
    });
    expect(plan[0]!.name).toBe('peer:tcp-client');
    expect(plan[0]!.peer!.options).toMatchObject({ lines: ['hello'], connectTimeoutMs: 3000 });
  });

  it('refuses a lesson that runs a file that was not sent', () => {
    expect(() => planProcesses([file('a.py')], { processes: [{ file: 'server.py' }] })).toThrow(
      /server.py/,
    );
  });

  it('refuses bad peer options and duplicate process names', () => {
    expect(() =>
      planProcesses([file('a.py')], {
        // A lesson that skipped the type-check: the plan still refuses it.
        processes: [{ peer: 'tcp-client', port: 9000, options: { lines: 'hi' } }] as never,
      }),
    ).toThrow(RunInputError);
    const twice: LessonDefinition = {
      processes: [
        { peer: 'tcp-echo', port: 1 + 8000 },
        { peer: 'tcp-echo', port: 8002 },
      ],
    };
    expect(() => planProcesses([file('a.py')], twice)).toThrow(/twice/);
  });
});

describe('validateFiles', () => {
  it('accepts ordinary files', () => {
    expect(() => validateFiles([file('client.py'), file('server.py')])).not.toThrow();
  });

  it('refuses no files, bad names, duplicates and too many files', () => {
    expect(() => validateFiles([])).toThrow(/at least one/);
    expect(() => validateFiles([file('../etc/passwd')])).toThrow(
      expect.objectContaining({
        notice: { code: 'bad-file-name', params: { file: '../etc/passwd' } },
      }),
    );
    expect(() => validateFiles([file('a.py'), file('a.py')])).toThrow(/twice/);
    expect(() => validateFiles(Array.from({ length: 9 }, (_, i) => file(`f${i}.py`)))).toThrow(
      /at most 8/,
    );
  });

  it('measures size in UTF-8 bytes, not characters', () => {
    const wide = '字'.repeat(22 * 1024); // 66 KiB of UTF-8 in 22 K characters
    expect(() => validateFiles([file('a.py', wide)])).toThrow(
      expect.objectContaining({
        code: 'too-large',
        notice: { code: 'file-too-large', params: { file: 'a.py', maxBytes: 64 * 1024 } },
      }),
    );
  });
});
