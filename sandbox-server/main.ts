/**
 * `npm run sandbox-server`, started as root: boot = config → host check → jailer (warm-up) →
 * front → listen. It keeps the privilege split:
 *
 *   main (root, this file: supervises, touches no run and no socket of a browser)
 *   ├─ jailer (root: namespaces, cgroups, jails; sandbox-server/jailer/main.ts)
 *   └─ front  (HANDSHAKE_USER, default nobody: WebSocket, queue, lessons, checks; front/main.ts)
 *
 * The two children talk over a private socket pair main hands them. A jailer that dies, or stops
 * answering main's heartbeat for HANDSHAKE_JAILER_HANG_SECONDS (and is killed for it), is
 * restarted (its runs end with an honest message; the new one sweeps what it left) and the front
 * gets a channel to the new one; one that keeps dying, or a front that dies, stops the server
 * with a non-zero exit so a supervisor (systemd, a container runtime) restarts it whole.
 * SIGTERM drains: the front takes no new run and lets runs in progress finish (up to
 * HANDSHAKE_DRAIN_SECONDS), then closes every socket; SIGINT (Ctrl-C) stops at once. Then the
 * jailer gives back what it holds, and main exits 0. Every process logs JSON lines (ops/log.ts);
 * only a refusal to start, before the server runs, is printed as plain text for the operator.
 */
import type { ChildProcess } from 'node:child_process';
import { ConfigError, loadConfig, type SandboxConfig } from './config.ts';
import { checkHost, formatProblems, systemProbe } from './host/check.ts';
import {
  checkoutAccess,
  CheckoutAccessError,
  type CheckoutAccess,
} from './privilege/checkout-access.ts';
import { unprivilegedUser } from './privilege/user.ts';
import { ensureSecretFile, SecretError } from '../lib/server/secrets.ts';
import { connect, startFront, startJailer } from './supervisor/children.ts';
import { watchHeartbeat } from './supervisor/heartbeat.ts';
import { instanceId } from './ops/instance.ts';
import { createLogger, recordWriter } from './ops/log.ts';

/** More jailer deaths than this within CRASH_WINDOW_MS stop the server instead of restarting. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;
/** Longest each child gets to stop (beyond the front's drain) before it is killed. */
const STOP_GRACE_MS = 15_000;

const instance = { instance: instanceId() };
const log = createLogger('main', { fields: instance });
const jailerLog = createLogger('jailer', { fields: instance });
const writeRecord = recordWriter();

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function readConfig(): { config: SandboxConfig; access: CheckoutAccess } {
  try {
    const config = loadConfig();
    const user = unprivilegedUser(config.user);
    // Made here, as root, for the unprivileged front (and app) that read it.
    if (!config.secret) ensureSecretFile(config.dataDir, user);
    return { config, access: checkoutAccess(user) };
  } catch (error) {
    if (error instanceof CheckoutAccessError) fail(error.message);
    if (error instanceof SecretError) fail(`handshake: the shared secret: ${error.message}`);
    if (!(error instanceof ConfigError)) throw error;
    fail(`handshake: bad configuration, the sandbox server did not start:\n${error.message}`);
  }
}

/**
 * Sends `signal` and resolves with the exit code once `child` is gone (SIGKILL after `graceMs`).
 */
function stopChild(
  child: ChildProcess | null,
  signal: 'SIGTERM' | 'SIGINT' = 'SIGTERM',
  graceMs = STOP_GRACE_MS,
): Promise<number | null> {
  if (!child || child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(child?.exitCode ?? null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill(signal);
  });
}

class Supervisor {
  private readonly hangMs: number;
  private readonly drainMs: number;
  private jailer: ChildProcess | null = null;
  private front: ChildProcess | null = null;
  private stopping = false;
  private crashes: number[] = [];

  constructor(config: SandboxConfig) {
    this.hangMs = config.jailerHangSeconds * 1000;
    this.drainMs = config.drainSeconds * 1000;
  }

  async start(access: CheckoutAccess): Promise<void> {
    this.jailer = this.watchJailer(await startJailer(jailerLog, writeRecord));
    this.front = startFront(access);
    this.front.once('exit', (code, signal) => void this.frontExited(code, signal));
    await connect(this.front, this.jailer);
    log.info(`started the jailer (pid ${this.jailer.pid}) and the front (pid ${this.front.pid})`);
    for (const signal of ['SIGTERM', 'SIGINT'] as const)
      process.on(signal, () => void this.stop(signal));
  }

  private watchJailer(jailer: ChildProcess): ChildProcess {
    jailer.once('exit', (code, signal) => void this.jailerExited(jailer, code, signal));
    watchHeartbeat(jailer, this.hangMs, (silentMs) => {
      log.error(
        `the jailer (pid ${jailer.pid}) has not answered for ${Math.round(silentMs)} ms: killing it`,
      );
      jailer.kill('SIGKILL');
    });
    return jailer;
  }

  private async jailerExited(jailer: ChildProcess, code: number | null, signal: string | null) {
    if (this.stopping || this.jailer !== jailer) return;
    this.jailer = null;
    const now = Date.now();
    this.crashes = [...this.crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
    log.error(`the jailer (pid ${jailer.pid}) died (${signal ?? `code ${code}`})`);
    if (this.crashes.length > MAX_CRASHES) return this.stop('the jailer keeps dying', 1);
    try {
      this.jailer = this.watchJailer(await startJailer(jailerLog, writeRecord));
      if (this.front && !this.stopping) await connect(this.front, this.jailer);
      log.info(`a new jailer (pid ${this.jailer.pid}) serves the front`);
    } catch (error) {
      log.error(`the jailer could not be restarted: ${(error as Error).message}`);
      await this.stop('no jailer', 1);
    }
  }

  private async frontExited(code: number | null, signal: string | null): Promise<void> {
    if (this.stopping) return;
    this.front = null;
    // The front prints why (a taken port, a bad user); stop the jailer and pass the failure on.
    await this.stop(`the front exited (${signal ?? `code ${code}`})`, code || 1);
  }

  async stop(why: string, exitCode = 0): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (exitCode !== 0) log.error(`${why}: stopping`);
    else if (why.startsWith('SIG')) log.info(`${why}: stopping`);
    // SIGTERM lets the front drain its runs first; anything else stops them at once.
    const draining = why === 'SIGTERM';
    const frontCode = await stopChild(
      this.front,
      draining ? 'SIGTERM' : 'SIGINT',
      STOP_GRACE_MS + (draining ? this.drainMs : 0),
    );
    await stopChild(this.jailer);
    process.exit(exitCode !== 0 ? exitCode : frontCode === 0 ? 0 : 1);
  }
}

async function main(): Promise<void> {
  const { config, access } = readConfig();
  const problems = await checkHost(systemProbe, { capture: config.capture });
  if (problems.length > 0) fail(formatProblems(problems));
  await new Supervisor(config).start(access);
}

main().catch((error: unknown) =>
  fail(`handshake: the sandbox server did not start: ${(error as Error).message ?? error}`),
);
