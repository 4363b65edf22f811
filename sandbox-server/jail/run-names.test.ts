import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ownerIsDead } from './run-names.ts';

describe('ownerIsDead', () => {
  it('keeps names of this process and of a live Node process', async () => {
    expect(ownerIsDead(`hs-${process.pid}-1`)).toBe(false);
    const node = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    await once(node, 'spawn');
    try {
      expect(ownerIsDead(`hs-${node.pid}-3`)).toBe(false);
    } finally {
      node.kill('SIGKILL');
    }
  });

  it('sweeps names of a gone pid, of a zombie and of a pid reused by another program', async () => {
    const sleeper = spawn('/bin/sleep', ['30']);
    await once(sleeper, 'spawn');
    expect(ownerIsDead(`hs-${sleeper.pid}-1`)).toBe(true); // a reused pid: not Node
    // Killed but not yet reaped: this process reaps only once its event loop runs again.
    sleeper.kill('SIGKILL');
    while (!/\) Z/.test(readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8')));
    expect(ownerIsDead(`hs-${sleeper.pid}-1`)).toBe(true);
    await once(sleeper, 'exit');
    expect(ownerIsDead(`hs-${sleeper.pid}-1`)).toBe(true);
  });

  it('ignores names that are not run names', () => {
    expect(ownerIsDead('hs-abc-1')).toBe(false);
    expect(ownerIsDead('docker0')).toBe(false);
  });
});
