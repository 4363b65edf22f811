/**
 * The privileged launcher chain in front of bubblewrap, as a pure function:
 *
 *   bash (root: close stray fds, join the cgroups, set rlimits)  →  nsenter --net (root: join the run's netns)
 *   →  setpriv (drop to the slot uid, no caps, empty bounding set)  →  bwrap --args FD -- COMMAND
 *
 * Every hop `exec`s the next, so the pid Node spawned ends up being the outer bwrap. The cgroups
 * are joined before any exec of sandboxed code: on cgroup v1 a task forked before a migration
 * would stay behind. bwrap must never run as root (it would keep root's capabilities).
 *
 * The bash part is one line of script. A cold launcher gets it with `bash -c`; a warm launcher
 * (a bash started ahead of time, see launcher-pool.ts) reads it from its stdin and evals it.
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

const BASH = [HOST_TOOLS.bash, '--norc', '--noprofile', '-c'];

/**
 * A bash waiting for its launch line on stdin. `read` takes exactly one line (bash reads a pipe
 * byte by byte), so everything after it on stdin is the program's.
 */
export const WARM_LAUNCHER_ARGV = [...BASH, 'IFS= read -r line || exit 0; eval "$line"'];

/** Quotes one word for bash. */
export function shellQuote(word: string): string {
  if (word.includes('\n') || word.includes('\0'))
    throw new Error('a launch argument may not hold a newline or NUL');
  return /^[A-Za-z0-9_/.,:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

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

/** The exec'd part of the chain: nsenter → setpriv → bwrap → command. */
export function chainArgv(spec: LaunchSpec): string[] {
  const id = String(spec.uid);
  return [
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

/** The launch line: close stray fds, join the cgroups, set the limits, exec the chain. */
export function launchScript(spec: LaunchSpec): string {
  const attach = spec.cgroupProcs.map(
    (file) => `echo $$ > ${shellQuote(file)} || exit ${LAUNCH_FAILED_STATUS}`,
  );
  const exec = `exec ${chainArgv(spec).map(shellQuote).join(' ')}`;
  return [closeFdsScript(spec.keepFds), ...attach, ulimitScript(spec.rlimits), exec].join('; ');
}

/** The argv (program first) of a cold launcher: a fresh bash given the launch line. */
export function launchArgv(spec: LaunchSpec): string[] {
  return [...BASH, launchScript(spec)];
}
