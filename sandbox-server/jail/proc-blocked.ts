/**
 * What the threads of a sandboxed process are blocked in, from kernel-written files only:
 * /proc/<pid>/task/<tid>/syscall (the system call a sleeping thread is in, with its arguments),
 * readlink of /proc/<pid>/fd/<n> (which socket its fd argument is) and the namespace's socket
 * tables (/proc/<pid>/net/{tcp,udp}[6]). Nothing is read from the process's memory, so the fd
 * set a poll() waits on stays unknown: such a thread is `select` without a socket. Bounded in
 * processes, threads and time, so a program with many threads cannot make the snapshot slow.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { BlockedThread } from '../../lib/lessons/define.ts';
import { MAX_BLOCKED_THREADS } from '../../lib/protocol.ts';
import { socketDescriptions, type SocketDescription } from './proc-net.ts';

/** Processes of one learner process's tree looked at (forked children count). */
export const MAX_BLOCKED_PROCESSES = 16;
/** The snapshot stops looking after this long: it runs just before a kill, on the run's clock. */
export const BLOCKED_SNAPSHOT_MS = 50;

/** A line of /proc/<tid>/syscall: a number and six arguments, or not in a system call. */
export type SyscallLine =
  { state: 'syscall'; nr: number; args: bigint[] } | { state: 'running' } | { state: 'none' };

/**
 * Parses /proc/<tid>/syscall: "running" (on a CPU), "-1 sp pc" (blocked outside a system call),
 * or "nr arg1 … arg6 sp pc" with the number in decimal and the rest in hex.
 */
export function parseSyscallLine(text: string): SyscallLine {
  const fields = text.trim().split(/\s+/);
  if (fields[0] === 'running') return { state: 'running' };
  const nr = Number(fields[0]);
  if (!Number.isInteger(nr) || nr < 0 || fields.length < 7) return { state: 'none' };
  try {
    return { state: 'syscall', nr, args: fields.slice(1, 7).map((field) => BigInt(field)) };
  } catch {
    return { state: 'none' };
  }
}

/** The architectures whose system call numbers are known, as Node names them. */
export type Arch = 'x64' | 'arm64' | 'other';

/** Blocking system calls by number: x86_64 (arch/x86/entry/syscalls/syscall_64.tbl). */
const X64: Record<number, string> = {
  0: 'read',
  1: 'write',
  7: 'poll',
  17: 'pread64',
  19: 'readv',
  20: 'writev',
  23: 'select',
  34: 'pause',
  35: 'nanosleep',
  42: 'connect',
  43: 'accept',
  44: 'sendto',
  45: 'recvfrom',
  46: 'sendmsg',
  47: 'recvmsg',
  61: 'wait4',
  72: 'fcntl',
  73: 'flock',
  128: 'rt_sigtimedwait',
  130: 'rt_sigsuspend',
  202: 'futex',
  230: 'clock_nanosleep',
  232: 'epoll_wait',
  247: 'waitid',
  270: 'pselect6',
  271: 'ppoll',
  281: 'epoll_pwait',
  288: 'accept4',
  299: 'recvmmsg',
  307: 'sendmmsg',
  441: 'epoll_pwait2',
};

/** The same on aarch64 (the generic table, include/uapi/asm-generic/unistd.h). */
const ARM64: Record<number, string> = {
  22: 'epoll_pwait',
  25: 'fcntl',
  32: 'flock',
  63: 'read',
  64: 'write',
  65: 'readv',
  66: 'writev',
  67: 'pread64',
  72: 'pselect6',
  73: 'ppoll',
  95: 'waitid',
  98: 'futex',
  101: 'nanosleep',
  115: 'clock_nanosleep',
  133: 'rt_sigsuspend',
  137: 'rt_sigtimedwait',
  202: 'accept',
  203: 'connect',
  206: 'sendto',
  207: 'recvfrom',
  211: 'sendmsg',
  212: 'recvmsg',
  242: 'accept4',
  243: 'recvmmsg',
  260: 'wait4',
  269: 'sendmmsg',
  441: 'epoll_pwait2',
};

/** The name of system call `nr` on `arch` ("syscall-N" for one not listed). */
export function syscallName(nr: number, arch: Arch): string {
  const table = arch === 'x64' ? X64 : arch === 'arm64' ? ARM64 : {};
  return table[nr] ?? `syscall-${nr}`;
}

const RECV = new Set(['recvfrom', 'recvmsg', 'recvmmsg']);
const SEND = new Set(['sendto', 'sendmsg', 'sendmmsg']);
const READ = new Set(['read', 'readv', 'pread64']);
const WRITE = new Set(['write', 'writev']);
const SELECT = new Set([
  'poll',
  'ppoll',
  'select',
  'pselect6',
  'epoll_wait',
  'epoll_pwait',
  'epoll_pwait2',
]);
/** Calls whose first argument is the fd they wait on. */
const ON_FD = new Set([...RECV, ...SEND, ...READ, ...WRITE, 'accept', 'accept4', 'connect']);

