/**
 * The WebSocket front: the Internet-facing half of the sandbox server, forked by main.ts as an
 * unprivileged user. It refuses to start holding any privilege, then listens; runs go to the
 * jailer over the channel main hands it. SIGTERM drains first: /readyz answers 503, new runs
 * are refused with a notice to reconnect, and runs in progress may finish for up to
 * HANDSHAKE_DRAIN_SECONDS; then (or at once on SIGINT, or if main goes away) every run is stopped
 * and every socket closed with CLOSE_CODES.serverShuttingDown. It logs JSON lines (ops/log.ts)
 * and keeps the metrics /metrics serves (ops/metrics.ts).
 */
import { readdirSync } from 'node:fs';
import type { SandboxConfig } from '../config.ts';
import { loadConfig } from '../config.ts';
import { assertUnprivileged } from '../privilege/unprivileged.ts';
import { SlotPool } from '../queue/slot-pool.ts';
import { loadSecrets, SecretError } from '../../lib/server/secrets.ts';
import { appEndpoints } from '../transport/app-client.ts';
import { serverLog } from '../transport/log.ts';
import { ResultPoster } from '../transport/result-poster.ts';
import { RunAuth } from '../transport/run-auth.ts';
import { startSandboxServer, type SandboxServer } from '../transport/server.ts';
import { instanceId } from '../ops/instance.ts';
import { instrumentedEngine } from '../ops/instrumented-engine.ts';
import { createLogger } from '../ops/log.ts';
import { poolMetrics } from '../ops/metrics.ts';
import { JailerEngine } from './jailer-engine.ts';
import { transportOptions } from './transport-options.ts';

const instance = instanceId();
const logger = createLogger('front', { fields: { instance } });
const log = serverLog(logger);

/** Exits after a refusal to start, said as one fatal record (on stderr). */
function refuse(message: string): never {
  logger.fatal(message);
  process.exit(1);
}

/** Run tokens and recorded runs, through the app's internal endpoints at HANDSHAKE_APP_URL. */
function recording(config: SandboxConfig): {
  auth: RunAuth;
  poster: ResultPoster;
  captureKey: Uint8Array;
} {
  let secrets;
  try {
    secrets = loadSecrets({ secret: config.secret, dataDir: config.dataDir });
  } catch (error) {
    if (!(error instanceof SecretError) && !(error as NodeJS.ErrnoException).code) throw error;
    refuse(
      `handshake: the WebSocket front cannot read the shared secret (${(error as Error).message}); set HANDSHAKE_SECRET or make HANDSHAKE_DATA_DIR readable by uid ${process.getuid?.()}.`,
    );
  }
  const app = appEndpoints(config.appUrl, secrets.internalSecret);
  const poster = new ResultPoster(app, log);
  return { auth: new RunAuth(secrets.runTokenKey, app), poster, captureKey: secrets.captureKey };
}

async function listen(
  config: SandboxConfig,
  pool: SlotPool,
  engine: JailerEngine,
  record: ReturnType<typeof recording>,
): Promise<SandboxServer> {
  let server: SandboxServer | null = null;
  const metrics = poolMetrics(
    pool,
    () => server?.connections ?? 0,
    async () => (await engine.stats())?.warmSandboxes ?? null,
  );
  try {
    server = await startSandboxServer(transportOptions(config, record.captureKey), {
      engine: instrumentedEngine(engine, metrics),
      pool,
      log: serverLog(logger, (entry) => metrics.runEnded(entry.reason)),
      recording: record,
      ops: {
        instance,
        jailerAnswers: async () => (await engine.stats()) !== null,
        metrics,
        metricsToken: config.metricsToken,
      },
    });
    return server;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EADDRNOTAVAIL' && code !== 'EACCES') throw error;
    refuse(
      `handshake: cannot listen on ${config.host}:${config.port} (${code}); set HANDSHAKE_SANDBOX_HOST / HANDSHAKE_SANDBOX_PORT.`,
    );
  }
}

/** Longest shutdown waits for recorded runs still being posted to the app. */
const POSTING_GRACE_MS = 5000;

/** Resolves after `ms` (without keeping the process alive for it). */
const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Drains for at most `drainMs`: no new run, connections closed as their runs end. Resolves
 * when none is left or the time is up.
 */
async function drain(server: SandboxServer, drainMs: number): Promise<void> {
  const started = performance.now();
  log.info(
    `draining: no new runs; waiting up to ${drainMs / 1000} s for ${server.connections} connection(s)`,
  );
  const drained = await Promise.race([
    server.drain().then(() => true),
    sleep(drainMs).then(() => false),
  ]);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (drained) log.info(`drained in ${seconds} s`);
  else log.info(`drain time up after ${seconds} s: stopping ${server.connections} connection(s)`);
}

function stopOn(server: SandboxServer, poster: ResultPoster, drainMs: number): void {
  let stopping = false;
  const stop = (why: string, drainFirst: boolean): void => {
    if (stopping) return;
    stopping = true;
    log.info(
      `${why}: ${drainFirst ? 'draining, then stopping' : 'stopping runs and closing connections'}`,
    );
    const posted = () =>
      Promise.race([poster.whenIdle(), sleep(POSTING_GRACE_MS)]).then(() => poster.close());
    (drainFirst ? drain(server, drainMs) : Promise.resolve())
      .then(() => server.close())
      .then(posted)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.fault('shutdown', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM', true));
  process.on('SIGINT', () => stop('SIGINT', false));
  process.on('disconnect', () => stop('main process gone', false));
}

/** Lessons are loaded here, as this unprivileged user: a folder only root can read is a boot error. */
function requireReadableContent(dir: string): void {
  try {
    readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    refuse(
      `handshake: the WebSocket front runs as uid ${process.getuid?.()} and cannot read HANDSHAKE_CONTENT_DIR=${dir} (${code}); make it and the folders above it readable (chmod o+rx).`,
    );
  }
}

async function main(): Promise<void> {
  try {
    assertUnprivileged();
  } catch (error) {
    refuse(`handshake: the WebSocket front refused to start: ${(error as Error).message}`);
  }
  const config = loadConfig();
  requireReadableContent(config.contentDir);
  // A bug in one run's promise chain must not take every other learner's run down with it.
  process.on('unhandledRejection', (error) => log.fault('unhandled rejection', error));
  const engine = new JailerEngine(config, log.fault);
  process.on('message', (message: { type?: unknown } | null, handle: unknown) => {
    if (message?.type === 'channel' && handle)
      engine.attach(handle as Parameters<JailerEngine['attach']>[0]);
  });
  const pool = new SlotPool({
    slots: config.slots,
    queueMax: config.queueMax,
    initialHoldSeconds: Math.min(config.limits.defaults.wallSeconds, 2),
    onCallbackError: (error) => log.fault('queue callback', error),
  });
  const record = recording(config);
  const server = await listen(config, pool, engine, record);
  stopOn(server, record.poster, config.drainSeconds * 1000);
  const origins = config.allowedOrigins.join(', ');
  log.info(
    `sandbox server listening on ${server.url} (slots ${config.slots}, queue ${config.queueMax}, origins ${origins}, uid ${process.getuid?.()})`,
  );
}

await main();
