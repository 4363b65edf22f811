/**
 * The app's internal endpoints, called only by sandbox fronts: `POST /api/internal/runs` records
 * a learner's run, `POST /api/internal/token-uses` marks a run token used. They answer on the
 * app's port like every route, so each request must carry the internal secret (derived from
 * the shared master secret) in a header, compared in constant time; cookies are never looked
 * at, so a learner's session alone gets a 401. Bodies are bounded before they are parsed.
 */
import type { z } from 'zod';
import { describeIssues } from '../../protocol.ts';
import { sameSecret } from '../secrets.ts';
import {
  INTERNAL_SECRET_HEADER,
  MAX_RECORDED_RUN_BODY_BYTES,
  RecordedRun,
  TokenUse,
} from './schema.ts';

/** Where recorded runs and used token ids go (the data layer, or a fake in tests). */
export interface RunRecorder {
  /** Stores a run and its progress; 'duplicate' when this run id was stored before. */
  record(run: RecordedRun): Promise<'recorded' | 'duplicate'>;
  /** Marks a token id used until it expires: true the first time. */
  useTokenOnce(jti: string, expiresAt: Date): Promise<boolean>;
}

export interface InternalDeps {
  /** The expected value of the secret header. */
  secret: string;
  recorder: RunRecorder;
  /** Where faults are logged (never the body: it holds learners' code and output). */
  logFault?: (what: string, error: unknown) => void;
}

/** Largest token-use body: a jti and a date. */
const MAX_TOKEN_USE_BODY_BYTES = 1024;

/** Answers POST /api/internal/runs. */
export async function handleRecordRun(request: Request, deps: InternalDeps): Promise<Response> {
  const body = await readAuthorized(request, deps.secret, MAX_RECORDED_RUN_BODY_BYTES, RecordedRun);
  if (body instanceof Response) return body;
  try {
    return json(200, { result: await deps.recorder.record(body) });
  } catch (error) {
    deps.logFault?.(`recording run ${body.id}`, error);
    return json(503, { error: 'the run could not be recorded now' });
  }
}

/** Answers POST /api/internal/token-uses. */
export async function handleTokenUse(request: Request, deps: InternalDeps): Promise<Response> {
  const body = await readAuthorized(request, deps.secret, MAX_TOKEN_USE_BODY_BYTES, TokenUse);
  if (body instanceof Response) return body;
  try {
    return json(200, {
      fresh: await deps.recorder.useTokenOnce(body.jti, new Date(body.expiresAt)),
    });
  } catch (error) {
    deps.logFault?.('marking a run token used', error);
    return json(503, { error: 'the token could not be checked now' });
  }
}

/** The validated body of an authorized request, or the Response that refuses it. */
async function readAuthorized<T>(
  request: Request,
  secret: string,
  maxBytes: number,
  schema: z.ZodType<T>,
): Promise<T | Response> {
  if (request.method !== 'POST') return json(405, { error: 'POST only' });
  if (!sameSecret(request.headers.get(INTERNAL_SECRET_HEADER), secret))
    return json(401, { error: 'internal endpoint' });
  const text = await readBounded(request, maxBytes);
  if (text === null) return json(413, { error: `body larger than ${maxBytes} bytes` });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return json(400, { error: 'body is not JSON' });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) return json(400, { error: describeIssues(parsed.error) });
  return parsed.data;
}

/** The body as text, or null as soon as it passes `maxBytes` (the rest is never read). */
async function readBounded(request: Request, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return null;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function json(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}
