/**
 * How the unprivileged processes (the web app and the WebSocket front) reach the checkout.
 * A clone in root's home is out of their reach (/root is mode 700). Rather than loosen the
 * operator's home, each such process then gets a private mount namespace in which the checkout
 * is bind-mounted at VIEW_DIR, whose parents everyone can traverse: the same files, live, seen
 * at another path. The files themselves must still be readable by others, as a clone made
 * under the usual umask 022 is; that is checked before anything is built or started.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOST_TOOLS } from '../jail/host-tools.ts';
import type { UnprivilegedUser } from './user.ts';

/** The checkout this server runs from. */
export const CHECKOUT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the checkout appears to unprivileged processes when they cannot reach it in place. */
export const VIEW_DIR = '/run/handshake/checkout';

/** What the unprivileged processes read: the app's sources, its dependencies and the lessons. */
const READ_BY_UNPRIVILEGED = [
  'package.json',
  'next.config.mjs',
  'node_modules',
  'app',
  'lib',
  'sandbox-server',
  'content',
];

/** A checkout the unprivileged user cannot use; the message is the one line to print. */
export class CheckoutAccessError extends Error {}

/** A command line and the spawn options that start it as the unprivileged user. */
export interface UnprivilegedSpawn {
  file: string;
  args: string[];
  options: { cwd: string; env: NodeJS.ProcessEnv; uid?: number; gid?: number };
}

/** Where the unprivileged processes find the checkout, and how to start one there. */
export interface CheckoutAccess {
  user: UnprivilegedUser;
  /** The checkout's path as those processes see it. */
  root: string;
  /** True when they see it through the private bind mount at VIEW_DIR. */
  viaView: boolean;
  /** How to start `file args` (paths under `root`) as the user, in `root`, with `env`. */
  spawnArgs(file: string, args: string[], env?: NodeJS.ProcessEnv): UnprivilegedSpawn;
}

/** True when others (not owner, not group) have all of `bits` on `file`. */
function othersHave(file: string, bits: number): boolean {
  try {
    return (statSync(file).mode & bits) === bits;
  } catch {
    return false;
  }
}

/** The first folder from / down to `dir` (inclusive) that others cannot enter, or null. */
export function closedFolder(dir: string, permits = othersHave): string | null {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const folder = path.sep + parts.slice(0, i).join(path.sep);
    if (!permits(folder, 0o001)) return folder;
  }
  return null;
}

/** The first file or folder the unprivileged processes read that others cannot, or null. */
export function firstUnreadable(checkout: string): string | null {
  const roots = READ_BY_UNPRIVILEGED.map((entry) => path.join(checkout, entry));
  const result = spawnSync(
    '/usr/bin/find',
    [
      ...roots,
      ...['(', '-type', 'd', '!', '-perm', '-o=rx', '-print', '-quit', ')'],
      ...['-o', '(', '-type', 'f', '!', '-perm', '-o=r', '-print', '-quit', ')'],
    ],
    { encoding: 'utf8' },
  );
  // find also fails on a root that does not exist (next.config.mjs in a test checkout): ignore.
  return result.stdout.trim().split('\n')[0] || null;
}

/** Folders named in the environment that the user's process must find where the starter meant. */
const FOLDER_VARIABLES = ['HANDSHAKE_CONTENT_DIR', 'HANDSHAKE_DATA_DIR'] as const;

/**
 * `env` with HANDSHAKE_CONTENT_DIR and HANDSHAKE_DATA_DIR as the user's process must see them: a
 * relative one means the starter's working directory, and one inside the checkout moves with
 * the view.
 */
export function envSeenFrom(
  root: string,
  checkout: string,
  env: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  const seen = { ...env };
  for (const name of FOLDER_VARIABLES) {
    const configured = env[name];
    if (!configured) continue;
    const absolute = path.resolve(configured);
    const inside = path.relative(checkout, absolute);
    const outside = inside.startsWith('..') || path.isAbsolute(inside);
    seen[name] = outside ? absolute : path.join(root, inside);
  }
  return seen;
}

function inPlace(checkout: string, user: UnprivilegedUser): CheckoutAccess {
  return {
    user,
    root: checkout,
    viaView: false,
    spawnArgs: (file, args, env = process.env) => ({
      file,
      args,
      options: {
        cwd: checkout,
        env: envSeenFrom(checkout, checkout, env),
        uid: user.uid,
        gid: user.gid,
      },
    }),
  };
}

// Runs as root in the new mount namespace: bind the checkout, then become the user and exec.
const VIEW_SCRIPT = `${HOST_TOOLS.mount} --bind "$1" "$2" && cd "$2" && u=$3 g=$4 && shift 4 && exec ${HOST_TOOLS.setpriv} --reuid="$u" --regid="$g" --clear-groups --inh-caps=-all "$@"`;

function throughView(checkout: string, user: UnprivilegedUser): CheckoutAccess {
  mkdirSync(VIEW_DIR, { recursive: true });
  // Whatever the umask was when they were made: the user must be able to enter them.
  for (const dir of [path.dirname(VIEW_DIR), VIEW_DIR]) chmodSync(dir, 0o755);
  return {
    user,
    root: VIEW_DIR,
    viaView: true,
    spawnArgs: (file, args, env = process.env) => ({
      file: HOST_TOOLS.unshare,
      args: [
        ...['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', VIEW_SCRIPT],
        ...['handshake-view', checkout, VIEW_DIR, String(user.uid), String(user.gid)],
        ...[file, ...args],
      ],
      options: { cwd: '/', env: envSeenFrom(VIEW_DIR, checkout, env) },
    }),
  };
}

/**
 * How `user` reaches `checkout`; throws a one-line CheckoutAccessError when it cannot at all
 * (files others cannot read, or a Node binary others cannot run).
 */
export function checkoutAccess(
  user: UnprivilegedUser,
  checkout: string = CHECKOUT_DIR,
  node: string = process.execPath,
): CheckoutAccess {
  const unreadable = firstUnreadable(checkout);
  if (unreadable) {
    throw new CheckoutAccessError(
      `handshake: ${user.name} (the web app's and the front's user) cannot read ${unreadable}; make the checkout readable with \`chmod -R o+rX ${checkout}\` (a clone made under umask 077 is not).`,
    );
  }
  const closedToNode = closedFolder(path.dirname(node));
  if (closedToNode || !othersHave(node, 0o001)) {
    throw new CheckoutAccessError(
      `handshake: ${user.name} cannot run Node at ${node} (${closedToNode ?? node} is closed to others); install Node for all users, e.g. \`npm install -g node@24\` into /usr/local.`,
    );
  }
  return closedFolder(checkout) === null ? inPlace(checkout, user) : throughView(checkout, user);
}
