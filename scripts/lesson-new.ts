/**
 * `npm run lesson:new -- <slug>`: creates `content/NN-<slug>/` (NN after the last lesson) with a
 * working lesson in English and Chinese to edit into yours; see docs/authoring.md.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultContentDir, listLessonFolders } from '../lib/lessons/folders.ts';
import { nextFolderName, scaffoldLesson, SLUG } from '../sandbox-server/authoring/scaffold.ts';

const slug = process.argv[2] ?? '';
if (!SLUG.test(slug)) {
  console.error(
    'usage: npm run lesson:new -- <slug>   (lowercase words joined by -, e.g. udp-chat)',
  );
  process.exit(2);
}
const contentDir = defaultContentDir();
const folders = existsSync(contentDir) ? listLessonFolders(contentDir) : [];
if (folders.some((folder) => folder.slug === slug)) {
  console.error(`lesson:new: a lesson "${slug}" already exists in ${contentDir}`);
  process.exit(1);
}
const dir = path.join(
  contentDir,
  nextFolderName(
    slug,
    folders.map((folder) => folder.dir),
  ),
);
for (const [file, text] of Object.entries(scaffoldLesson(slug))) {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}
console.log(
  `created ${path.relative(process.cwd(), dir) || dir}/ — prove it with: npm run content:check ${slug}`,
);
