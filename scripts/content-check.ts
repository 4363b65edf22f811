/**
 * `npm run content:check [slug...]`: proves every lesson (or the ones named) in the content folder
 * — see sandbox-server/authoring/content-check.ts — running lessons side by side, and prints one
 * report per lesson. Exit status 1 when anything failed. Needs root, like the sandbox.
 */
import { defaultContentDir, listLessonFolders } from '../lib/lessons/folders.ts';
import { checkLesson, type LessonReport } from '../sandbox-server/authoring/content-check.ts';
import { Judge } from '../sandbox-server/judge/judge.ts';
import { SandboxHost } from '../sandbox-server/run/sandbox-host.ts';

/** Lessons proven at once: each runs its programs one after another. */
const PARALLEL_LESSONS = 3;

const contentDir = defaultContentDir();
const wanted = process.argv.slice(2);
const folders = listLessonFolders(contentDir).filter(
  (folder) => wanted.length === 0 || wanted.includes(folder.slug),
);
const unknown = wanted.filter((slug) => !folders.some((folder) => folder.slug === slug));
if (unknown.length > 0) {
  console.error(`content:check: no lesson ${unknown.join(', ')} in ${contentDir}`);
  process.exit(2);
}

const judge = new Judge(contentDir);
const host = new SandboxHost();
const started = performance.now();
const queue = [...folders];
const reports: LessonReport[] = [];
await Promise.all(
  Array.from({ length: PARALLEL_LESSONS }, async () => {
    for (let folder = queue.shift(); folder; folder = queue.shift()) {
      const report = await checkLesson(contentDir, folder, { judge, host });
      reports.push(report);
      print(report);
    }
  }),
);
judge.close();
await host.disposeAsync();
const failed = reports.filter((report) => !report.ok);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `\n${reports.length - failed.length}/${reports.length} lessons proven in ${seconds} s` +
    (failed.length ? `; failing: ${failed.map((report) => report.slug).join(', ')}` : ''),
);
process.exitCode = failed.length > 0 ? 1 : 0;

function print(report: LessonReport): void {
  const lines = [`${report.ok ? '✓' : '✗'} ${report.slug}`];
  for (const finding of report.findings) {
    if (finding.ok && !process.env.VERBOSE) continue;
    lines.push(
      `    ${finding.ok ? '✓' : '✗'} ${finding.what}${finding.detail ? `: ${finding.detail}` : ''}`,
    );
  }
  console.log(lines.join('\n'));
}
