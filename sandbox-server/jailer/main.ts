/**
 * The jailer: the one process of the sandbox server that keeps root, forked by main.ts. It warms
 * the sandbox up (sweeping what a dead jailer left), says `ready` over IPC, then serves the
 * unprivileged front over the socket main hands it. It makes namespaces, cgroups and jails and
 * runs the peers; it loads no lesson code and faces no network. If main goes away it stops
 * every run, gives back what it holds and exits.
 */
import { Socket } from 'node:net';
import { loadConfig } from '../config.ts';
import { MAX_SLOTS } from '../uid-range.ts';
import { SandboxHost } from '../run/sandbox-host.ts';
import { captureSettings, JailerSession } from './serve.ts';

/** Longest a shutdown waits for runs to be torn down. */
const SHUTDOWN_GRACE_MS = 10_000;

const stamp = (): string => new Date().toISOString();
const log = (line: string): void => console.error(`${stamp()} jailer: ${line}`);

const config = loadConfig();
// The one sandbox host of this server: its instance id and uid base keep it apart from any
// other server on the kernel. Each holds a slot's uids: never so many warm that a run would wait.
const host = new SandboxHost({
  instance: config.instance,
  uidBase: config.uidBase,
  readyNetns: Math.min(config.slots, 8),
  warmSandboxes: config.warmSandboxes,
  warmSandboxesMax: Math.max(0, Math.min(config.warmSandboxesMax, MAX_SLOTS - config.slots)),
  capture: captureSettings(config),
});
let session: JailerSession | null = null;
let stopping = false;

async function shutdown(why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${why}: stopping runs`);
  const stopped = session?.stopAll() ?? Promise.resolve();
  await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS))]);
  await host.disposeAsync().catch((error: unknown) => log(`giving back: ${String(error)}`));
  process.exit(0);
}

function onMessage(message: unknown, handle: unknown): void {
  const type = (message as { type?: unknown } | null)?.type;
  // main's heartbeat: answered from the event loop, so a blocked loop goes silent.
  if (type === 'ping') process.send?.({ type: 'pong' });
  if (type !== 'channel' || !(handle instanceof Socket) || stopping) return;
  session?.close();
  const current = new JailerSession(host, handle, config, log, () => {
    if (session === current) session = null;
  });
  session = current;
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('the jailer is started by sandbox-server/main.ts');
  // A bug in one run's promise chain must not take every other learner's run down with it.
  process.on('unhandledRejection', (error) => log(`unhandled rejection: ${String(error)}`));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('disconnect', () => void shutdown('main process gone'));
  process.on('message', onMessage);
  await host.warmUp();
  log(`sandbox instance ${host.instance}, uids from ${host.uidBase}`);
  process.send({ type: 'ready' });
}

// A failed warm-up is reported in one line (main says the server did not start), not as a trace.
main().catch((error: unknown) => {
  log(`warm-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
