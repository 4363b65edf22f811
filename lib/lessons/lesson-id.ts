/**
 * A lesson's stable id (its frontmatter `id`, the same in every language), read without compiling
 * its prose: what keys everything stored about a lesson, however its folder is renamed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { Lang } from '../protocol.ts';
import { Frontmatter } from './schema.ts';

/** The id in the frontmatter of the lesson folder `dir`'s first prose file; throws when absent. */
export function lessonIdOf(dir: string): string {
  const file = Lang.options
    .map((lang) => path.join(dir, `index.${lang}.mdx`))
    .find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`${dir}: no index.<lang>.mdx`);
  const id = Frontmatter.shape.id.safeParse(matter(readFileSync(file, 'utf8')).data.id);
  if (!id.success) throw new Error(`${file}: frontmatter: id: ${id.error.issues[0]!.message}`);
  return id.data;
}
