/**
 * The WebSocket front: the Internet-facing half of the sandbox server, forked by main.ts as an
 * unprivileged user. It refuses to start holding any privilege, then listens; runs go to the
 * jailer over the channel main hands it. SIGTERM/SIGINT stop every run and close every socket
 * with CLOSE_CODES.serverShuttingDown; if main goes away, it shuts down the same way.
 */
import { readdirSync } from 'node:fs';
import type { SandboxConfig } from '../config.ts';
import { loadConfig } from '../config.ts';
import { assertUnprivileged } from '../privilege/unprivileged.ts';
import { SlotPool } from '../queue/slot-pool.ts';
import { loadSecrets, SecretError } from '../../lib/server/secrets.ts';
import { appEndpoints } from '../transport/app-client.ts';
import { consoleLog } from '../transport/log.ts';
import { ResultPoster } from '../transport/result-poster.ts';
import { RunAuth } from '../transport/run-auth.ts';
import { startSandboxServer, type SandboxServer } from '../transport/server.ts';
import { JailerEngine } from './jailer-engine.ts';
import { transportOptions } from './transport-options.ts';

const log = consoleLog();

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
    console.error(
      `handshake: the WebSocket front cannot read the shared secret (${(error as Error).message}); set HANDSHAKE_SECRET or make HANDSHAKE_DATA_DIR readable by uid ${process.getuid?.()}.`,
    );
    process.exit(1);
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
  try {
    return await startSandboxServer(transportOptions(config, record.captureKey), {
      engine,
      pool,
      log,
      recording: record,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EADDRNOTAVAIL' && code !== 'EACCES') throw error;
    console.error(
      `handshake: cannot listen on ${config.host}:${config.port} (${code}); set HANDSHAKE_SANDBOX_HOST / HANDSHAKE_SANDBOX_PORT.`,
    );
    process.exit(1);
  }
}

/** Longest shutdown waits for recorded runs still being posted to the app. */
const POSTING_GRACE_MS = 5000;

function stopOn(server: SandboxServer, poster: ResultPoster): void {
  let stopping = false;
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`${why}: stopping runs and closing connections`);
    const posted = () =>
      Promise.race([
        poster.whenIdle(),
        new Promise((resolve) => setTimeout(resolve, POSTING_GRACE_MS).unref()),
      ]).then(() => poster.close());
    server
      .close()
      .then(posted)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.fault('shutdown', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('disconnect', () => stop('main process gone'));
}

/** Lessons are loaded here, as this unprivileged user: a folder only root can read is a boot error. */
function requireReadableContent(dir: string): void {
  try {
    readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      `handshake: the WebSocket front runs as uid ${process.getuid?.()} and cannot read HANDSHAKE_CONTENT_DIR=${dir} (${code}); make it and the folders above it readable (chmod o+rx).`,
    );
    process.exit(1);
  }
}

async function main(): Promise<void> {
  try {
    assertUnprivileged();
  } catch (error) {
    console.error(`handshake: the WebSocket front refused to start: ${(error as Error).message}`);
    process.exit(1);
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
  stopOn(server, record.poster);
  const origins = config.allowedOrigins.join(', ');
  log.info(
    `sandbox server listening on ${server.url} (slots ${config.slots}, queue ${config.queueMax}, origins ${origins}, uid ${process.getuid?.()})`,
  );
}

await main();
