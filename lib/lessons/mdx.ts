/**
 * Compiling one lesson MDX file with mdx-bundler. The lesson folder is the bundle's working
 * directory, so prose may import lesson-local widgets (`./diagram.tsx`). Every failure becomes a
 * LessonSourceError that names `file:line:column`, and results are cached until a file of the
 * lesson folder changes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { bundleMDX } from 'mdx-bundler';
import remarkGfm from 'remark-gfm';
import type { z } from 'zod';
import { findUnknownComponent, MDX_COMPONENT_NAMES } from './mdx-components.ts';
import { Frontmatter } from './schema.ts';

export interface CompiledMdx {
  /** The bundled component as a function body, for `getMDXComponent` in the browser. */
  code: string;
  frontmatter: Frontmatter;
}

/** An error in a lesson source file, located as `file:line:column` so editors can link to it. */
export class LessonSourceError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly reason: string;

  constructor(file: string, line: number, column: number, reason: string) {
    super(`${displayPath(file)}:${line}:${column}: ${reason}`);
    this.name = 'LessonSourceError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/** A path relative to the working directory when it lies inside it, otherwise absolute. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative)
    ? file
    : relative;
}

const cache = new Map<string, { stamp: string; result: Promise<CompiledMdx> }>();

/** Compiles a lesson MDX file (cached until any file of its lesson folder changes). */
export function compileLessonMdx(
  file: string,
  lessonDir = path.dirname(file),
): Promise<CompiledMdx> {
  const stamp = folderStamp(lessonDir);
  const hit = cache.get(file);
  if (hit && hit.stamp === stamp) return hit.result;
  const result = compileUncached(file, lessonDir);
  cache.set(file, { stamp, result });
  return result;
}

/**
 * Only the frontmatter of a lesson MDX file, validated, without compiling the body: what the
 * lesson list needs. Errors name `file:line:column` as compileLessonMdx's do.
 */
export function readFrontmatter(file: string): Frontmatter {
  let data: Record<string, unknown>;
  try {
    data = matter(readFileSync(file, 'utf8')).data;
  } catch (error) {
    throw locateError(error, file, path.dirname(file));
  }
  return validateFrontmatter(data, file);
}

/** Modification times of the prose and its widgets; the learner's Python files do not matter here. */
function folderStamp(dir: string): string {
  const parts: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!/^(starter(\.[a-z]+)?|solution|wrong|node_modules)$/.test(entry.name)) walk(full);
      } else {
        const stat = statSync(full);
        parts.push(`${full}:${stat.mtimeMs}:${stat.size}`);
      }
    }
  };
  walk(dir);
  return parts.sort().join('|');
}

async function compileUncached(file: string, cwd: string): Promise<CompiledMdx> {
  let bundled: { code: string; frontmatter: Record<string, unknown> };
  try {
    bundled = await bundleMDX<Record<string, unknown>>({
      file,
      cwd,
      // GitHub-flavoured Markdown: tables, strikethrough, task lists, autolinks.
      mdxOptions: (options) => ({
        ...options,
        remarkPlugins: [...(options.remarkPlugins ?? []), remarkGfm],
      }),
      // Errors are rethrown with their location; esbuild's own console report would be noise.
      esbuildOptions: (options) => ({ ...options, logLevel: 'silent' }),
    });
  } catch (error) {
    throw locateError(error, file, cwd);
  }
  const frontmatter = validateFrontmatter(bundled.frontmatter, file);
  const unknown = findUnknownComponent(readFileSync(file, 'utf8'));
  if (unknown) {
    const known = MDX_COMPONENT_NAMES.join(', ');
    const reason = `<${unknown.name}> is not a component lessons can use (${known}), and the lesson does not import it`;
    throw new LessonSourceError(file, unknown.line, unknown.column, reason);
  }
  return { code: bundled.code, frontmatter };
}

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number } | null;
  detail?: { line?: number; column?: number; reason?: string; cause?: { reason?: string } };
}

/** Turns a YAML, MDX or esbuild failure into a LessonSourceError pointing at the offending line. */
function locateError(error: unknown, file: string, cwd: string): LessonSourceError {
  if (isYamlError(error)) {
    return new LessonSourceError(
      file,
      error.mark.line + 1,
      error.mark.column + 1,
      `frontmatter: ${error.reason}`,
    );
  }
  const first = (error as { errors?: EsbuildMessage[] }).errors?.[0];
  if (first) {
    const where = first.location ? path.resolve(cwd, first.location.file) : file;
    const detail = first.detail;
    if (detail?.line) {
      // An MDX parse error: the vfile message carries the real position and a readable reason.
      const reason = detail.cause?.reason ?? detail.reason ?? first.text;
      return new LessonSourceError(where, detail.line, detail.column ?? 1, reason);
    }
    const line = first.location?.line ?? 1;
    const column = (first.location?.column ?? 0) + 1;
    return new LessonSourceError(where, line, column, first.text.split('\n')[0] ?? first.text);
  }
  return new LessonSourceError(file, 1, 1, error instanceof Error ? error.message : String(error));
}

function isYamlError(
  error: unknown,
): error is { reason: string; mark: { line: number; column: number } } {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: string }).name === 'YAMLException' &&
    typeof (error as { mark?: { line?: unknown } }).mark?.line === 'number'
  );
}

/** Validates frontmatter with the shared schema; the error points at the offending key's line. */
function validateFrontmatter(data: Record<string, unknown>, file: string): Frontmatter {
  const result = Frontmatter.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issueKey(issue);
  const line = key ? keyLine(readFileSync(file, 'utf8'), key) : 1;
  const where = key && issue.code !== 'unrecognized_keys' ? `${key}: ` : '';
  throw new LessonSourceError(file, line, 1, `frontmatter: ${where}${issue.message}`);
}

function issueKey(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'unrecognized_keys') return issue.keys[0];
  const first = issue.path[0];
  return typeof first === 'string' ? first : undefined;
}

/** The 1-based line of `key:` inside the frontmatter block, or 1 (the opening `---`) if absent. */
function keyLine(source: string, key: string): number {
  const lines = source.split('\n');
  for (let i = 1; i < lines.length && lines[i]!.trim() !== '---'; i++) {
    if (lines[i]!.startsWith(`${key}:`)) return i + 1;
  }
  return 1;
}
