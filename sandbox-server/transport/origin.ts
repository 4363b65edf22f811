/**
 * The Origin check: a browser always sends the page's origin with a WebSocket handshake, so only
 * pages served from an allowed origin can make a learner's browser run code here. Non-browser
 * clients can send any Origin; this check protects learners, it does not authenticate tools.
 */

/** Normalises an origin (scheme, host, port) so `HTTP://LocalHost:80` equals `http://localhost`. */
export function normalizeOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** True when the handshake's Origin is on the allow-list (`*` on the list allows any origin). */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes('*')) return true;
  if (!origin) return false;
  const normalized = normalizeOrigin(origin);
  return normalized !== null && allowed.includes(normalized);
}
