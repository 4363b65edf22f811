import { describe, expect, it } from 'vitest';
import { MemoryRecorder } from '../results/memory-recorder.ts';
import type { RecordedRun } from '../results/schema.ts';
import { sampleRun } from '../results/test-support.ts';
import { scoresUrl } from './ags.ts';
import { postingGrades, retryDelayMs, type GradeSender } from './grades.ts';

const run = (outcome: RecordedRun['outcome']): RecordedRun =>
  sampleRun({ id: `r${outcome}`.padEnd(22, 'x'), outcome });

/** A sender whose queueing does what `queue` does, counting kicks. */
function fakeSender(queue: () => Promise<boolean>) {
  const seen = { queued: 0, kicks: 0 };
  const sender = {
    queueRun: () => {
      seen.queued++;
      return queue();
    },
    kick: () => void seen.kicks++,
  } as unknown as GradeSender;
  return { sender, seen };
}

describe('postingGrades', () => {
  it('records the run without waiting for the grade to be queued', async () => {
    const { sender, seen } = fakeSender(() => new Promise(() => {}));
    const recorder = postingGrades(
      new MemoryRecorder(),
      () => sender,
      () => {},
    );
    expect(await recorder.record(run('passed'))).toBe('recorded');
    expect(seen.queued).toBe(1);
  });

  it('records the run when queueing fails, and logs why', async () => {
    const faults: string[] = [];
    const { sender } = fakeSender(() => Promise.reject(new Error('database gone')));
    const recorder = postingGrades(
      new MemoryRecorder(),
      () => sender,
      (what) => faults.push(what),
    );
    expect(await recorder.record(run('passed'))).toBe('recorded');
    await expect.poll(() => faults).toEqual([`queueing the LMS score of run ${run('passed').id}`]);
  });

  it('queues passed runs only, once each, and kicks the sender when one was queued', async () => {
    const { sender, seen } = fakeSender(async () => true);
    const recorder = postingGrades(
      new MemoryRecorder(),
      () => sender,
      () => {},
    );
    await recorder.record(run('failed'));
    await recorder.record(run('passed'));
    expect(await recorder.record(run('passed'))).toBe('duplicate');
    expect(seen.queued).toBe(1);
    await expect.poll(() => seen.kicks).toBe(1);
  });
});

describe('retryDelayMs', () => {
  it('doubles from 30 s up to 6 h, jittered by a quarter either way', () => {
    expect(retryDelayMs(0, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(3, () => 0.5)).toBe(240_000);
    expect(retryDelayMs(30, () => 0.5)).toBe(6 * 3600_000);
    expect(retryDelayMs(0, () => 0)).toBe(22_500);
    expect(retryDelayMs(0, () => 1)).toBe(37_500);
  });
});

describe('scoresUrl', () => {
  it("puts /scores after the line item's path, before its query", () => {
    expect(scoresUrl('https://lms.example/li/7')).toBe('https://lms.example/li/7/scores');
    expect(scoresUrl('https://lms.example/li/7/?type=x')).toBe(
      'https://lms.example/li/7/scores?type=x',
    );
  });
});
