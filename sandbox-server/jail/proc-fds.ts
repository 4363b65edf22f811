/**
 * What the host can learn about sandboxed processes from /proc without trusting them: which
 * socket inodes a process holds, and its parent and session. Only kernel-generated entries are
 * read (readlink of /proc/<pid>/fd/*, /proc/<pid>/stat); nothing the sandbox can write.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const SOCKET_LINK = /^socket:\[(\d+)\]$/;

/** Socket inodes held open by any of `pids`. */
export function socketInodes(pids: number[]): Set<number> {
  const inodes = new Set<number>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited meanwhile
    }
    for (const fd of fds) {
      try {
        const match = SOCKET_LINK.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match) inodes.add(Number(match[1]));
      } catch {
        // closed meanwhile
      }
    }
  }
  return inodes;
}

/** Fields of /proc/<pid>/stat the jail needs. */
export interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so split after the last ')'. */
export function parseStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const rest = text.slice(close + 2).split(' ');
  // rest: state ppid pgrp session ...
  return { pid, ppid: Number(rest[1]), pgrp: Number(rest[2]), session: Number(rest[3]) };
}

/** The stat of a live process, or null. */
export function readStat(pid: number): ProcStat | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * The program a launcher started: the child of the outer bwrap (which runs it as pid 1 of its
 * namespace), found among the pids of the process's cgroup leaf; with its process group.
 */
export function findProgram(outerPid: number, pids: number[]): ProcStat | null {
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat && stat.ppid === outerPid) return stat;
  }
  return null;
}
