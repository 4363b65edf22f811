/**
 * The two children of main.ts: the privileged jailer (root) and the unprivileged WebSocket front
 * (started as the configured user: it never runs a line as root). The front writes JSON log
 * lines itself and inherits stdout and stderr; the jailer's plain lines are relayed into the JSON
 * log as records of process `jailer` (ops/child-output.ts).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKOUT_DIR, type CheckoutAccess } from '../privilege/checkout-access.ts';
import { relayLines } from '../ops/child-output.ts';
import type { Logger } from '../ops/log.ts';
import { socketPair } from './socket-pair.ts';

const SERVER_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const JAILER_MAIN = path.join(SERVER_DIR, 'jailer', 'main.ts');
export const FRONT_MAIN = path.join(SERVER_DIR, 'front', 'main.ts');

/**
 * Forks the jailer and resolves once it has warmed up; rejects if it exits first. Its output
 * becomes records of `log`; a line that is already a JSON record goes to `write` unchanged.
 */
export function startJailer(log: Logger, write: (line: string) => void): Promise<ChildProcess> {
  const jailer = fork(JAILER_MAIN, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  relayLines(jailer.stdout!, log, 'info', write);
  relayLines(jailer.stderr!, log, 'warn', write);
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null): void =>
      reject(new Error(`the jailer exited during warm-up (${signal ?? `code ${code}`})`));
    jailer.once('exit', onExit);
    jailer.on('message', function ready(message: { type?: unknown } | null) {
      if (message?.type !== 'ready') return;
      jailer.off('message', ready);
      jailer.off('exit', onExit);
      resolve(jailer);
    });
  });
}

/**
 * Starts the front as the unprivileged user (with an IPC channel, as fork would), where that
 * user sees the checkout; the spawn fails (and nothing listens) if the switch is refused.
 */
export function startFront(access: CheckoutAccess): ChildProcess {
  const main = path.join(access.root, path.relative(CHECKOUT_DIR, FRONT_MAIN));
  const { file, args, options } = access.spawnArgs(process.execPath, [...process.execArgv, main]);
  return spawn(file, args, { ...options, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Gives the front and the jailer a fresh private channel to each other. */
export async function connect(front: ChildProcess, jailer: ChildProcess): Promise<void> {
  const [forJailer, forFront] = await socketPair();
  jailer.send({ type: 'channel' }, forJailer);
  front.send({ type: 'channel' }, forFront);
}
