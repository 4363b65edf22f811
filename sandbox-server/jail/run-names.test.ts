import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { instanceIdProblem, processInstance } from '../instance-id.ts';
import { ownerIsDead, RunNames } from './run-names.ts';

describe('ownerIsDead', () => {
  it('keeps this process and a live Node process', async () => {
    expect(ownerIsDead(process.pid)).toBe(false);
    const node = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    await once(node, 'spawn');
    try {
      expect(ownerIsDead(node.pid!)).toBe(false);
    } finally {
      node.kill('SIGKILL');
    }
  });

  it('counts a gone pid, a zombie and a pid reused by another program as dead', async () => {
    const sleeper = spawn('/bin/sleep', ['30']);
    await once(sleeper, 'spawn');
    expect(ownerIsDead(sleeper.pid!)).toBe(true); // a reused pid: not Node
    // Killed but not yet reaped: this process reaps only once its event loop runs again.
    sleeper.kill('SIGKILL');
    while (!/\) Z/.test(readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8')));
    expect(ownerIsDead(sleeper.pid!)).toBe(true);
    await once(sleeper, 'exit');
    expect(ownerIsDead(sleeper.pid!)).toBe(true);
  });
});

describe('RunNames', () => {
  it('names objects hs-<instance>-<n>, never the same twice', () => {
    const names = new RunNames('a1');
    expect([names.next(), names.next()]).toEqual(['hs-a1-1', 'hs-a1-2']);
    expect(new RunNames(processInstance(0, 42)).next()).toBe('hs-p42-1');
    // A second host of the same process takes the next id.
    expect(new RunNames(processInstance(1, 42)).next()).toBe('hs-p42a-1');
  });

  it('refuses an instance id that could be mistaken for another owner', () => {
    expect(() => new RunNames('A')).toThrow(/bad sandbox instance id/);
    expect(() => new RunNames('toolongid')).toThrow(/bad sandbox instance id/);
    expect(instanceIdProblem('12')).toMatch(/a letter first/);
    expect(instanceIdProblem('p123')).toMatch(/kept for hosts given no id/);
    expect(instanceIdProblem('p123a')).toMatch(/kept for hosts given no id/);
    expect(instanceIdProblem('pod7')).toBeNull();
  });

  it("sweeps its own instance's names and those of dead processes, never another live host's", async () => {
    const names = new RunNames('b');
    const node = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const sleeper = spawn('/bin/sleep', ['30']);
    await Promise.all([once(node, 'spawn'), once(sleeper, 'spawn')]);
    try {
      expect(names.isLeftover('hs-b-7')).toBe(true); // a dead predecessor with this id
      expect(names.isLeftover('hs-a-7')).toBe(false); // another server's, live or not
      expect(names.isLeftover('hs-ab-7')).toBe(false);
      expect(names.isLeftover(`hs-p${node.pid}-1`)).toBe(false); // a live CLI or test
      expect(names.isLeftover(`hs-p${sleeper.pid}-1`)).toBe(true); // its Node process is gone
      expect(names.isLeftover(`hs-p${sleeper.pid}b-1`)).toBe(true);
      expect(names.isLeftover(`hs-p${node.pid}b-1`)).toBe(false);
      expect(names.isLeftover(`hs-${node.pid}-1`)).toBe(false); // a live server before ids
      expect(names.isLeftover(`hs-${sleeper.pid}-1`)).toBe(true); // a dead one
      expect(names.isLeftover(`hs-p${process.pid}-1`)).toBe(false);
      expect(names.isLeftover('docker0')).toBe(false);
      expect(names.isLeftover('hs-b-x')).toBe(false);
    } finally {
      node.kill('SIGKILL');
      sleeper.kill('SIGKILL');
    }
  });
});

describe('RunNames after a restart', () => {
  it("numbers on past a predecessor's names, so no name is used twice", () => {
    const names = new RunNames('c');
    for (const found of ['hs-c-4', 'hs-c-12', 'hs-d-40', 'hs-c-x', 'other']) names.skipPast(found);
    expect(names.next()).toBe('hs-c-13');
  });
});
