/**
 * Network namespaces for runs, made with iproute2 (`ip netns add`, then `lo` up: a new namespace
 * starts with loopback down). Each run gets a fresh one: reusing one would hand the next run the
 * previous run's TIME_WAIT sockets, and a learner's bind() without SO_REUSEADDR would then fail.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { HOST_TOOLS, launcherEnv } from './host-tools.ts';

const run = promisify(execFile);

/** Where iproute2 keeps named network namespaces. */
export const NETNS_DIR = '/run/netns';

/** The path a process joins (`nsenter --net=PATH`). */
export function netnsPath(name: string): string {
  return path.join(NETNS_DIR, name);
}

/** Creates a namespace whose only interface, loopback, is up. */
export async function createNetns(name: string): Promise<void> {
  await ip(['netns', 'add', name]);
  try {
    await ip(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    await deleteNetns(name).catch(() => {});
    throw error;
  }
}

/** Deletes a namespace; a namespace already gone is not an error. */
export async function deleteNetns(name: string): Promise<void> {
  try {
    await ip(['netns', 'delete', name]);
  } catch (error) {
    if (listNetns().includes(name)) throw error;
  }
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
