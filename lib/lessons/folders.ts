/**
 * Finding lessons on disk: every folder `content/NN-slug/` is a lesson; the numeric prefix
 * orders the list and the slug drops it. Pure function of the content directory.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

export interface LessonFolder {
  slug: string;
  order: number;
  dir: string;
}

const LESSON_DIR = /^(\d{2,3})-([a-z0-9][a-z0-9-]*)$/;

/** The default content directory: `content/` under the working directory, or HANDSHAKE_CONTENT_DIR. */
export function defaultContentDir(): string {
  // The comment keeps Turbopack from tracing the whole project through this dynamic path
  // (which made `next dev` rebuild and reload on every page load).
  return path.resolve(
    /*turbopackIgnore: true*/ process.env.HANDSHAKE_CONTENT_DIR ??
      path.join(process.cwd(), 'content'),
  );
}

/** Lists lesson folders in order; other entries (README, shared assets) are ignored. */
export function listLessonFolders(contentDir: string): LessonFolder[] {
  return readdirSync(contentDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const match = LESSON_DIR.exec(entry.name);
      if (!match) return [];
      return [{ order: Number(match[1]), slug: match[2]!, dir: path.join(contentDir, entry.name) }];
    })
    .sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
}

/** The folder of the lesson with this slug, or undefined. */
export function findLessonFolder(contentDir: string, slug: string): LessonFolder | undefined {
  return listLessonFolders(contentDir).find((folder) => folder.slug === slug);
}
