/**
 * Names of a run's kernel objects (network namespace, cgroup directories, warm Python app
 * directories): `hs-<instance>-<n>`. The instance is this sandbox host's id (HANDSHAKE_INSTANCE,
 * or `p<pid>` for a host that was given none: the CLI, tests, scripts), so several servers on one
 * kernel never make the same name, and each one's sweep knows which leftovers are its own.
 */

import { readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { INSTANCE_ID, PROCESS_INSTANCE } from '../instance-id.ts';

/** A run name: its instance (or, in names made before instance ids, the server's pid) and n. */
const RUN_NAME = /^hs-([a-z0-9]+)-(\d+)$/;

/** Makes the run names of one sandbox host: `hs-<instance>-1`, `hs-<instance>-2`, … */
export class RunNames {
  readonly instance: string;
  private sequence = 0;

  constructor(instance: string) {
    if (!INSTANCE_ID.test(instance) && !PROCESS_INSTANCE.test(instance))
      throw new Error(`bad sandbox instance id ${instance}`);
    this.instance = instance;
  }

  /** A name no other object of this host has had. */
  next(): string {
    this.sequence += 1;
    return `hs-${this.instance}-${this.sequence}`;
  }

  /**
   * Numbers the next names after `name` when it is one of this instance's (a predecessor's,
   * found by the sweep): a restarted server never reuses the name of an object it just removed,
   * so a name in a log or a test's snapshot means one object.
   */
  skipPast(name: string): void {
    const match = RUN_NAME.exec(name);
    if (match?.[1] === this.instance) this.sequence = Math.max(this.sequence, Number(match[2]));
  }

  /**
   * True when `name` is a leftover this host may remove: one of its own instance (it holds the
   * instance alone, so they are a dead predecessor's), or one owned by a process that is gone
   * (`hs-p<pid>-n`, or the `hs-<pid>-n` of servers before instance ids). Another live server's
   * names, and names of configured instances other than its own, are never touched.
   */
  isLeftover(name: string): boolean {
    const owner = RUN_NAME.exec(name)?.[1];
    if (owner === undefined) return false;
    if (owner === this.instance) return true;
    const pid = /^\d+$/.test(owner) ? owner : PROCESS_INSTANCE.exec(owner)?.[1];
    return pid !== undefined && ownerIsDead(Number(pid));
  }
}

/**
 * True when the process `pid` that owned some names is gone: no such pid, a zombie (killed, not
 * yet reaped: it makes and frees nothing any more), or a pid reused by a program other than Node
 * (every owner, server, jailer, CLI or test, is a Node process).
 */
export function ownerIsDead(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return isZombie(pid) || !runsNode(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
}

function runsNode(pid: number): boolean {
  try {
    return path.basename(readlinkSync(`/proc/${pid}/exe`)).startsWith('node');
  } catch (error) {
    // EACCES: another user's process, under a server not run as root: assume it lives.
    // Anything else (ENOENT): the process is exiting and has no program any more.
    return (error as NodeJS.ErrnoException).code === 'EACCES';
  }
}
