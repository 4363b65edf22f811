import { describe, expect, it } from 'vitest';
import { describeExit } from './exit-status.ts';

describe('describeExit', () => {
  it('reports a normal exit code', () => {
    expect(describeExit(0, null)).toEqual({ exitCode: 0, signal: null });
    expect(describeExit(1, null)).toEqual({ exitCode: 1, signal: null });
  });

  it("reads bwrap's 128+N status as the signal that killed the program", () => {
    expect(describeExit(130, null)).toEqual({ exitCode: null, signal: 'SIGINT' });
    expect(describeExit(137, null)).toEqual({ exitCode: null, signal: 'SIGKILL' });
  });

  it('reports a signal that killed the launcher itself', () => {
    expect(describeExit(null, 'SIGKILL')).toEqual({ exitCode: null, signal: 'SIGKILL' });
  });

  it('keeps codes above the signal range as codes', () => {
    expect(describeExit(255, null)).toEqual({ exitCode: 255, signal: null });
  });
});
