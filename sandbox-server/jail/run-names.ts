/**
 * Names of a run's kernel objects (network namespace, cgroup directories): `hs-<pid>-<n>`, where
 * pid is the server that made them. Unique on the host while that server lives, and recognisable
 * as leftovers once it is gone.
 */

const RUN_NAME = /^hs-(\d+)-\d+$/;

/** True when `name` is a run name whose owning server process no longer exists. */
export function ownerIsDead(name: string): boolean {
  const match = RUN_NAME.exec(name);
  if (!match) return false;
  const pid = Number(match[1]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
