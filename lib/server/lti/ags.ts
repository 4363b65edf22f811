/**
 * Assignment and Grade Services 2.0 calls: find or create the line item of a lesson in a course
 * (resourceId = lesson id) and post a learner's score to it.
 */
import { z } from 'zod';
import type { LtiRegistration } from '../db/index.ts';
import {
  LtiServiceError,
  safeJson,
  SERVICE_TIMEOUT_MS,
  type ServiceTokens,
} from './service-token.ts';

export const AGS_SCOPE = {
  lineitem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineitemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;

const LINE_ITEM = 'application/vnd.ims.lis.v2.lineitem+json';
const LINE_ITEMS = 'application/vnd.ims.lis.v2.lineitemcontainer+json';
const SCORE = 'application/vnd.ims.lis.v1.score+json';

const LineItem = z.object({ id: z.url(), resourceId: z.string().optional() });

/** A course's AGS endpoint as a launch granted it. */
export interface AgsEndpoint {
  registration: LtiRegistration;
  lineitemsUrl: string;
  scopes: string[];
}

/** One call with a bearer token; a 401 drops the cached token so the retry gets a new one. */
async function call(
  tokens: ServiceTokens,
  endpoint: AgsEndpoint,
  scopes: string[],
  url: string,
  init: { method: string; accept: string; contentType?: string; body?: unknown },
): Promise<unknown> {
  const token = await tokens.token(endpoint.registration, scopes);
  const response = await fetch(url, {
    method: init.method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: init.accept,
      ...(init.contentType ? { 'content-type': init.contentType } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status === 401) tokens.forget(endpoint.registration, scopes);
  if (!response.ok)
    throw new LtiServiceError(
      `${init.method} ${url} answered ${response.status}: ${text.slice(0, 300)}`,
      response.status,
    );
  return safeJson(text);
}

/**
 * The line item of `lessonId` in the course: the one whose resourceId is the lesson id, else a
 * new one (score maximum 1, labelled `label`). Needs the lineitem scope.
 */
export async function findOrCreateLineItem(
  tokens: ServiceTokens,
  endpoint: AgsEndpoint,
  lessonId: string,
  label: string,
): Promise<string> {
  if (!endpoint.scopes.includes(AGS_SCOPE.lineitem))
    throw new LtiServiceError('the platform did not grant the lineitem scope');
  const scopes = [AGS_SCOPE.lineitem];
  const query = new URL(endpoint.lineitemsUrl);
  query.searchParams.set('resource_id', lessonId);
  const found = z
    .array(LineItem)
    .safeParse(
      await call(tokens, endpoint, scopes, query.href, { method: 'GET', accept: LINE_ITEMS }),
    );
  // Platforms filter by resource_id, but a platform that ignores the filter is checked here.
  const match = found.success ? found.data.find((item) => item.resourceId === lessonId) : undefined;
  if (match) return match.id;
  const created = LineItem.safeParse(
    await call(tokens, endpoint, scopes, endpoint.lineitemsUrl, {
      method: 'POST',
      accept: LINE_ITEM,
      contentType: LINE_ITEM,
      body: { scoreMaximum: 1, label, resourceId: lessonId, tag: 'handshake' },
    }),
  );
  if (!created.success) throw new LtiServiceError('the new line item came back without an id');
  return created.data.id;
}

/** An AGS score as posted. */
export interface AgsScore {
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: string;
  gradingProgress: string;
  timestamp: string;
}

/** Posts `score` to the line item at `lineItemUrl` (its /scores endpoint). Needs the score scope. */
export async function postScore(
  tokens: ServiceTokens,
  endpoint: AgsEndpoint,
  lineItemUrl: string,
  score: AgsScore,
): Promise<void> {
  if (!endpoint.scopes.includes(AGS_SCOPE.score))
    throw new LtiServiceError('the platform did not grant the score scope');
  await call(tokens, endpoint, [AGS_SCOPE.score], scoresUrl(lineItemUrl), {
    method: 'POST',
    accept: 'application/json',
    contentType: SCORE,
    body: score,
  });
}

/** The scores endpoint of a line item: `/scores` after its path, before any query. */
export function scoresUrl(lineItemUrl: string): string {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
  return url.href;
}
