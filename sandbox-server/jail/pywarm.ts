/**
 * The warm Python of a learner process: `/usr/bin/python3 -E -s -u /app/<file>` started in a
 * sandbox made ahead, with pywarm-bootstrap.py standing in for /app/<file>. It imports the
 * standard modules its kind of run uses (preimportFor: a lesson's own imports, or asyncio, ssl
 * and the like without a lesson), writes READY_MARKER and waits for a go line on stdin; at Run
 * the host puts the learner's files in /app and sends the line, and the program starts with
 * those modules imported.
 *
 * /app is a tmpfs of its own, mounted by root on the host under APP_ROOT and bound read-only
 * into the sandbox (bwrap --ro-bind): the only way files can appear inside a jail that already
 * runs. Its own mount, so that inside it shows as `/` of a tmpfs (no host path in mountinfo),
 * owned by the slot's learner uid with the modes a cold start gives (/app 0755, files 0600), so
 * stat() sees what it sees cold. Nothing inside can write it (read-only bind, no capability to
 * remount, seccomp refuses mount); the host only creates fresh entries in it (O_EXCL, no
 * symlink followed) and renames its own temporary file over the bootstrap.
 */
import { execFile } from 'node:child_process';
import {
  chownSync,
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  writeSync,
  constants,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SourceFile } from '../../lib/protocol.ts';
import { HOST_TOOLS, launcherEnv } from './host-tools.ts';
import { DEFAULT_PREIMPORT, PREIMPORTABLE } from '../plan/pywarm-modules.ts';

const run = promisify(execFile);

/** Where the app directories of warm Pythons are mounted on the host (root only). */
export const APP_ROOT = '/run/handshake-pywarm';
/** Room for a run's sources: far above the largest message a browser may send. */
const APP_TMPFS_BYTES = 8 * 1024 * 1024;
/** The line that tells a waiting bootstrap to run the program. */
export const GO_LINE = '\n';

/** What the bootstrap writes to stdout once its imports are done (the host takes it off). */
export const READY_MARKER = '\0pywarm-ready\n';

let template: string | undefined;

/** The bootstrap's source (pywarm-bootstrap.py) with `modules` to import ahead written in. */
export function bootstrapSource(modules: readonly string[] = DEFAULT_PREIMPORT): string {
  template ??= readFileSync(new URL('./pywarm-bootstrap.py', import.meta.url), 'utf8');
  // Only names from the fixed list reach the file: nothing a request says becomes code.
  const unknown = modules.filter((name) => !PREIMPORTABLE.includes(name));
  if (unknown.length > 0) throw new Error(`not importable ahead: ${unknown.join(', ')}`);
  const tuple = `(${modules.map((name) => `"${name}",`).join(' ')})`;
  return template.replace('("HS_PREIMPORT",)', tuple);
}

/** The app directory of one warm Python, mounted and holding the bootstrap as `file`. */
export interface AppDir {
  /** Host path of the mount. */
  path: string;
  /** The learner file the process runs (its bootstrap stands in for it until Run). */
  file: string;
  /** The uid the files belong to (the slot's learner uid: uid 1000 inside). */
  uid: number;
}

/**
 * Mounts a fresh tmpfs for `name` (a run name: `hs-<instance>-<n>`, so leftovers are known)
 * and writes the bootstrap in as `file`, importing `modules` ahead (see preimportFor).
 */
export async function makeAppDir(
  name: string,
  file: string,
  uid: number,
  modules: readonly string[] = DEFAULT_PREIMPORT,
): Promise<AppDir> {
  const source = bootstrapSource(modules);
  mkdirSync(APP_ROOT, { recursive: true, mode: 0o711 });
  const dir = path.join(APP_ROOT, name);
  mkdirSync(dir, { mode: 0o700 });
  const options = `size=${APP_TMPFS_BYTES},mode=0755,uid=${uid},gid=${uid},nosuid,nodev`;
  try {
    await run(HOST_TOOLS.mount, ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], {
      env: launcherEnv(),
    });
    const app: AppDir = { path: dir, file, uid };
    writeNew(app, file, source);
    return app;
  } catch (error) {
    await removeAppDir({ path: dir }).catch(() => {});
    throw error;
  }
}

/**
 * Puts the run's files in place: every other file first, then the program itself renamed over
 * the bootstrap in one step. Synchronous and small (sources are a few KiB): the go line that
 * follows must find them all.
 */
export function fillAppDir(app: AppDir, files: SourceFile[]): void {
  const main = files.find((source) => source.name === app.file);
  if (!main) throw new Error(`the run has no file ${app.file}`);
  for (const source of files) if (source !== main) writeNew(app, source.name, source.content);
  const temporary = `.${app.file}.new`;
  writeNew(app, temporary, main.content);
  renameSync(path.join(app.path, temporary), path.join(app.path, app.file));
}

/** Adds files beside the bootstrap before its Python starts (the run's certificates). */
export function addAppFiles(app: AppDir, files: SourceFile[]): void {
  for (const file of files) writeNew(app, file.name, file.content);
}

/** Creates one file: never an existing entry, never through a symlink; mode and owner as cold. */
function writeNew(app: AppDir, name: string, content: string): void {
  if (name.includes('/') || name === '.' || name === '..') throw new Error(`bad file name ${name}`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const fd = openSync(path.join(app.path, name), flags, 0o600);
  try {
    writeSync(fd, Buffer.from(content, 'utf8'));
  } finally {
    closeSync(fd);
  }
  chownSync(path.join(app.path, name), app.uid, app.uid);
}

/** Unmounts and removes an app directory (its jail may still hold the mount: it goes with it). */
export async function removeAppDir(app: Pick<AppDir, 'path'>): Promise<void> {
  try {
    await run(HOST_TOOLS.umount, ['--lazy', app.path], { env: launcherEnv() });
  } catch {
    // Not mounted (a make that failed half-way): the directory is still removed.
  }
  rmdirSync(app.path);
}

/** Removes the app directories `isLeftover` names (left by servers that died mid-run). */
export async function sweepAppDirs(isLeftover: (name: string) => boolean): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(APP_ROOT);
  } catch {
    return;
  }
  for (const name of names.filter(isLeftover))
    await removeAppDir({ path: path.join(APP_ROOT, name) }).catch(() => {});
}
