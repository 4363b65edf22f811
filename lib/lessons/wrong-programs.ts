/**
 * A lesson's named wrong programs: `wrong/<name>/` holds the learner files that differ from the
 * solution and `expect.json` naming the checks the program must fail and why. The content check
 * runs each one and proves it fails those checks, so a check that a wrong program passes is
 * caught before a learner finds it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describeIssues, type SourceFile } from '../protocol.ts';
import { readPythonFiles } from './catalog.ts';
import { LocalizedText } from './schema.ts';

/** `wrong/<name>/expect.json`. */
export const WrongExpectation = z
  .object({
    fails: z
      .array(z.string().regex(/^[a-z0-9-]+$/))
      .min(1)
      .describe('Ids of the checks this program must fail'),
    why: LocalizedText.describe('The mistake it makes, in every lesson language'),
  })
  .strict();

export interface WrongProgram {
  name: string;
  /** The solution's files with this program's files in their place. */
  files: SourceFile[];
  fails: string[];
  why: LocalizedText;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** The wrong programs of the lesson in `dir`, by name; throws naming the file that is broken. */
export function readWrongPrograms(dir: string): WrongProgram[] {
  const root = path.join(dir, 'wrong');
  if (!existsSync(root)) return [];
  const solution = readPythonFiles(path.join(dir, 'solution'));
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const folder = path.join(root, name);
      if (!NAME.test(name)) throw new Error(`${folder}: name it with lowercase words joined by -`);
      const expectation = readExpectation(path.join(folder, 'expect.json'));
      const own = readPythonFiles(folder);
      if (own.length === 0) throw new Error(`${folder}: holds no .py file`);
      const byName = new Map(solution.map((file) => [file.name, file]));
      for (const file of own) byName.set(file.name, file);
      return { name, files: [...byName.values()], ...expectation };
    });
}

function readExpectation(file: string): z.infer<typeof WrongExpectation> {
  if (!existsSync(file)) throw new Error(`${file}: missing (say which checks this program fails)`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not JSON: ${(error as Error).message}`);
  }
  const parsed = WrongExpectation.safeParse(value);
  if (!parsed.success) throw new Error(`${file}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
