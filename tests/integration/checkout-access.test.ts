/**
 * The unprivileged user reaches a checkout wherever it lives: in place when every folder above
 * it lets others in, through a private bind mount when one does not (a clone in /root), and a
 * checkout it cannot read at all is refused in one line before anything starts.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkoutAccess,
  CheckoutAccessError,
  closedFolder,
  VIEW_DIR,
  type CheckoutAccess,
} from '../../sandbox-server/privilege/checkout-access.ts';
import { unprivilegedUser } from '../../sandbox-server/privilege/user.ts';

const nobody = unprivilegedUser('nobody');
let scratch: string;

/** A minimal checkout: the folders the unprivileged processes read, and one lesson file. */
function makeCheckout(parent: string): string {
  const checkout = path.join(parent, 'handshake');
  for (const dir of ['app', 'lib', 'sandbox-server', 'node_modules', 'content'])
    mkdirSync(path.join(checkout, dir), { recursive: true, mode: 0o755 });
  writeFileSync(path.join(checkout, 'package.json'), '{}\n', { mode: 0o644 });
  writeFileSync(path.join(checkout, 'content', 'lesson.txt'), 'hello from the checkout\n', {
    mode: 0o644,
  });
  return checkout;
}

/** Runs `file args` as the access says; resolves with its exit code and output. */
function runAs(access: CheckoutAccess, file: string, args: string[]) {
  const { file: command, args: argv, options } = access.spawnArgs(file, args);
  return spawnSync(command, argv, { ...options, encoding: 'utf8' });
}

const mountTable = () => readFileSync('/proc/self/mountinfo', 'utf8');

beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'hs-checkout-'));
  chmodSync(scratch, 0o755);
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('checkout access', () => {
  it('runs in place when every folder above the checkout lets others in', () => {
    const access = checkoutAccess(nobody, makeCheckout(scratch));
    expect(access.viaView).toBe(false);
    const result = runAs(access, '/bin/cat', [path.join(access.root, 'content', 'lesson.txt')]);
    expect(result.stdout).toBe('hello from the checkout\n');
  });

  it('shows a checkout under a closed folder (like /root) through a private bind mount', () => {
    const home = path.join(scratch, 'root');
    mkdirSync(home, { mode: 0o700 });
    const checkout = makeCheckout(home);
    const before = mountTable();
    const access = checkoutAccess(nobody, checkout);
    expect(access.viaView).toBe(true);
    expect(closedFolder(checkout)).toBe(home);

    const inPlace = spawnSync('/bin/cat', [path.join(checkout, 'content', 'lesson.txt')], {
      uid: nobody.uid,
      gid: nobody.gid,
      encoding: 'utf8',
    });
    expect(inPlace.stderr).toMatch(/Permission denied/);

    const lesson = path.join(access.root, 'content', 'lesson.txt');
    const viaView = runAs(access, '/bin/sh', ['-c', `id -u; id -G; cat ${lesson}; pwd`]);
    expect(viaView.stderr).toBe('');
    expect(viaView.stdout).toBe(
      `${nobody.uid}\n${nobody.gid}\nhello from the checkout\n${access.root}\n`,
    );
    // The bind mount lives only in the child's namespace: the host's mount table is unchanged.
    expect(mountTable()).toBe(before);
  });

  it('opens the view folders a umask of 077 made closed', () => {
    const home = path.join(scratch, 'root');
    mkdirSync(home, { mode: 0o700 });
    const checkout = makeCheckout(home);
    mkdirSync(VIEW_DIR, { recursive: true });
    chmodSync(VIEW_DIR, 0o700);
    const access = checkoutAccess(nobody, checkout);
    expect(statSync(VIEW_DIR).mode & 0o777).toBe(0o755);
    const lesson = path.join(access.root, 'content', 'lesson.txt');
    expect(runAs(access, '/bin/cat', [lesson]).stdout).toBe('hello from the checkout\n');
  });

  it('keeps an IPC channel through the view, as the front needs', async () => {
    const home = path.join(scratch, 'root');
    mkdirSync(home, { mode: 0o700 });
    const access = checkoutAccess(nobody, makeCheckout(home));
    const { file, args, options } = access.spawnArgs(process.execPath, [
      '-e',
      'process.send({ uid: process.getuid(), cwd: process.cwd() }); process.disconnect();',
    ]);
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const message = await new Promise((resolve) => child.once('message', resolve));
    expect(message).toEqual({ uid: nobody.uid, cwd: access.root });
  });

  it('refuses, in one line naming the file and the fix, a checkout others cannot read', () => {
    const checkout = makeCheckout(scratch);
    chmodSync(path.join(checkout, 'content', 'lesson.txt'), 0o600);
    let error: unknown;
    try {
      checkoutAccess(nobody, checkout);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CheckoutAccessError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain(path.join(checkout, 'content', 'lesson.txt'));
    expect(message).toContain(`chmod -R o+rX ${checkout}`);
  });

  it('refuses a Node binary others cannot run', () => {
    const home = path.join(scratch, 'root');
    mkdirSync(path.join(home, '.nvm'), { recursive: true, mode: 0o700 });
    chmodSync(home, 0o700);
    expect(() =>
      checkoutAccess(nobody, makeCheckout(scratch), path.join(home, '.nvm', 'node')),
    ).toThrow(/cannot run Node at .*\.nvm\/node \(.*\/root is closed to others\)/);
  });
});
