/**
 * `node scripts/bench-judge.ts [--runs N]`: what judging costs now that checks run in the judge's
 * worker process: the first request (the worker starts and imports check.ts) and then N
 * judgements of a recorded run by every lesson's checks, p50/p95 per lesson. Prints figures;
 * asserts nothing. No sandbox needed (the records are the check library's fixtures).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../lib/lessons/define.ts';
import { defaultContentDir, listLessonFolders } from '../lib/lessons/folders.ts';
import { Judge } from '../sandbox-server/judge/judge.ts';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 200);
const record = JSON.parse(
  readFileSync(
    path.join(import.meta.dirname, '..', 'lib', 'checks', 'fixtures', 'echo.json'),
    'utf8',
  ),
) as RunRecord;
const contentDir = defaultContentDir();
const judge = new Judge(contentDir);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;

const first = performance.now();
const [folder] = listLessonFolders(contentDir);
await judge.judge(folder!.slug, record, 'en');
console.log(`first judgement (worker start + import): ${ms(performance.now() - first)}`);

console.log(`| lesson | checks | p50 | p95 |\n|---|---|---|---|`);
for (const { slug } of listLessonFolders(contentDir)) {
  const times: number[] = [];
  let checks = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    checks = (await judge.judge(slug, record, 'en')).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(
    `| ${slug} | ${checks} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 95))} |`,
  );
}
judge.close();
