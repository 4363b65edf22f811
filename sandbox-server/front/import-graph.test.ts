/**
 * The Internet-facing front is the part an attacker reaches first: it must not even load the
 * privileged code (namespaces, cgroups, jails, the jailer's side of the channel). Walks the
 * modules front/main.ts loads at run time (`import type` is erased and loads nothing) and fails
 * when one of them lies in jail/, run/ or is jailer/serve.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER = path.resolve(import.meta.dirname, '..');
const FORBIDDEN = [/^jail\//, /^run\//, /^jailer\/serve\.ts$/, /^jailer\/main\.ts$/];

/** Relative module specifiers that `source` loads at run time. */
export function runtimeImports(source: string): string[] {
  const found: string[] = [];
  const statements =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'|import\(\s*'([^']+)'\s*\)/g;
  for (const match of source.matchAll(statements)) {
    if (match[2]) continue;
    const specifier = match[3] ?? match[4]!;
    if (specifier.startsWith('.')) found.push(specifier);
  }
  return found;
}

/** Every module reachable from `entry`, each with the module that first loaded it. */
function moduleGraph(entry: string): Map<string, string | null> {
  const seen = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const specifier of runtimeImports(readFileSync(file, 'utf8'))) {
      const target = path.resolve(path.dirname(file), specifier);
      if (seen.has(target)) continue;
      seen.set(target, file);
      if (/\.[cm]?[jt]s$/.test(target)) queue.push(target);
    }
  }
  return seen;
}

const inServer = (file: string): string => path.relative(SERVER, file);

describe("the front's import graph", () => {
  it('reads runtime imports and skips type-only ones', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "export { c } from './c.ts';",
      "export type { D } from './d.ts';",
      "import './e.ts';",
      "import {\n  f,\n  type G,\n} from './f.ts';",
      "const h = await import('./h.ts');",
      "import { z } from 'zod';",
    ].join('\n');
    expect(runtimeImports(source)).toEqual(['./a.ts', './c.ts', './e.ts', './f.ts', './h.ts']);
  });

  it('reaches none of the privileged code from front/main.ts', () => {
    const graph = moduleGraph(path.join(SERVER, 'front', 'main.ts'));
    const reached = [...graph].flatMap(([file, from]) => {
      const name = inServer(file);
      if (!FORBIDDEN.some((pattern) => pattern.test(name))) return [];
      return [`${from === null ? '' : inServer(from)} -> ${name}`];
    });
    expect(reached).toEqual([]);
    // The walk itself works: it sees the front's own transport and the jailer channel.
    expect(graph.has(path.join(SERVER, 'front', 'jailer-engine.ts'))).toBe(true);
    expect(graph.has(path.join(SERVER, 'jailer', 'protocol.ts'))).toBe(true);
  });

  it('would catch a privileged import', () => {
    const graph = moduleGraph(path.join(SERVER, 'jailer', 'main.ts'));
    expect([...graph.keys()].map(inServer)).toContain('run/sandbox-host.ts');
  });
});
