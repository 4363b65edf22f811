/**
 * POST /api/run-token, asked by the page before each sandbox connection: a learner who joined a
 * class gets a one-minute run token for the sandbox; anyone else gets `{ token: null }` (a 200,
 * so an anonymous page logs no failed request) and uses the sandbox as before. Learners of an
 * archived class record nothing, so they get none. When the app spreads pages over several
 * sandbox servers, `sandbox` says which one to connect to (the body's `previous` is the page's
 * last one, kept while it is nearly as free: its sandboxes made ahead are there; `waiting: true`
 * asks for a server with a slot free now, for a run waiting in `previous`'s queue).
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
  /**
   * The sandbox server for a page last on `previous`, whose run may be `waiting` in its queue
   * (lib/server/sandboxes); absent: one server.
   */
  place?: (previous: string | null, waiting: boolean) => Promise<string | null>;
  logFault?: (what: string, error: unknown) => void;
}

/** Answers POST /api/run-token. */
export async function handleRunToken(request: Request, deps: RunTokenDeps): Promise<Response> {
  const headers = { 'cache-control': 'no-store' };
  if (request.method !== 'POST')
    return Response.json({ error: 'POST only' }, { status: 405, headers });
  const [token, sandbox] = await Promise.all([tokenFor(request, deps), placement(request, deps)]);
  const body = deps.place ? { ...token.body, sandbox } : token.body;
  return Response.json(body, { status: token.status, headers });
}

async function tokenFor(
  request: Request,
  deps: RunTokenDeps,
): Promise<{ status: number; body: object }> {
  try {
    const learner = await deps.learnerFromRequest(request);
    if (!learner || learner.archived) return { status: 200, body: { token: null } };
    const subject = { learnerId: learner.id, classId: learner.classId };
    const issued = await issueRunToken(deps.key(), subject);
    appMetrics().runTokensIssued.inc();
    return { status: 200, body: issued };
  } catch (error) {
    // Without a token the page still runs code, as anonymous: say so rather than fail the page.
    deps.logFault?.('issuing a run token', error);
    return { status: 503, body: { token: null } };
  }
}

/** The server to connect to; null when there is no choice to make or none is healthy. */
async function placement(request: Request, deps: RunTokenDeps): Promise<string | null> {
  if (!deps.place) return null;
  try {
    const { previous, waiting } = await placementRequest(request);
    return await deps.place(previous, waiting);
  } catch (error) {
    deps.logFault?.('placing a page on a sandbox server', error);
    return null;
  }
}

/**
 * The body's `previous` (a short string, else none) and `waiting` (true, else false): anything
 * malformed is a new page's question.
 */
async function placementRequest(
  request: Request,
): Promise<{ previous: string | null; waiting: boolean }> {
  const text = await request.text().catch(() => '');
  if (text.length > 2048) return { previous: null, waiting: false };
  try {
    const body = JSON.parse(text) as { previous?: unknown; waiting?: unknown } | null;
    const previous = typeof body?.previous === 'string' ? body.previous : null;
    return { previous, waiting: previous !== null && body?.waiting === true };
  } catch {
    return { previous: null, waiting: false };
  }
}
