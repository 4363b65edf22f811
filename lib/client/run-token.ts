/**
 * The page's side of run tokens: asks the app (POST /api/run-token) each time it opens the
 * sandbox connection. A learner who joined a class gets a token, so the sandbox records their
 * runs; anyone else gets null and runs code anonymously, as before. When the app spreads pages
 * over several sandbox servers, the same answer says which one to connect to. Any failure (the
 * app is slow, the answer is odd) is null for both: recording is never worth not running code,
 * and the page then stays with the server it knows.
 */
import type { ConnectionTicket, TicketRequest } from './sandbox-socket.ts';

/** Where the app issues run tokens. */
export const RUN_TOKEN_PATH = '/api/run-token';
/** Longest the page waits for the app before connecting without its answer. */
const TOKEN_TIMEOUT_MS = 5000;

const NONE: ConnectionTicket = { token: null, sandbox: null };

/** A fresh run token for this page's learner and the server to use next. */
export async function fetchConnectionTicket(
  request: TicketRequest,
  fetchImpl: typeof fetch = fetch,
): Promise<ConnectionTicket> {
  try {
    const response = await fetchImpl(RUN_TOKEN_PATH, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
    if (!response.ok) return NONE;
    const body = (await response.json()) as { token?: unknown; sandbox?: unknown } | null;
    return { token: nonEmpty(body?.token), sandbox: sandboxUrl(body?.sandbox) };
  } catch {
    return NONE;
  }
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function sandboxUrl(value: unknown): string | null {
  const text = nonEmpty(value);
  return text && /^wss?:\/\//.test(text) && URL.canParse(text) ? text : null;
}
