/** Test helpers: a recorded run as the sandbox server posts it, for tests of what consumes one. */
import type { RecordedRun } from './schema.ts';

/** A passing run of the tcp-client lesson by learner_1 of class_1, with `change` applied. */
export const sampleRun = (change: Partial<RecordedRun> = {}): RecordedRun => ({
  id: 'r'.repeat(22),
  learnerId: 'learner_1',
  classId: 'class_1',
  lessonId: 'tcp-client',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:01.500Z',
  durationMs: 1500,
  outcome: 'passed',
  checks: [{ id: 'connects', status: 'pass', message: 'It connected.' }],
  code: [{ name: 'client.py', content: 'print("hi")' }],
  output: { 'client.py': 'hi\n' },
  ...change,
});
