/**
 * The bubblewrap options of one sandboxed process, as a pure function of what it needs. They are
 * passed through `--args FD` so they stay out of /proc/<pid>/cmdline inside (bubblewrap#631).
 * The filesystem is built from nothing: read-only /usr, synthetic /etc, data files from fds,
 * sized tmpfs for /tmp and /dev/shm, then everything else is remounted read-only.
 */
import { INSIDE_UID } from './etc-files.ts';

/** A file created read-only inside the sandbox from the contents of an inherited fd. */
export interface FdFile {
  fd: number;
  /** Absolute path inside the sandbox. */
  path: string;
}

/** Everything the bwrap options depend on. */
export interface BwrapSpec {
  /** Files from fds (synthetic /etc, the learner's sources, the peer bundle). */
  fdFiles: FdFile[];
  /** Host files bound read-only at the same path (must exist). */
  roBinds: Array<{ source: string; dest: string }>;
  tmpBytes: number;
  shmBytes: number;
  /** Working directory inside. */
  chdir: string;
  env: Record<string, string>;
  /** fd holding a compiled seccomp BPF program, when one is applied. */
  seccompFd?: number;
}

/**
 * Namespaces and process hygiene shared by every sandboxed process. The net ns is joined, not
 * made. `--as-pid-1`: bwrap's own pid-1 reaper would outlive the outer bwrap (which exits as soon
 * as the program does) and end up as a zombie of the host's init; with the program as pid 1 the
 * outer bwrap reaps it directly, and its own orphans still die with it (pid 1 of the namespace).
 */
const ISOLATION = [
  '--unshare-user',
  '--unshare-pid',
  '--as-pid-1',
  '--unshare-ipc',
  '--unshare-uts',
  '--unshare-cgroup-try',
  '--disable-userns',
  '--die-with-parent',
  '--new-session',
  '--hostname',
  'sandbox',
  '--uid',
  String(INSIDE_UID),
  '--gid',
  String(INSIDE_UID),
];

/** The system part of the filesystem: /usr read-only and the usual merged-/usr symlinks. */
const SYSTEM_FS = [
  '--ro-bind',
  '/usr',
  '/usr',
  '--symlink',
  'usr/bin',
  '/bin',
  '--symlink',
  'usr/sbin',
  '/sbin',
  '--symlink',
  'usr/lib',
  '/lib',
  '--symlink',
  'usr/lib64',
  '/lib64',
  '--dir',
  '/etc',
];

/** Builds the option list (everything before the command) for one sandboxed process. */
export function bwrapOptions(spec: BwrapSpec): string[] {
  const args = [...ISOLATION, '--clearenv'];
  for (const [name, value] of Object.entries(spec.env)) args.push('--setenv', name, value);
  args.push(...SYSTEM_FS);
  for (const bind of spec.roBinds) args.push('--ro-bind', bind.source, bind.dest);
  args.push('--proc', '/proc', '--dev', '/dev');
  args.push('--perms', '1777', '--size', String(spec.tmpBytes), '--tmpfs', '/tmp');
  args.push('--perms', '1777', '--size', String(spec.shmBytes), '--tmpfs', '/dev/shm');
  for (const dir of parentDirs(spec.fdFiles)) args.push('--dir', dir);
  for (const file of spec.fdFiles) args.push('--ro-bind-data', String(file.fd), file.path);
  // Without these the sandbox user owns a writable root tmpfs and an unbounded /dev tmpfs.
  args.push('--remount-ro', '/dev', '--remount-ro', '/');
  args.push('--chdir', spec.chdir);
  if (spec.seccompFd !== undefined) args.push('--seccomp', String(spec.seccompFd));
  return args;
}

/** Directories (other than /etc, made by SYSTEM_FS) that must exist before fd files are placed. */
function parentDirs(files: FdFile[]): string[] {
  const dirs = new Set<string>();
  for (const file of files) {
    const dir = file.path.slice(0, file.path.lastIndexOf('/'));
    if (dir && dir !== '/etc') dirs.add(dir);
  }
  return [...dirs];
}

/** Serialises options for `bwrap --args FD`: each argument NUL-terminated. */
export function encodeArgs(args: string[]): Buffer {
  for (const arg of args) {
    if (arg.includes('\0')) throw new Error('a bwrap argument may not contain a NUL byte');
  }
  return Buffer.from(args.map((arg) => `${arg}\0`).join(''), 'utf8');
}
