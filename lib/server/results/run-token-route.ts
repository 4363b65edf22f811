/**
 * POST /api/run-token: a learner who joined a class gets a one-minute run token for the sandbox;
 * anyone else gets `{ token: null }` (a 200, so an anonymous page logs no failed request) and
 * uses the sandbox as before. Learners of an archived class record nothing, so they get none.
 * The token is in the response body only: another site cannot read it (no CORS), and the
 * SameSite=Lax session cookie does not come along on another site's POST anyway.
 */
import { appMetrics } from '../ops/app-metrics.ts';
import { issueRunToken } from '../run-token.ts';

/** The learner fields this route needs (lib/server/auth's Learner has them). */
export interface TokenLearner {
  id: string;
  classId: string;
  archived?: boolean;
}

export interface RunTokenDeps {
  learnerFromRequest(request: Request): Promise<TokenLearner | null>;
  /** The run-token key (lib/server/secrets.ts). */
  key(): Uint8Array;
  logFault?: (what: string, error: unknown) => void;
}

/** Answers POST /api/run-token. */
export async function handleRunToken(request: Request, deps: RunTokenDeps): Promise<Response> {
  const headers = { 'cache-control': 'no-store' };
  if (request.method !== 'POST')
    return Response.json({ error: 'POST only' }, { status: 405, headers });
  try {
    const learner = await deps.learnerFromRequest(request);
    if (!learner || learner.archived) return Response.json({ token: null }, { headers });
    const subject = { learnerId: learner.id, classId: learner.classId };
    const issued = await issueRunToken(deps.key(), subject);
    appMetrics().runTokensIssued.inc();
    return Response.json(issued, { headers });
  } catch (error) {
    // Without a token the page still runs code, as anonymous: say so rather than fail the page.
    deps.logFault?.('issuing a run token', error);
    return Response.json({ token: null }, { status: 503, headers });
  }
}
