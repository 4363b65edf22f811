import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { warmKey } from '../run/warm-sandboxes.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import type { PlannedProcess } from '../plan/plan.ts';
import { bootstrapSource, fillAppDir, READY_MARKER, type AppDir } from './pywarm.ts';
import {
  BASE_PREIMPORT,
  DEFAULT_PREIMPORT,
  PREIMPORTABLE,
  preimportFor,
} from '../plan/pywarm-modules.ts';

// fillAppDir works on any directory; the real one is a tmpfs mounted by makeAppDir.
let dir: string;
let app: AppDir;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pywarm-'));
  app = { path: dir, file: 'main.py', uid: process.getuid!() };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('fillAppDir', () => {
  it('puts every file in place, the program over its stand-in, with the modes of a cold start', () => {
    writeStandIn();
    fillAppDir(app, [
      { name: 'helper.py', content: 'X = 1\n' },
      { name: 'main.py', content: 'print("héllo")\n' },
    ]);
    expect(readdirSync(dir).sort()).toEqual(['helper.py', 'main.py']);
    expect(readFileSync(path.join(dir, 'main.py'), 'utf8')).toBe('print("héllo")\n');
    for (const name of ['helper.py', 'main.py'])
      expect(statSync(path.join(dir, name)).mode & 0o777).toBe(0o600);
  });

  it('never writes through an entry that is already there (a planted symlink)', () => {
    writeStandIn();
    const target = path.join(dir, '..', `pywarm-target-${process.pid}`);
    symlinkSync(target, path.join(dir, 'helper.py'));
    expect(() =>
      fillAppDir(app, [
        { name: 'helper.py', content: 'X = 1\n' },
        { name: 'main.py', content: 'pass\n' },
      ]),
    ).toThrow(/EEXIST/);
    expect(() => statSync(target)).toThrow(/ENOENT/);
  });

  it('refuses a run without the file the Python was started for, and names that leave /app', () => {
    writeStandIn();
    expect(() => fillAppDir(app, [{ name: 'other.py', content: '' }])).toThrow(/main\.py/);
    expect(() =>
      fillAppDir(app, [
        { name: '../x.py', content: '' },
        { name: 'main.py', content: '' },
      ]),
    ).toThrow(/bad file name/);
  });
});

describe('the bootstrap', () => {
  it('has no docstring or annotation that would change __main__ before its snapshot', () => {
    const code = bootstrapSource()
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'));
    expect(code[0]).toBe('_hs_pristine = dict(globals())');
    expect(bootstrapSource()).not.toMatch(/^[A-Za-z_]\w*\s*:\s*\w+\s*=/m);
  });
});

describe('bootstrapSource', () => {
  it('writes the modules in as a tuple, and refuses any name off the fixed list', () => {
    expect(bootstrapSource(['socket', 'asyncio'])).toContain('for name in ("socket", "asyncio",):');
    expect(bootstrapSource([])).toContain('for name in ():');
    expect(bootstrapSource()).toContain(`("${DEFAULT_PREIMPORT.join('", "')}",)`);
    expect(() => bootstrapSource(['socket', 'this'])).toThrow(/not importable ahead: this/);
    expect(() => bootstrapSource(['os"); import this; ("'])).toThrow(/not importable/);
  });

  it('writes the ready marker the host waits for', () => {
    expect(bootstrapSource()).toContain(
      `os.write(1, b"${READY_MARKER.replace('\0', '\\0').replace('\n', '\\n')}")`,
    );
  });
});

describe('preimportFor', () => {
  it("imports a lesson's standard modules on top of the base, and nothing else it names", () => {
    expect(preimportFor(['socket'])).toEqual([...BASE_PREIMPORT]);
    const asyncio = preimportFor(['asyncio', 'time', 'helper', 'this', 'http.client']);
    expect(asyncio).toEqual([...BASE_PREIMPORT, 'asyncio', 'http.client']);
    expect(asyncio).not.toContain('ssl');
  });

  it('imports the default set without a lesson, in one order whatever the order asked', () => {
    expect(preimportFor(undefined)).toEqual(
      PREIMPORTABLE.filter((name) => DEFAULT_PREIMPORT.includes(name)),
    );
    expect(preimportFor(['ssl', 'json'])).toEqual(preimportFor(['json', 'ssl', 'json']));
  });
});

describe('warmKey', () => {
  const plan = (file: string): PlannedProcess[] => [
    { name: file, kind: 'learner', label: file, file },
  ];
  it('tells apart learner files and every limit a warm Python was started with', () => {
    const base = warmKey(plan('main.py'), DEFAULT_LIMITS);
    expect(warmKey(plan('main.py'), { ...DEFAULT_LIMITS })).toBe(base);
    expect(warmKey(plan('client.py'), DEFAULT_LIMITS)).not.toBe(base);
    for (const limit of ['cpuSeconds', 'openFiles', 'fileSizeBytes', 'tmpBytes', 'pids'] as const)
      expect(warmKey(plan('main.py'), { ...DEFAULT_LIMITS, [limit]: 1 })).not.toBe(base);
    // A lesson importing other modules ahead is another kind of sandbox.
    const asyncio = plan('main.py').map((p) => ({ ...p, preimport: preimportFor(['asyncio']) }));
    expect(warmKey(asyncio, DEFAULT_LIMITS)).not.toBe(base);
    // Neither the wall clock nor the output budget reach the process: they may differ.
    expect(warmKey(plan('main.py'), { ...DEFAULT_LIMITS, wallSeconds: 3 })).toBe(base);
  });
});

function writeStandIn(): void {
  fillAppDir({ ...app, file: 'main.py' }, [{ name: 'main.py', content: '# stand-in\n' }]);
}
