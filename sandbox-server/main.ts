/**
 * `npm run sandbox-server`: boot = config → host check → listen. A bad option or an unfit host
 * stops the server with a clear message instead of a stack trace. SIGTERM/SIGINT stop every run,
 * close every socket with CLOSE_CODES.serverShuttingDown, then exit.
 */
import { ConfigError, loadConfig, type SandboxConfig } from './config.ts';
import { checkHost, formatProblems } from './host-check.ts';
import { SlotPool } from './queue/slot-pool.ts';
import { consoleLog } from './transport/log.ts';
import { createSandboxEngine, warmUp } from './transport/sandbox-engine.ts';
import {
  startSandboxServer,
  type SandboxServer,
  type TransportOptions,
} from './transport/server.ts';

const log = consoleLog();

/** How the config table's values map onto the transport's options. */
function transportOptions(config: SandboxConfig): TransportOptions {
  const bufferBytes = config.connectionBufferKiB * 1024;
  return {
    host: config.host,
    port: config.port,
    allowedOrigins: config.allowedOrigins,
    maxConnectionsPerAddress: config.maxConnectionsPerIp,
    maxRunsPerAddress: config.maxRunsPerIp,
    maxMessageBytes: config.maxMessageBytes,
    trustProxy: config.trustProxy,
    limits: {
      wallSeconds: config.limits.defaults.wallSeconds,
      outputBytes: config.limits.defaults.outputBytes,
    },
    outbox: {
      highWaterBytes: bufferBytes,
      maxPendingBytes: bufferBytes,
      coalesceMs: config.coalesceMs,
      maxFrameChars: 64 * 1024,
    },
  };
}

function readConfig(): SandboxConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(
      `handshake: bad configuration, the sandbox server did not start:\n${error.message}`,
    );
    process.exit(1);
  }
}

async function listen(config: SandboxConfig, pool: SlotPool): Promise<SandboxServer> {
  try {
    return await startSandboxServer(transportOptions(config), {
      engine: createSandboxEngine(config),
      pool,
      log,
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

function stopOnSignals(server: SandboxServer): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping runs and closing connections`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.fault('shutdown', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main(): Promise<void> {
  const config = readConfig();
  const problems = await checkHost();
  if (problems.length > 0) {
    console.error(formatProblems(problems));
    process.exit(1);
  }
  // A bug in one run's promise chain must not take every other learner's run down with it.
  process.on('unhandledRejection', (error) => log.fault('unhandled rejection', error));
  const pool = new SlotPool({
    slots: config.slots,
    queueMax: config.queueMax,
    initialHoldSeconds: Math.min(config.limits.defaults.wallSeconds, 2),
    onCallbackError: (error) => log.fault('queue callback', error),
  });
  await warmUp(config);
  const server = await listen(config, pool);
  stopOnSignals(server);
  const origins = config.allowedOrigins.join(', ');
  log.info(
    `sandbox server listening on ${server.url} (slots ${config.slots}, queue ${config.queueMax}, origins ${origins})`,
  );
}

await main();
