/**
 * What the host shows about a running sandbox server, for the privilege-split and fault tests:
 * which process listens on a port and with what privileges, and what a (dead) jailer left
 * behind: network namespaces and cgroups named after its instance, and processes in them.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { CGROUP_PARENT, runParentDirs } from '../../sandbox-server/jail/cgroups/driver.ts';
import { listNetns } from '../../sandbox-server/jail/netns.ts';

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/** Socket inodes listening on TCP `port` (any address, IPv4 or IPv6). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readOr(table).split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1] ?? '';
      if (fields[3] === '0A' && parseInt(local.split(':')[1] ?? '', 16) === port)
        inodes.add(fields[9]!);
    }
  }
  return inodes;
}

/** Pids holding a socket that listens on TCP `port`. */
export function listeningPids(port: number): number[] {
  const inodes = listeningInodes(port);
  return allPids().filter((pid) => {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      return false;
    }
    return fds.some((fd) => inodes.has(socketInode(`/proc/${pid}/fd/${fd}`)));
  });
}

/** The inode of the socket an fd link points at ("socket:[12345]"), or ''. */
function socketInode(link: string): string {
  try {
    return /^socket:\[(\d+)\]$/.exec(readlinkSync(link))?.[1] ?? '';
  } catch {
    return '';
  }
}

/** Real, effective, saved and filesystem uids, and effective capabilities, of `pid`. */
export function privilegesOf(pid: number): { uids: number[]; gids: number[]; capEff: string } {
  const status = readOr(`/proc/${pid}/status`);
  const ids = (name: string): number[] =>
    (new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '').trim().split(/\s+/).map(Number);
  return {
    uids: ids('Uid'),
    gids: ids('Gid'),
    capEff: /^CapEff:\s+(\w+)/m.exec(status)?.[1] ?? '',
  };
}

/** A sandbox server's objects on the host: namespaces, run cgroups, processes in them. */
export interface HostObjects {
  netns: string[];
  cgroups: string[];
  processes: number[];
}

/**
 * Objects of sandbox instance `instance` (hs-<instance>-n) that exist now; with `among` (an
 * earlier look, e.g. at a jailer before it died), only those of the names seen then: a restarted
 * jailer of the same instance numbers its own past them.
 */
export function leftoversOf(instance: string, among?: HostObjects): HostObjects {
  const prefix = `hs-${instance}-`;
  const names =
    among && new Set([...among.netns, ...among.cgroups.map((dir) => path.basename(dir))]);
  const wanted = (name: string): boolean =>
    name.startsWith(prefix) && (names === undefined || names.has(name));
  const cgroups = runParentDirs().flatMap((parent) => {
    if (!existsSync(parent)) return [];
    return readdirSync(parent)
      .filter(wanted)
      .map((name) => path.join(parent, name));
  });
  const processes = allPids().filter((other) =>
    readOr(`/proc/${other}/cgroup`)
      .split('\n')
      .some((line) => {
        const at = line.split(`/${CGROUP_PARENT}/`)[1];
        return at !== undefined && wanted(at.split('/')[0]!);
      }),
  );
  return { netns: listNetns().filter(wanted), cgroups, processes };
}
