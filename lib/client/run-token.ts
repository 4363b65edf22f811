/**
 * The page's side of run tokens: asks the app for one (POST /api/run-token) each time it opens
 * the sandbox connection. A learner who joined a class gets a token, so the sandbox records
 * their runs; anyone else gets null and runs code anonymously, as before. Any failure (the app
 * is slow, the answer is odd) is also null: recording is never worth not running code.
 */

/** Where the app issues run tokens. */
export const RUN_TOKEN_PATH = '/api/run-token';
/** Longest the page waits for a token before connecting without one. */
const TOKEN_TIMEOUT_MS = 5000;

/** A fresh run token for this page's learner, or null (anonymous, or the app did not say). */
export async function fetchRunToken(fetchImpl: typeof fetch = fetch): Promise<string | null> {
  try {
    const response = await fetchImpl(RUN_TOKEN_PATH, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { token?: unknown } | null;
    return typeof body?.token === 'string' && body.token.length > 0 ? body.token : null;
  } catch {
    return null;
  }
}
