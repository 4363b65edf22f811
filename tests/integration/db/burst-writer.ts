/**
 * Child process of the kill -9 test: opens the database named by argv (a postgres:// URL or a
 * data dir), makes a class with learners, then records runs as fast as it can, printing the
 * count after each commit, until it is killed.
 */
import {
  createClass,
  createLearner,
  openDatabase,
  recordRun,
  type Learner,
} from '../../../lib/server/db/index.ts';

const where = process.argv[2]!;
const userId = process.argv[3]!;
const database = await openDatabase(
  where.startsWith('postgres') ? { url: where } : { dataDir: where },
);
const klass = await createClass(database.db, {
  name: 'burst',
  createdBy: userId,
  lessonIds: ['a', 'b', 'c'],
});
const learners: Learner[] = [];
for (const nickname of ['p', 'q', 'r', 's']) {
  const learner = await createLearner(database.db, { classId: klass.id, nickname });
  if (typeof learner !== 'string') learners.push(learner);
}
const outcomes = ['failed', 'error', 'passed', 'stopped'] as const;
for (let i = 0; ; i++) {
  const learner = learners[i % learners.length]!;
  const finished = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  await recordRun(database.db, {
    id: `burst-${i}`,
    learnerId: learner.id,
    classId: klass.id,
    lessonId: ['a', 'b', 'c'][i % 3]!,
    startedAt: finished,
    finishedAt: finished,
    durationMs: 10,
    outcome: outcomes[(i * 7) % 4]!,
    checks: [],
    code: [{ name: 'main.py', content: 'x'.repeat(2000 + (i % 50)) }],
    output: { main: 'y'.repeat(4000) },
  });
  process.stdout.write(`${i + 1}\n`);
}
