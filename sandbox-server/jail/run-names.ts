/**
 * Names of a run's kernel objects (network namespace, cgroup directories): `hs-<pid>-<n>`, where
 * pid is the server that made them. Unique on the host while that server lives, and recognisable
 * as leftovers once it is gone.
 */

import { readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

const RUN_NAME = /^hs-(\d+)-\d+$/;

/**
 * True when `name` is a run name whose owning server process is gone: no such pid, a zombie
 * (killed, not yet reaped: it makes and frees nothing any more), or a pid reused by a program
 * other than Node (every owner, server, jailer, CLI or test, is a Node process).
 */
export function ownerIsDead(name: string): boolean {
  const match = RUN_NAME.exec(name);
  if (!match) return false;
  const pid = Number(match[1]);
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
