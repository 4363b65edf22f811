/**
 * A capture given a cgroup leaf runs inside it, so the run's limits and the sweep of a dead
 * server's groups cover tcpdump too. Also why the run must stop its capture before it kills
 * its cgroups: a kill of the whole run takes tcpdump with it, and stop() then says so.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startCapture } from '../../sandbox-server/capture/capture.ts';
import { createCgroupDriver } from '../../sandbox-server/jail/cgroups/driver.ts';
import { processExists, withNetns } from './capture-harness.ts';

const limits = { memoryBytes: 64 * 2 ** 20, pids: 16, cpuCores: 1 };

describe('capture in a cgroup', () => {
  it('joins the leaf it is given before tcpdump starts, and dies with the run', async () => {
    await withNetns(async (netns) => {
      const cgroups = createCgroupDriver().createRun(netns, { learner: limits, peer: limits });
      try {
        const leaf = cgroups.addProcess('peer', 'capture');
        const capture = await startCapture(netns, {
          onPacket: () => {},
          cgroupProcs: leaf.procsFiles,
        });
        expect(leaf.pids()).toEqual([capture.pid]);
        expect(readFileSync(`/proc/${capture.pid}/cgroup`, 'utf8')).toContain(
          `${netns}/peer/capture`,
        );
        await cgroups.killAll();
        const summary = await capture.stop();
        expect(summary.error).toMatch(/^tcpdump ended early: signal SIGKILL/);
        expect(processExists(capture.pid)).toBe(false);
      } finally {
        await cgroups.killAll();
        await cgroups.remove();
      }
    });
  });
});
