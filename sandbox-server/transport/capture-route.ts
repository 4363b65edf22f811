/**
 * `GET /capture/<runId>.pcap?token=…`: a finished run's capture, for the browser that ran it
 * (the token was told only over its WebSocket). Served from memory (CaptureStore), never from a
 * path. A page of a foreign origin is refused (403); an unknown run, a wrong token, an expired
 * or replaced capture all get the same plain 404, so nothing tells a guess from an old link.
 * Allowed origins may also fetch() it (CORS), e.g. to read the file in the page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { CAPTURE_PATH_PREFIX, CaptureToken, RunId } from '../../lib/protocol.ts';
import { captureTokenOwner, type CaptureOwner } from './capture-owner.ts';
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

/** Marks a request one server passed to another, so it is never passed on again. */
export const FORWARDED_HEADER = 'x-handshake-capture-forwarded';
/** Longest a server waits for the capture's owner to start answering. */
const FORWARD_TIMEOUT_MS = 5000;

/**
 * Answers one request under /capture/. `store` is null when downloads are off; with `owner`,
 * a capture sealed by another server is fetched from that server.
 */
export async function answerCapture(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  store: CaptureStore | null,
  allowedOrigins: readonly string[],
  owner?: CaptureOwner,
): Promise<void> {
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
  const elsewhere =
    !capture && owner && token.success ? captureTokenOwner(token.data, owner.key) : null;
  if (elsewhere && elsewhere !== owner?.url && req.headers[FORWARDED_HEADER] === undefined)
    return forward(req, res, new URL(`.${url.pathname}${url.search}`, withSlash(elsewhere)));
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

/** Streams the owner's answer through; an owner that is gone means the capture is gone. */
async function forward(req: IncomingMessage, res: ServerResponse, target: URL): Promise<void> {
  let answer: Response;
  try {
    answer = await fetch(target, {
      method: req.method,
      headers: { [FORWARDED_HEADER]: '1' },
      redirect: 'error',
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
  } catch {
    return plain(res, 404, CAPTURE_GONE);
  }
  if (answer.status !== 200 || !answer.body) {
    await answer.body?.cancel();
    return answer.status === 200 && req.method === 'HEAD'
      ? void res.writeHead(200, copied(answer.headers)).end()
      : plain(res, 404, CAPTURE_GONE);
  }
  res.writeHead(200, copied(answer.headers));
  Readable.fromWeb(answer.body as NodeReadableStream<Uint8Array>)
    .on('error', () => res.destroy())
    .pipe(res);
}

const PASSED_ON = [
  'content-type',
  'content-length',
  'content-disposition',
  'cache-control',
  'x-content-type-options',
  'referrer-policy',
];

function copied(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of PASSED_ON) {
    const value = headers.get(name);
    if (value !== null) kept[name] = value;
  }
  return kept;
}

function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}
