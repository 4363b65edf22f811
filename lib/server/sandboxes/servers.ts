/**
 * The sandbox servers the app spreads its pages over, read from HANDSHAKE_SANDBOX_SERVERS:
 * comma-separated entries, each the server's WebSocket URL as browsers reach it, optionally
 * followed by a space and the base URL the app polls it at (inside the cluster), e.g.
 * `wss://sb1.school.example/ws http://10.0.3.7:3001, wss://sb2.school.example/ws`.
 * Without a base URL the app polls beside the public one (`wss://h/ws` → `https://h/health`).
 */

/** One sandbox server. */
export interface SandboxServer {
  /** The WebSocket URL a browser connects to. */
  url: string;
  /** Where the app reads its load (`GET …/health`). */
  healthUrl: string;
}

/** A misconfigured HANDSHAKE_SANDBOX_SERVERS, with the entry at fault. */
export class SandboxServersError extends Error {}

/** The servers of `value` (empty for an empty or missing value). */
export function parseSandboxServers(value: string | undefined): SandboxServer[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const servers = entries.map(parseEntry);
  const seen = new Set<string>();
  for (const server of servers) {
    if (seen.has(server.url))
      throw new SandboxServersError(`HANDSHAKE_SANDBOX_SERVERS lists ${server.url} twice`);
    seen.add(server.url);
  }
  return servers;
}

function parseEntry(entry: string): SandboxServer {
  const [url, base, ...rest] = entry.split(/\s+/);
  const wrong = (why: string) =>
    new SandboxServersError(`HANDSHAKE_SANDBOX_SERVERS entry "${entry}": ${why}`);
  if (rest.length > 0) throw wrong('write the WebSocket URL, then at most one polling URL');
  const ws = parseUrl(url, /^wss?:$/);
  if (!ws) throw wrong('the first URL must be ws:// or wss:// with a path, e.g. wss://host/ws');
  if (base === undefined) return { url: ws.href, healthUrl: healthBeside(ws) };
  const http = parseUrl(base, /^https?:$/);
  if (!http) throw wrong('the polling URL must be http:// or https://, e.g. http://10.0.3.7:3001');
  return { url: ws.href, healthUrl: new URL('health', withSlash(http)).href };
}

function parseUrl(text: string | undefined, scheme: RegExp): URL | null {
  if (!text || !URL.canParse(text)) return null;
  const url = new URL(text);
  return scheme.test(url.protocol) ? url : null;
}

/** `/health` resolved beside the WebSocket path, the way capture links are. */
function healthBeside(ws: URL): string {
  const http = new URL(ws.href);
  http.protocol = ws.protocol === 'wss:' ? 'https:' : 'http:';
  return new URL('./health', http).href;
}

function withSlash(url: URL): URL {
  return url.pathname.endsWith('/') ? url : new URL(`${url.pathname}/`, url);
}
