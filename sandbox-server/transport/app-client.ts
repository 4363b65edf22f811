/**
 * The front's only way to the web app: its internal endpoints, with the shared internal secret
 * in a header. The front holds no database credentials; the app records runs and marks run
 * tokens used. Every call has a time limit, so a stuck app cannot hold a connection or a run.
 */
import {
  INTERNAL_PATHS,
  INTERNAL_SECRET_HEADER,
  type RecordedRun,
} from '../../lib/server/results/schema.ts';

/** How long one call to the app may take. */
const CALL_TIMEOUT_MS = 5000;

/** What the app answered a post of a run. */
export type PostAnswer =
  | { kind: 'recorded' }
  | { kind: 'duplicate' }
  /** Worth trying again: the app was unreachable, overloaded or failing (5xx, 429). */
  | { kind: 'retry'; why: string }
  /** Trying again would get the same answer (a refused secret, an invalid record). */
  | { kind: 'refused'; why: string };

export interface AppEndpoints {
  /** Marks a run token's id used: true when it was fresh. Throws when the app cannot say. */
  useTokenOnce(jti: string, expiresAt: Date): Promise<boolean>;
  /** Posts one run's record. Never throws. */
  postRun(run: RecordedRun): Promise<PostAnswer>;
}

/** The app's internal endpoints at `baseUrl` (HANDSHAKE_APP_URL), authenticated by `secret`. */
export function appEndpoints(
  baseUrl: string,
  secret: string,
  fetchImpl: typeof fetch = fetch,
): AppEndpoints {
  const call = (path: string, body: unknown) =>
    fetchImpl(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_SECRET_HEADER]: secret },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      redirect: 'error',
    });
  return {
    async useTokenOnce(jti, expiresAt) {
      const response = await call(INTERNAL_PATHS.tokenUses, {
        jti,
        expiresAt: expiresAt.toISOString(),
      });
      if (!response.ok) throw new Error(`token-uses answered ${response.status}`);
      const answer = (await response.json()) as { fresh?: unknown };
      if (typeof answer.fresh !== 'boolean') throw new Error('token-uses answered without fresh');
      return answer.fresh;
    },
    async postRun(run) {
      let response: Response;
      try {
        response = await call(INTERNAL_PATHS.runs, run);
      } catch (error) {
        return { kind: 'retry', why: (error as Error).message };
      }
      const status = response.status;
      const text = await response.text().catch(() => '');
      if (response.ok) {
        const result = (JSON.parse(text || '{}') as { result?: unknown }).result;
        return result === 'duplicate' ? { kind: 'duplicate' } : { kind: 'recorded' };
      }
      const why = `app answered ${status}: ${text.slice(0, 200)}`;
      return status >= 500 || status === 429 ? { kind: 'retry', why } : { kind: 'refused', why };
    },
  };
}
