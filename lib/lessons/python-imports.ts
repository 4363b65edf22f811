/**
 * The modules a lesson's own Python files import, found by a line scan (no Python needed): the
 * sandbox imports the standard ones among them ahead of a run (sandbox-server/jail/pywarm.ts),
 * so a lesson that never touches asyncio does not pay for it. A scan, not a parser: an import
 * inside a string or behind an `if` is counted too (it only costs an import ahead), and a
 * learner's own additions simply load as usual when the program runs.
 */
import type { SourceFile } from '../protocol.ts';
import { readLessonFiles } from './load-definition.ts';

/** A dotted module name, as `import` and `from … import` write it. */
const MODULE = String.raw`[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*`;
const IMPORT_LINE = new RegExp(String.raw`^\s*import\s+(.+)$`);
const FROM_LINE = new RegExp(String.raw`^\s*from\s+(${MODULE})\s+import\b`);
const ONE_NAME = new RegExp(String.raw`^(${MODULE})(?:\s+as\s+\w+)?$`);

/**
 * Every absolute module `files` import (`import a.b, c as d`, `from a.b import x`), sorted,
 * without the files' own modules (a `helper.py` beside them). Relative imports are skipped.
 */
export function pythonImports(files: readonly SourceFile[]): string[] {
  const own = new Set(files.map((file) => file.name.replace(/\.py$/, '')));
  const found = new Set<string>();
  for (const file of files) {
    for (const line of file.content.split('\n')) {
      for (const name of importedBy(line.replace(/#.*/, '').trimEnd()))
        if (!own.has(name.split('.')[0]!)) found.add(name);
    }
  }
  return [...found].sort();
}

/** The modules one line imports (none for a line that is no import). */
function importedBy(line: string): string[] {
  const from = FROM_LINE.exec(line);
  if (from) return [tidy(from[1]!)];
  const plain = IMPORT_LINE.exec(line);
  if (!plain) return [];
  // `import a, b as c; x = 1`: up to the first statement separator.
  return plain[1]!
    .split(';')[0]!
    .split(',')
    .flatMap((part) => {
      const one = ONE_NAME.exec(part.trim());
      return one ? [tidy(one[1]!)] : [];
    });
}

function tidy(name: string): string {
  return name.replace(/\s+/g, '');
}

/**
 * The modules lesson `slug`'s starter and solution files import (a missing folder adds none):
 * a pure function of content/, computed when the lesson loads.
 */
export function lessonPythonImports(contentDir: string, slug: string): string[] {
  const files = (['starter', 'solution'] as const).flatMap((which) => {
    try {
      return readLessonFiles(contentDir, slug, which);
    } catch {
      return []; // no such folder: the lesson's other files still count
    }
  });
  return pythonImports(files);
}
