/**
 * The privileged launcher chain in front of bubblewrap, as a pure function:
 *
 *   bash (root: close stray fds, join the cgroups, set rlimits)  →  nsenter --net (root: join the run's netns)
 *   →  setpriv (drop to the slot uid, no caps, empty bounding set)  →  bwrap --args FD -- COMMAND
 *
 * Every hop `exec`s the next, so the pid Node spawned ends up being the outer bwrap. The cgroups
 * are joined before any exec of sandboxed code: on cgroup v1 a task forked before a migration
 * would stay behind. bwrap must never run as root (it would keep root's capabilities).
 */
import { HOST_TOOLS } from './host-tools.ts';

/** Resource limits applied with setrlimit before dropping privileges; undefined = unlimited. */
export interface Rlimits {
  cpuSeconds?: number;
  addressSpaceBytes?: number;
  fileSizeBytes: number;
  openFiles: number;
  processes: number;
}

/** Everything the chain depends on. */
export interface LaunchSpec {
  /** cgroup.procs files the process joins (one per mounted hierarchy). */
  cgroupProcs: string[];
  rlimits: Rlimits;
  /** Path of the run's network namespace, e.g. /run/netns/hs-123-1. */
  netnsPath: string;
  /** Unprivileged uid (and gid) the sandbox runs as on the host. */
  uid: number;
  /** fd from which bwrap reads its NUL-separated options. */
  argsFd: number;
  /** fds the sandbox chain may inherit besides 0–2; every other fd is closed first. */
  keepFds: number[];
  command: string[];
}

/** Exit status of the launcher when joining a cgroup or setting a limit failed (fail closed). */
export const LAUNCH_FAILED_STATUS = 125;

const ATTACH = `while [ "$1" != -- ]; do echo $$ > "$1" || exit ${LAUNCH_FAILED_STATUS}; shift; done; shift`;

/**
 * Closes every fd but 0–2 and `keep`. Node's spawn passes on any fd the server itself inherited
 * without close-on-exec (a supervisor's pipe, a test runner's channel); none may reach a sandbox.
 */
export function closeFdsScript(keep: number[]): string {
  const kept = ['0', '1', '2', ...keep.map(String)].join(' ');
  return `for f in /proc/$$/fd/*; do n=\${f##*/}; case " ${kept} " in *" $n "*) ;; *) eval "exec $n>&-" ;; esac; done`;
}

/** The bash `ulimit` commands for these limits (bash units: KiB for -v, -f and -l; -u = processes). */
export function ulimitScript(limits: Rlimits): string {
  const lines: string[] = [];
  if (limits.cpuSeconds !== undefined) {
    const soft = Math.max(1, Math.ceil(limits.cpuSeconds));
    // The soft limit sends SIGXCPU; the hard one, a second later, SIGKILL. Soft first: a hard
    // limit below the current (unlimited) soft one is refused.
    lines.push(`ulimit -S -t ${soft}`, `ulimit -H -t ${soft + 1}`);
  }
  if (limits.addressSpaceBytes !== undefined) {
    lines.push(`ulimit -v ${Math.floor(limits.addressSpaceBytes / 1024)}`);
  }
  lines.push(
    `ulimit -f ${Math.floor(limits.fileSizeBytes / 1024)}`,
    `ulimit -n ${Math.floor(limits.openFiles)}`,
    `ulimit -u ${Math.floor(limits.processes)}`,
    'ulimit -c 0',
    'ulimit -l 0',
    'ulimit -q 0',
  );
  return lines.map((line) => `${line} || exit ${LAUNCH_FAILED_STATUS}`).join('; ');
}

/** Builds the argv (program first) of the launcher chain. */
export function launchArgv(spec: LaunchSpec): string[] {
  const script = `${closeFdsScript(spec.keepFds)}; ${ATTACH}; ${ulimitScript(spec.rlimits)}; exec "$@"`;
  const id = String(spec.uid);
  return [
    HOST_TOOLS.bash,
    '--norc',
    '--noprofile',
    '-c',
    script,
    'launcher',
    ...spec.cgroupProcs,
    '--',
    HOST_TOOLS.nsenter,
    `--net=${spec.netnsPath}`,
    '--',
    HOST_TOOLS.setpriv,
    `--reuid=${id}`,
    `--regid=${id}`,
    '--clear-groups',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--no-new-privs',
    '--',
    HOST_TOOLS.bwrap,
    '--args',
    String(spec.argsFd),
    '--',
    ...spec.command,
  ];
}
