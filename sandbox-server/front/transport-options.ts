/** How the config table's values map onto the WebSocket transport's options. */
import type { SandboxConfig } from '../config.ts';
import type { TransportOptions } from '../transport/server.ts';

/**
 * The transport's options for this configuration; `captureKey` (from the shared secret) seals
 * capture tokens with HANDSHAKE_ADVERTISE_URL when it is set.
 */
export function transportOptions(config: SandboxConfig, captureKey?: Uint8Array): TransportOptions {
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
    // Downloads need a capture to download and room to keep it.
    ...(config.capture && config.captureDownloadsMiB > 0
      ? {
          captures: {
            maxBytes: config.captureDownloadsMiB * 1024 * 1024,
            ttlMs: config.captureDownloadMinutes * 60_000,
            ...(config.advertiseUrl && captureKey
              ? { owner: { url: config.advertiseUrl, key: captureKey } }
              : {}),
          },
        }
      : {}),
  };
}
