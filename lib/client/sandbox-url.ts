/**
 * Where the browser reaches the sandbox: the configured HANDSHAKE_SANDBOX_URL when the server
 * passed one, otherwise port 3001 on the host that served the page (same machine, no proxy).
 * Run captures are downloaded over HTTP from the same server, next to its WebSocket path.
 */
import { captureDownloadPath } from '../protocol.ts';

/** Port of the sandbox server when no URL is configured. */
export const DEFAULT_SANDBOX_PORT = 3001;

/** The WebSocket URL of the sandbox for a page served at `location`. */
export function resolveSandboxUrl(
  configured: string | null | undefined,
  location: Pick<Location, 'protocol' | 'hostname'>,
): string {
  if (configured) return configured;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // Location.hostname keeps the brackets of an IPv6 literal, so it can be used as is.
  return `${scheme}://${location.hostname}:${DEFAULT_SANDBOX_PORT}/ws`;
}

/**
 * The HTTP(S) URL of a run's capture on the sandbox at `sandboxUrl` (its WebSocket URL): the
 * capture path resolved beside the WebSocket path, so `wss://host/sandbox/ws` downloads from
 * `https://host/sandbox/capture/…` and a proxy that routes the one can route the other.
 */
export function captureDownloadUrl(sandboxUrl: string, runId: string, token: string): string {
  const base = new URL(sandboxUrl);
  base.protocol = base.protocol === 'wss:' ? 'https:' : 'http:';
  return new URL(`.${captureDownloadPath(runId, token)}`, base).href;
}
