/**
 * Network namespaces for runs, made with iproute2 (`ip netns add`, then `lo` up: a new namespace
 * starts with loopback down). Each run gets a fresh one: reusing one would hand the next run the
 * previous run's TIME_WAIT sockets, and a learner's bind() without SO_REUSEADDR would then fail.
 *
 * They are made from inside PARENT_NETNS, where tcp_child_ehash_entries gives each new namespace
 * its own small TCP hash table. Otherwise every namespace shares the host's (262144 buckets on a
 * 24 GiB machine) and each read of its /proc/net/tcp, which is how a run sees who listens, walks
 * all of them: ~5 ms a read instead of ~0.2 ms, and a run reads it every few milliseconds.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { HOST_TOOLS, launcherEnv } from './host-tools.ts';
import { NetnsShell } from './netns-shell.ts';

const run = promisify(execFile);

/** Where iproute2 keeps named network namespaces. */
export const NETNS_DIR = '/run/netns';

/** The path a process joins (`nsenter --net=PATH`). */
export function netnsPath(name: string): string {
  return path.join(NETNS_DIR, name);
}

/** The long-lived, empty namespace run namespaces are made from (never swept: not a run name). */
export const PARENT_NETNS = 'handshake-parent';
/** Buckets of each run namespace's own TCP and UDP hash tables: a run holds a few sockets. */
export const CHILD_HASH_BUCKETS = 256;
const CHILD_HASH_SYSCTLS = ['tcp_child_ehash_entries', 'udp_child_hash_entries'];

let parent: Promise<boolean> | undefined;

/** The shell that makes and deletes namespaces, inside PARENT_NETNS when there is one. */
const shell = new NetnsShell(async () =>
  (await parentNetns()) ? [HOST_TOOLS.nsenter, `--net=${netnsPath(PARENT_NETNS)}`, '--'] : [],
);

/** Creates a namespace whose only interface, loopback, is up (nothing is left if that fails). */
export function createNetns(name: string): Promise<void> {
  return shell.request('add', name);
}

/**
 * Makes PARENT_NETNS once per process (another server may have made it already); false when the
 * kernel has no per-namespace hash tables (before Linux 6.1), then namespaces are made as before.
 */
function parentNetns(): Promise<boolean> {
  // Made again if it was deleted behind this server's back (`ip -all netns delete`).
  if (parent && !existsSync(netnsPath(PARENT_NETNS))) parent = undefined;
  parent ??= makeParent().catch(() => false);
  return parent;
}

async function makeParent(): Promise<boolean> {
  const sysctls = CHILD_HASH_SYSCTLS.map((name) => `/proc/sys/net/ipv4/${name}`).filter((file) =>
    existsSync(file),
  );
  if (sysctls.length === 0) return false;
  // "File exists" from a server making it at the same moment is fine; the check below decides.
  await ip(['netns', 'add', PARENT_NETNS]).catch(() => {});
  if (!listNetns().includes(PARENT_NETNS)) return false;
  const set = sysctls.map((file) => `echo ${CHILD_HASH_BUCKETS} > ${file}`).join(' && ');
  await run(
    HOST_TOOLS.nsenter,
    [`--net=${netnsPath(PARENT_NETNS)}`, '--', HOST_TOOLS.bash, '-c', set],
    { env: launcherEnv(), timeout: 5000 },
  );
  return true;
}

/** Deletes a namespace; a namespace already gone is not an error. */
export function deleteNetns(name: string): Promise<void> {
  return shell.request('del', name);
}

/** Names of the namespaces that exist now. */
export function listNetns(): string[] {
  try {
    return readdirSync(NETNS_DIR);
  } catch {
    return [];
  }
}

async function ip(args: string[]): Promise<void> {
  await run(HOST_TOOLS.ip, args, { env: launcherEnv(), timeout: 5000 });
}
