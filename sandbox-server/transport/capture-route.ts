/**
 * `GET /capture/<runId>.pcap?token=…`: a finished run's capture, for the browser that ran it
 * (the token was told only over its WebSocket). Served from memory (CaptureStore), never from a
 * path. A page of a foreign origin is refused (403); an unknown run, a wrong token, an expired
 * or replaced capture all get the same plain 404, so nothing tells a guess from an old link.
 * Allowed origins may also fetch() it (CORS), e.g. to read the file in the page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CAPTURE_PATH_PREFIX, CaptureToken, RunId } from '../../lib/protocol.ts';
import type { CaptureStore } from './capture-store.ts';
import { isOriginAllowed } from './origin.ts';

/** The media type of a pcap file (IANA). */
export const PCAP_MEDIA_TYPE = 'application/vnd.tcpdump.pcap';

/** Said for every capture that cannot be served, whatever the reason. */
export const CAPTURE_GONE =
  'No such capture: it has expired, its connection has run something newer since, or the link is wrong. Run the program again to capture anew.\n';

const PATH = new RegExp(`^${CAPTURE_PATH_PREFIX}([^/]+)\\.pcap$`);

/** True for paths this route answers (everything under /capture/). */
export function isCapturePath(pathname: string): boolean {
  return pathname.startsWith(CAPTURE_PATH_PREFIX);
}

/** Answers one request under /capture/. `store` is null when downloads are off. */
export function answerCapture(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  store: CaptureStore | null,
  allowedOrigins: readonly string[],
): void {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (!isOriginAllowed(origin, allowedOrigins)) return plain(res, 403, 'Origin not allowed.\n');
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', 'content-disposition, content-length');
  }
  res.setHeader('vary', 'origin');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return plain(res, 405, 'Only GET and HEAD.\n');
  }
  const runId = RunId.safeParse(PATH.exec(url.pathname)?.[1]);
  const token = CaptureToken.safeParse(url.searchParams.get('token'));
  const capture =
    store && runId.success && token.success ? store.get(runId.data, token.data) : null;
  if (!capture) return plain(res, 404, CAPTURE_GONE);
  res.writeHead(200, {
    'content-type': PCAP_MEDIA_TYPE,
    'content-length': capture.bytes.length,
    'content-disposition': `attachment; filename="${capture.fileName}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(req.method === 'HEAD' ? undefined : capture.bytes);
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}
