/**
 * The host side of the exploit suite: a snapshot of what no run may change (a canary file, the
 * host's password files) and a scan for anything a run could leave on the host (files owned by
 * a sandbox uid in the shared temporary directories, SysV IPC objects of a sandbox uid).
 */
import { lstatSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import {
  FIRST_LEARNER_UID,
  FIRST_PEER_UID,
  MAX_SLOTS,
} from '../../sandbox-server/jail/slot-locks.ts';

/** A root-only file on the host that no run may read, change or replace. */
export const CANARY = `/tmp/handshake-security-canary-${process.pid}`;
const CANARY_TEXT = 'host canary: no run may touch this\n';

/** Host files whose content and metadata must be the same before and after every run. */
const WATCHED = [CANARY, '/etc/shadow', '/etc/passwd'];

/** Host directories any user may write: a run must leave nothing in them. */
const SHARED_DIRS = ['/tmp', '/var/tmp', '/dev/shm'];

/** How deep the shared directories are scanned (other tools keep large trees there). */
const SCAN_DEPTH = 2;

/** What a watched file looked like. */
type Fingerprint = string;

/** Creates the canary and returns the fingerprints every later check compares with. */
export function snapshotHost(): Map<string, Fingerprint> {
  writeFileSync(CANARY, CANARY_TEXT, { mode: 0o600 });
  return new Map(WATCHED.map((file) => [file, fingerprint(file)]));
}

/** Removes the canary. */
export function removeCanary(): void {
  rmSync(CANARY, { force: true });
}

/** Asserts the host is as the snapshot says and holds nothing of any sandbox uid. */
export function expectHostUnchanged(snapshot: Map<string, Fingerprint>): void {
  for (const [file, before] of snapshot)
    expect(fingerprint(file), `host file ${file}`).toBe(before);
  expect(sandboxOwnedFiles(), 'files of a sandbox uid in the shared host directories').toEqual([]);
  expect(sandboxIpcObjects(), 'SysV IPC objects of a sandbox uid on the host').toEqual([]);
}

function fingerprint(file: string): Fingerprint {
  const stat = lstatSync(file);
  const content = readFileSync(file, 'utf8');
  return JSON.stringify([stat.ino, stat.mode, stat.uid, stat.size, stat.mtimeMs, content]);
}

function isSandboxUid(uid: number): boolean {
  return (
    (uid >= FIRST_LEARNER_UID && uid < FIRST_LEARNER_UID + MAX_SLOTS) ||
    (uid >= FIRST_PEER_UID && uid < FIRST_PEER_UID + MAX_SLOTS)
  );
}

/** Paths in the shared host directories owned by a sandbox uid. */
function sandboxOwnedFiles(): string[] {
  const found: string[] = [];
  const scan = (dir: string, depth: number): void => {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      try {
        const stat = lstatSync(file);
        if (isSandboxUid(stat.uid)) found.push(file);
        if (stat.isDirectory() && depth > 1) scan(file, depth - 1);
      } catch {
        // Removed meanwhile by whoever owns it.
      }
    }
  };
  for (const dir of SHARED_DIRS)
    if (statSync(dir, { throwIfNoEntry: false })) scan(dir, SCAN_DEPTH);
  return found;
}

/** Host SysV shared memory segments, queues and semaphores whose owner is a sandbox uid. */
function sandboxIpcObjects(): string[] {
  const found: string[] = [];
  for (const kind of ['shm', 'msg', 'sem']) {
    const [header, ...rows] = readFileSync(`/proc/sysvipc/${kind}`, 'utf8').trim().split('\n');
    const uidColumn = header!.trim().split(/\s+/).indexOf('uid');
    for (const row of rows) {
      const uid = Number(row.trim().split(/\s+/)[uidColumn]);
      if (isSandboxUid(uid)) found.push(`${kind}: ${row.trim()}`);
    }
  }
  return found;
}
