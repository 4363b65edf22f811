/**
 * Where the browser reaches the sandbox: the configured HANDSHAKE_SANDBOX_URL when the server
 * passed one, otherwise port 3001 on the host that served the page (same machine, no proxy).
 */

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