/** True when the system call's first argument is the fd it waits on. */
export function waitsOnFd(syscall: string): boolean {
  return ON_FD.has(syscall);
}

/**
 * The fd a call waits on: an Internet socket (in the namespace's tables), another socket (Unix:
 * the sandbox's stdin is one, Node makes its pipes as socket pairs), or anything else.
 */
export interface WaitedFd {
  number: number;
  kind: 'inet' | 'socket' | 'file';
}

/**
 * What a thread in `syscall` on `fd` (its first argument, for calls that have one) is doing, for
 * a learner: read/write on a socket are recv/send, a read of stdin (fd 0) is waiting for input.
 */
export function classifyCall(syscall: string, fd: WaitedFd | null): BlockedThread['call'] {
  if (RECV.has(syscall)) return 'recv';
  if (SEND.has(syscall)) return 'send';
  if (syscall === 'accept' || syscall === 'accept4') return 'accept';
  if (syscall === 'connect') return 'connect';
  if (syscall === 'nanosleep' || syscall === 'clock_nanosleep') return 'sleep';
  if (SELECT.has(syscall)) return 'select';
  if (READ.has(syscall) && fd?.kind === 'inet') return 'recv';
  if (READ.has(syscall) && fd?.number === 0) return 'input';
  if (READ.has(syscall) && fd?.kind === 'socket') return 'recv';
  if (WRITE.has(syscall) && fd !== null && fd.kind !== 'file') return 'send';
  return 'other';
}

const SOCKET_LINK = /^socket:\[(\d+)\]$/;

/** A thread caught in a system call, before its fd's socket is looked up in the tables. */
interface Caught {
  syscall: string;
  fd: number | null;
  inode?: number;
}

/** The process's threads (the main thread first), at most `max`; empty once it is gone. */
function threadsOf(pid: number, max: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`)
      .map(Number)
      .filter((tid) => Number.isInteger(tid) && tid > 0)
      .sort((a, b) => a - b)
      .slice(0, max);
  } catch {
    return [];
  }
}

/** The system call thread `tid` of `pid` is blocked in, or null when it is running or gone. */
function catchThread(pid: number, tid: number, arch: Arch): Caught | null {
  let line: SyscallLine;
  try {
    line = parseSyscallLine(readFileSync(`/proc/${pid}/task/${tid}/syscall`, 'utf8'));
  } catch {
    return null;
  }
  if (line.state !== 'syscall') return null;
  const syscall = syscallName(line.nr, arch);
  if (!waitsOnFd(syscall)) return { syscall, fd: null };
  const fd = Number(BigInt.asIntN(32, line.args[0]!));
  if (fd < 0) return { syscall, fd: null };
  const inode = socketInodeOf(pid, fd);
  return { syscall, fd, ...(inode !== undefined ? { inode } : {}) };
}

/** The thread as the record tells it, its socket described when the tables know it. */
function describe(caught: Caught, sockets: Map<number, SocketDescription>): BlockedThread {
  const socket = caught.inode === undefined ? undefined : sockets.get(caught.inode);
  const kind = socket ? 'inet' : caught.inode !== undefined ? 'socket' : 'file';
  const fd = caught.fd === null ? null : { number: caught.fd, kind: kind as WaitedFd['kind'] };
  const call = classifyCall(caught.syscall, fd);
  return socket ? { call, syscall: caught.syscall, socket } : { call, syscall: caught.syscall };
}

function socketInodeOf(pid: number, fd: number): number | undefined {
  try {
    const match = SOCKET_LINK.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // closed meanwhile, or the process is gone
  }
}

/**
 * What the threads of `pids` (one sandboxed program and its children, in its network namespace)
 * are blocked in: one entry per thread in a system call, in pid then tid order, bounded (see
 * MAX_BLOCKED_*, BLOCKED_SNAPSHOT_MS). Threads running on a CPU are left out.
 */
export function blockedThreads(pids: number[], arch: Arch = hostArch()): BlockedThread[] {
  const deadline = performance.now() + BLOCKED_SNAPSHOT_MS;
  const caught: Caught[] = [];
  let anchor: number | undefined;
  for (const pid of [...pids].sort((a, b) => a - b).slice(0, MAX_BLOCKED_PROCESSES)) {
    for (const tid of threadsOf(pid, MAX_BLOCKED_THREADS - caught.length)) {
      if (performance.now() > deadline) break;
      const thread = catchThread(pid, tid, arch);
      if (!thread) continue;
      caught.push(thread);
      if (thread.inode !== undefined) anchor ??= pid;
    }
    if (caught.length >= MAX_BLOCKED_THREADS || performance.now() > deadline) break;
  }
  const inodes = new Set(caught.flatMap(({ inode }) => (inode === undefined ? [] : [inode])));
  const sockets = anchor === undefined ? new Map() : socketDescriptions(anchor, inodes);
  return caught.map((thread) => describe(thread, sockets));
}

/** The host's architecture; on another one, x86_64's numbers would mislead, so none are named. */
function hostArch(): Arch {
  return process.arch === 'x64' || process.arch === 'arm64' ? process.arch : 'other';
}
