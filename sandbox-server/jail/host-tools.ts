/**
 * Absolute paths of the host programs the jail runs. Never looked up on PATH: a version-manager
 * shim or a writable PATH entry must not decide what runs as root or inside the sandbox.
 */

/** Programs the jail executes, by absolute path. */
export const HOST_TOOLS = Object.freeze({
  /** bash, not dash: the launcher closes inherited fds above 9, which dash cannot name. */
  bash: '/bin/bash',
  ip: '/usr/sbin/ip',
  nsenter: '/usr/bin/nsenter',
  setpriv: '/usr/bin/setpriv',
  unshare: '/usr/bin/unshare',
  mount: '/usr/bin/mount',
  umount: '/usr/bin/umount',
  bwrap: '/usr/bin/bwrap',
  /** The Debian interpreter learners' code runs with (never the pyenv shim on PATH). */
  python: '/usr/bin/python3',
});

/** The node binary peers run with: the one running this server. */
export function peerNodeBinary(): string {
  return process.execPath;
}

/** Environment for the privileged launcher chain; nothing is inherited from the server. */
export function launcherEnv(): NodeJS.ProcessEnv {
  // The cast: Next's types declare NODE_ENV as always present, which a clean environment is not.
  return { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' } as unknown as NodeJS.ProcessEnv;
}
