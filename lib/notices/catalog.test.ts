/**
 * Every notice the protocol declares, and every line a peer writes, worded in every language: a
 * code added without a wording, or without a sample here, fails (tsc for the maps, this test at
 * run time).
 */
import { describe, expect, it } from 'vitest';
import { Lang, Notice, type NoticeCode, type NoticeParams } from '../protocol.ts';
import { NOTICE_CATALOG, renderNotice } from './catalog.ts';
import { PEER_WORDING, renderPeerLine, type PeerLine, type PeerLineParams } from './peer-lines.ts';

/** Parameters to word each code with: every variant that changes the sentence. */
const SAMPLES: { [C in NoticeCode]: Array<NoticeParams<C>> } = {
  busy: [
    { slots: 4, waiting: 10, retryAfterSeconds: 5 },
    { slots: 1, waiting: 1, retryAfterSeconds: 1 },
  ],
  'rate-limited': [{ max: 3 }],
  'stdin-too-large': [{ maxBytes: 1024 * 1024 }],
  'message-too-large': [{ bytes: 300 * 1024, maxBytes: 256 * 1024 }],
  'binary-message': [{}],
  'bad-message': [{ detail: 'runId: runId must be 8–64 characters of A–Z, a–z, 0–9, _ or -' }],
  'run-id-in-use': [{ runId: 'run-abcdefgh' }],
  'unknown-run': [{ runId: 'run-abcdefgh' }],
  'run-not-started': [{ runId: 'run-abcdefgh' }],
  'unknown-process': [{ process: 'server.py' }],
  'unknown-lesson': [{ lesson: 'tcp-client' }],
  'lesson-load-failed': [{ lesson: 'tcp-client' }],
  'lesson-broken': [{ detail: 'peer tcp-client: options.lines: expected array, received string' }],
  'no-files': [{}],
  'too-many-files': [{ count: 9, max: 8 }],
  'bad-file-name': [{ file: '../etc/passwd' }],
  'duplicate-file': [{ file: 'client.py' }],
  'file-too-large': [{ file: 'client.py', maxBytes: 64 * 1024 }],
  'missing-file': [{ file: 'client.py' }],
  'run-completed': [{}],
  'run-stopped': [{}],
  'stopped-before-start': [{}],
  'replaced-before-start': [{}],
  'time-limit': [{ seconds: 10 }, { seconds: 2.5 }],
  'output-limit': [{ bytes: 1024 * 1024 }],
  'run-token-forged': [{}],
  'run-token-expired': [{}],
  'run-token-replayed': [{}],
  'run-token-unchecked': [{}],
  'run-not-saved': [{}],
  'memory-limit': [{ bytes: 256 * 1024 * 1024 }],
  'cpu-limit': [{ seconds: 5 }],
  'process-limit': [{ count: 64 }],
  'peer-crashed': [
    { label: 'peer: echo', signal: 'SIGKILL', exitCode: null },
    { label: 'peer: echo', signal: null, exitCode: 70 },
  ],
  internal: [{}],
  'sandbox-failed': [{}],
  'sandbox-restarted': [{}],
  'sandbox-refused': [{}],
  'capture-packet-limit': [{ packets: 10_000 }],
  'capture-byte-limit': [{ bytes: 64 * 1024 }],
  'faults-truncated': [{ faults: 1 }, { faults: 10_000 }],
  'output-skipped': [{ characters: 950 }],
  'check-threw': [{}],
  'check-timeout': [{ seconds: 5 }],
  'check-bad-result': [{}],
  'origin-rejected': [{}],
  'too-many-connections': [{}],
  'server-shutting-down': [{}],
  'server-draining': [{}],
  'fault-datagram-dropped': [
    {
      index: 3,
      from: '127.0.0.1:40000',
      bytes: 6,
      toward: '127.0.0.1:9001',
      back: false,
      queueFull: false,
    },
    {
      index: 1,
      from: '127.0.0.1:9001',
      bytes: 1,
      toward: '127.0.0.1:40000',
      back: true,
      queueFull: true,
    },
  ],
  'fault-datagram-duplicated': [
    { index: 2, from: '127.0.0.1:40000', bytes: 6, toward: '127.0.0.1:9001', back: false },
  ],
  'fault-datagram-delayed': [
    {
      index: 2,
      from: '127.0.0.1:9001',
      bytes: 6,
      toward: '127.0.0.1:40000',
      back: true,
      delayMs: 40,
    },
  ],
  'fault-datagram-reordered': [{ index: 2, from: '127.0.0.1:40000', after: 3 }],
  'fault-datagram-late': [{ index: 2, from: '127.0.0.1:40000', holdMs: 30 }],
  'fault-segment-split': [
    {
      index: 1,
      from: '127.0.0.1:40000',
      bytes: 3,
      piece: 1,
      pieces: 4,
      readBytes: 12,
      chunkBytes: 3,
    },
  ],
  'fault-segment-delayed': [{ index: 1, from: '127.0.0.1:40000', bytes: 3, delayMs: 40 }],
  'fault-reset-drawn': [{ remote: '127.0.0.1:40000', index: 4, resetRate: 0.5 }],
  'fault-reset-after-bytes': [
    { remote: '127.0.0.1:40000', bytes: 5, from: '127.0.0.1:40000', resetAfterBytes: 5 },
  ],
};

/** Parameters to word each of a peer's own lines with (fault notes are sampled above). */
const PEER_SAMPLES: { [C in keyof PeerLineParams]: Array<PeerLineParams[C]> } = {
  'peer-listening': [{ address: '127.0.0.1:8080' }],
  'peer-listen-failed': [
    {
      address: '127.0.0.1:8080',
      error: 'listen EADDRINUSE: address already in use 127.0.0.1:8080',
    },
  ],
  'peer-bound-udp': [{ address: '127.0.0.1:9001' }],
  'peer-bind-failed': [{ address: '127.0.0.1:9001', error: 'bind EADDRINUSE 127.0.0.1:9001' }],
  'peer-socket-error': [{ error: 'send ENOBUFS' }],
  'peer-connection-from': [{ from: '127.0.0.1:40000' }],
  'peer-connection-failed': [{ from: '127.0.0.1:40000', error: 'read ECONNRESET' }],
  'peer-closed-by': [{ from: '127.0.0.1:40000' }],
  'peer-received-echoing': [{ data: '"hello, handshake\\n"', bytes: 17 }],
  'peer-received-waiting': [{ data: '"GET / HTTP/1.0"', bytes: 14 }],
  'peer-request-too-long': [{ max: 1024 * 1024 }],
  'peer-echoing-request': [{ bytes: 14 }],
  'peer-datagram-echoing': [{ data: '"msg 01"', bytes: 6, from: '127.0.0.1:40000' }],
  'peer-greeted': [{ data: '"hello from the greeter\\n"' }],
  'peer-greeter-stalling': [{ seconds: 10 }],
  'peer-greeter-down': [{ seconds: 2.5 }],
  'peer-faults-seed': [{ seed: 42 }],
  'peer-relay-bound': [{ address: '127.0.0.1:9000', target: '127.0.0.1:9001' }],
  'peer-new-client': [
    { client: '127.0.0.1:40000', target: '127.0.0.1:9001', via: '127.0.0.1:50000' },
  ],
  'peer-too-many-clients': [{ max: 64, client: '127.0.0.1:40000' }],
  'peer-relay-socket-error': [{ client: '127.0.0.1:40000', error: 'send ENOBUFS' }],
  'peer-relay-failed': [{ index: 3, from: '127.0.0.1:40000', error: 'send ENOBUFS' }],
  'peer-proxy-connection': [{ number: 1, from: '127.0.0.1:40000' }],
  'peer-proxy-connect-failed': [
    {
      number: 1,
      target: '127.0.0.1:9001',
      error: 'connect ECONNREFUSED 127.0.0.1:9001',
      from: '127.0.0.1:40000',
    },
  ],
  'peer-proxy-gone': [{ number: 1, from: '127.0.0.1:40000' }],
  'peer-proxy-forwarding': [{ number: 1, target: '127.0.0.1:9001', via: '127.0.0.1:50000' }],
  'peer-proxy-closed': [{ number: 1 }],
  'peer-proxy-error': [{ number: 1, who: '127.0.0.1:40000', error: 'read ECONNRESET' }],
  'peer-fault-lines-capped': [{ max: 100 }],
  'peer-connect-retrying': [
    { address: '127.0.0.1:8080', refused: true, error: 'connect ECONNREFUSED', seconds: 3 },
    { address: '127.0.0.1:8080', refused: false, error: 'connect ETIMEDOUT', seconds: 3 },
  ],
  'peer-connect-timeout': [{ address: '127.0.0.1:8080', seconds: 3, port: 8080 }],
  'peer-connected': [{ address: '127.0.0.1:8080' }],
  'peer-sent': [{ data: '"hello\\n"' }],
  'peer-echo-ok': [{ data: '"hello\\n"' }],
  'peer-echo-missing': [{ expected: '"hello\\n"', seconds: 2 }],
  'peer-echo-wrong': [{ expected: '"hello\\n"', got: '"HELLO\\n"' }],
  'peer-echo-short': [{ got: 4_120_576, expected: 8_388_608, matched: 4_120_576 }],
  'peer-closing': [{}],
  'peer-server-kept-open': [{ seconds: 2 }],
  'peer-server-reset': [{}],
  'peer-server-extra': [{ data: '"bye\\n"' }],
  'peer-clean-close': [{}],
  'peer-sent-banner': [{ data: '"welcome, ticket 4821\\n"' }],
  'peer-datagram-received': [{ data: '"ping"', bytes: 4, from: '127.0.0.1:40000' }],
  'peer-request': [{ data: '"GET lemon\\n"' }],
  'peer-tls-presenting': [
    { certificate: 'trusted' },
    { certificate: 'wrong-host' },
    { certificate: 'untrusted' },
  ],
  'peer-tls-handshake': [
    {
      from: '127.0.0.1:40000',
      sni: 'localhost',
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
    },
    {
      from: '127.0.0.1:40000',
      sni: '',
      protocol: 'TLSv1.2',
      cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256',
    },
  ],
  'peer-tls-alert': [{ from: '127.0.0.1:40000', alert: 'bad_certificate' }],
  'peer-tls-failed': [{ from: '127.0.0.1:40000', error: 'socket hang up' }],
  'peer-tls-plaintext': [{ from: '127.0.0.1:40000', data: '"LOGIN learner\\n"' }],
  'peer-tls-no-hello': [{ from: '127.0.0.1:40000' }],
  'peer-tls-client-done': [{ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' }],
  'peer-tls-client-failed': [{ error: 'ERR_SSL_WRONG_VERSION_NUMBER: wrong version number' }],
  'peer-request-partial': [{ data: '"GET lem"', bytes: 7 }],
  'peer-request-unfinished': [{ data: '"GET lemon"' }],
  'peer-connection-number': [{ number: 2, count: 3 }],
  'peer-half-closed': [{}],
  'peer-aborted': [{}],
  'peer-reply-ok': [{ data: '"one\\ntwo\\n"' }],
  'peer-reply-wrong': [{ expected: '"one\\ntwo\\n"', got: '"one\\n"' }],
  'peer-reply-too-long': [{ max: 1024 * 1024 }],
  'peer-datagram-sent': [{ index: 1, data: '"hello"', to: '127.0.0.1:9000' }],
  'peer-datagram-reply': [{ index: 1, data: '"HELLO"', from: '127.0.0.1:9000' }],
  'peer-datagram-timeout': [{ index: 2, seconds: 1 }],
  'peer-datagram-refused': [{ address: '127.0.0.1:9000' }],
  'peer-framing': [{ framing: 'line' }, { framing: 'length' }],
  'peer-message-sent': [{ data: '"maple 4821"', bytes: 11 }],
  'peer-message-received': [{ data: '"maple 4821"' }],
  'peer-messages-capped': [{ max: 200 }],
  'peer-frame-length-too-long': [{ announced: 1_195_725_856, max: 1024 * 1024 }],
  'peer-frame-line-too-long': [{ max: 1024 * 1024 }],
  'peer-frame-incomplete': [{ bytes: 3 }],
  'peer-frame-not-utf8': [{ hex: 'e4 bd' }],
  'peer-framer-done': [{ count: 2 }],
  'peer-http-request': [
    { line: '"GET /hello HTTP/1.1"', bytes: 0 },
    { line: '"POST /notes HTTP/1.1"', bytes: 12 },
  ],
  'peer-http-response': [
    { status: 200, reason: 'OK', framing: 'content-length', bytes: 14, keepAlive: true },
    { status: 404, reason: 'Not Found', framing: 'chunked', bytes: 20, keepAlive: false },
    { status: 200, reason: 'OK', framing: 'close', bytes: 14, keepAlive: false },
  ],
  'peer-http-no-route': [{ method: 'GET', path: '/x', routes: '/, /hello' }],
  'peer-http-wrong-method': [{ method: 'POST', path: '/', allowed: 'GET, HEAD' }],
  'peer-http-bad-request': [
    {
      error: 'HPE_INVALID_VERSION: Expected CRLF after version',
      raw: '"GET / HTTP/1.1\\nHost: x\\n\\n"',
    },
  ],
  'peer-http-missing-host': [{}],
  'peer-http-head-partial': [{ data: '"GET / HTTP/1.1\\r\\nHost: x\\r\\n"', bytes: 26 }],
  'peer-http-head-timeout': [{ seconds: 10 }],
  'peer-http-body-too-large': [{ max: 1024 * 1024 }],
  'peer-http-bare-lf': [{ line: 1, text: '"GET / HTTP/1.1"' }],
  'peer-http-bad-start-line': [
    { kind: 'request', text: '"get / HTTP/1.1"' },
    { kind: 'response', text: '"HTTP/1.1 OK"' },
  ],
  'peer-http-bad-header-line': [{ line: 2, text: '"Host 127.0.0.1"' }],
  'peer-http-head-too-large': [{ max: 16 * 1024 }],
  'peer-http-head-incomplete': [{}],
  'peer-http-sent': [
    { line: '"GET / HTTP/1.1"', bytes: 0 },
    { line: '"POST /echo HTTP/1.1"', bytes: 5 },
  ],
  'peer-http-received': [
    {
      version: '1.1',
      status: 200,
      reason: 'OK',
      framing: 'content-length',
      bytes: 6,
      body: '"maple\\n"',
    },
  ],
  'peer-http-parse-error': [
    {
      error: 'HPE_INVALID_CONSTANT: Expected HTTP/',
      raw: '"HTTP/1.1 200 OK\\nContent-Length: 2\\n\\nhi"',
    },
  ],
  'peer-http-no-response': [{ seconds: 3 }],
  'peer-http-head-unfinished': [{ seconds: 3, data: '"HTTP/1.1 200 OK\\r\\n"' }],
  'peer-http-body-timeout-close': [{ seconds: 3, bytes: 6 }],
  'peer-http-body-timeout-short': [{ seconds: 3, bytes: 6, announced: 10 }],
  'peer-http-body-timeout-chunked': [{ seconds: 3, bytes: 6 }],
  'peer-http-closed-early': [{ bytes: 6, announced: 10 }],
  'peer-http-closed-no-response': [{}],
  'peer-http-failed': [{ error: 'read ECONNRESET' }],
  'peer-http-done': [{ answered: 2, count: 3 }],
  'peer-crowd-stalled': [
    { count: 1, data: '"map"' },
    { count: 3, data: '"nee"' },
  ],
  'peer-crowd-stalled-closed': [
    { connection: 1, seconds: 2.5, reset: false },
    { connection: 2, seconds: 0.01, reset: true },
  ],
  'peer-crowd-opening': [
    { count: 20, lines: 1, gapMs: 0 },
    { count: 1, lines: 3, gapMs: 50 },
  ],
  'peer-crowd-progress': [{ finished: 10, count: 100, served: 9 }],
  'peer-crowd-connection': [
    {
      connection: 7,
      line: { code: 'peer-echo-missing', params: { expected: '"hi\\n"', seconds: 3 } },
    },
    {
      connection: 8,
      line: { code: 'peer-crowd-closed-early', params: { expected: '"hi\\n"', reset: true } },
    },
  ],
  'peer-crowd-connect-slow': [{ seconds: 3 }],
  'peer-crowd-connect-failed': [{ error: 'connect ECONNREFUSED 127.0.0.1:8080' }],
  'peer-crowd-closed-early': [
    { expected: '"maple 4821\\n"', reset: false },
    { expected: '"maple 4821\\n"', reset: true },
  ],
  'peer-crowd-more-failures': [{ count: 95 }],
  'peer-crowd-closing-stalled': [{ count: 1 }, { count: 4 }],
  'peer-crowd-summary': [
    { served: 20, count: 20, servedWhileStalled: 20, stalled: 1, maxInFlight: 20 },
    { served: 0, count: 20, servedWhileStalled: 0, stalled: 1, maxInFlight: 20 },
    { served: 5, count: 5, servedWhileStalled: 0, stalled: 0, maxInFlight: 1 },
  ],
  'peer-crowd-one-at-a-time': [{ stalled: 1 }, { stalled: 2 }],
  'peer-crowd-reports-capped': [{ max: 9000 }],
  'peer-file-sending': [{ index: 1, name: 'maple-x1y2z3w4.bin', size: 262144, sha256: 'ab12' }],
  'peer-files-sent': [{ count: 2, ms: 40 }],
  'peer-file-header': [{ name: 'maple-x1y2z3w4.bin', size: 1048576, sha256: 'ab12' }],
  'peer-file-progress': [{ bytes: 262144, size: 1048576, ms: 310 }],
  'peer-file-received': [{ bytes: 1048576, sha256: 'ab12', elapsedMs: 1010, throughput: 1038194 }],
  'peer-file-failed': [
    { reason: 'short', bytes: 4096, size: 8192, sha256: '', expected: 'ab12' },
    { reason: 'timeout', bytes: 4096, size: 8192, sha256: '', expected: 'ab12' },
    { reason: 'sha256-mismatch', bytes: 8192, size: 8192, sha256: 'cd34', expected: 'ab12' },
  ],
  'peer-file-bad-header': [
    { reason: 'too-long', max: 1024 },
    { reason: 'not-json', text: '"maple.bin 8192"' },
    { reason: 'fields', text: '"{\\"name\\": \\"a\\"}"' },
    { reason: 'too-large', size: 1e9, max: 16777216 },
  ],
  'peer-file-no-header': [{ bytes: 12 }],
  'peer-file-idle': [
    { seconds: 2, bytes: 0, stage: 'header' },
    { seconds: 2, bytes: 4096, stage: 'body' },
  ],
  'peer-chat-connect-failed': [{ nick: 'maple412', address: '127.0.0.1:8080' }],
  'peer-chat-joined': [{ nick: 'maple412' }],
  'peer-chat-joined-slow': [{ nick: 'maple412' }],
  'peer-chat-flood': [{ nick: 'tiger7', slow: 'maple412', lines: 1536, mib: 6 }],
  'peer-chat-flood-stuck': [{ nick: 'tiger7', got: 610, lines: 1536, seconds: 2.6 }],
  'peer-chat-dropped': [
    { nick: 'tiger7', reset: true },
    { nick: 'tiger7', reset: false },
  ],
  'peer-chat-said': [{ nick: 'tiger7', lines: '"apple 42", "comet 7"' }],
  'peer-chat-echoed': [{ nick: 'tiger7', line: '"tiger7: apple 42"' }],
  'peer-chat-unattributed': [{ nick: 'tiger7', from: 'comet55', line: '"apple 42"' }],
  'peer-chat-missing': [{ nick: 'tiger7', from: 'comet55', data: '"apple 42"', seconds: 2 }],
  'peer-chat-left': [
    { nick: 'tiger7', reset: true, noticed: 2, stayed: 2 },
    { nick: 'comet55', reset: false, noticed: 0, stayed: 0 },
  ],
  'peer-chat-leave-unseen': [{ nick: 'tiger7', missed: 'comet55, maple412', seconds: 1.5 }],
  'peer-chat-summary': [
    {
      delivered: 6,
      expected: 6,
      maxLatencyMs: 4,
      deliveredWhileSlow: 6,
      slow: true,
      leavesNoticed: 5,
      leavesExpected: 5,
    },
    {
      delivered: 0,
      expected: 6,
      maxLatencyMs: 0,
      deliveredWhileSlow: 0,
      slow: false,
      leavesNoticed: 0,
      leavesExpected: 3,
    },
  ],
};

/** The codes the protocol's schema accepts. */
const CODES = Notice.options.map((option) => option.shape.code.value);

/** Chinese characters and full-width punctuation: none belongs in an English sentence. */
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
/**
 * Three Latin words in a row: an English phrase left untranslated. Single technical terms
 * (`RST`, `chunkBytes 3`, `HANDSHAKE_ALLOWED_ORIGINS`, `{ pass, message }`) are shorter.
 */
const LATIN_RUN = /[A-Za-z][\w'’().-]*(?:[ ,]+[A-Za-z][\w'’().-]*){2,}/;

/** Every notice sample, worded as the catalog words it, for it.each. */
const NOTICE_CASES = CODES.flatMap((code) =>
  (SAMPLES[code] as object[]).map((params, variant) => {
    const notice = { code, params } as Notice;
    const say = (lang: Lang) => renderNotice(notice, lang);
    return { name: `${code} #${variant + 1}`, notice, say };
  }),
);

/** Every sample of a peer's own lines, worded as the peer words it. */
const PEER_CASES = (Object.keys(PEER_SAMPLES) as Array<keyof PeerLineParams>).flatMap((code) =>
  (PEER_SAMPLES[code] as object[]).map((params, variant) => {
    const line = { code, params } as PeerLine;
    const say = (lang: Lang) => renderPeerLine(line, lang);
    return { name: `${code} #${variant + 1}`, notice: line, say };
  }),
);
const CASES = [...NOTICE_CASES, ...PEER_CASES];

/** The text with the parameters' own strings taken out: they are data, not our wording. */
function withoutParams(text: string, notice: { params: object }): string {
  // Longest first: one value may contain another (an error naming the address).
  const values = Object.values(notice.params)
    .filter((v): v is string => typeof v === 'string')
    .sort((a, b) => b.length - a.length);
  return values.reduce((rest, value) => rest.split(value).join(' · '), text);
}

describe('the notice catalog', () => {
  it('words exactly the codes the protocol declares, and this test samples each', () => {
    expect(CODES.length).toBe(new Set(CODES).size);
    expect(Object.keys(NOTICE_CATALOG).sort()).toEqual([...CODES].sort());
    expect(Object.keys(SAMPLES).sort()).toEqual([...CODES].sort());
    for (const code of CODES)
      expect(Object.keys(NOTICE_CATALOG[code]).sort()).toEqual(Lang.options);
  });

  it('words every line a peer writes, and this test samples each', () => {
    const own = Object.keys(PEER_SAMPLES);
    const faults = CODES.filter((code) => code.startsWith('fault-'));
    expect(Object.keys(PEER_WORDING).sort()).toEqual([...own, ...faults].sort());
    for (const wording of Object.values(PEER_WORDING))
      expect(Object.keys(wording).sort()).toEqual(Lang.options);
  });

  it.each(NOTICE_CASES)('$name: the sample is a valid notice', ({ notice }) => {
    expect(Notice.parse(notice)).toEqual(notice);
  });

  it.each(CASES)('$name: English has no Chinese in it', ({ say }) => {
    const text = say('en');
    expect(text.trim().length).toBeGreaterThan(0);
    expect(text).not.toMatch(CJK);
    expect(text).not.toMatch(/undefined|null|NaN|\[object/);
  });

  it.each(CASES)('$name: Chinese leaves no English phrase untranslated', ({ notice, say }) => {
    const text = say('zh');
    expect(text).toMatch(CJK);
    expect(text).not.toMatch(/undefined|null|NaN|\[object/);
    expect(withoutParams(text, notice)).not.toMatch(LATIN_RUN);
  });

  it('tells a busy learner when to try again, exactly once, in either language', () => {
    for (const params of SAMPLES.busy) {
      const en = renderNotice({ code: 'busy', params }, 'en');
      const zh = renderNotice({ code: 'busy', params }, 'zh');
      expect(en.match(/try again/gi)).toHaveLength(1);
      expect(zh.match(/重试/g)).toHaveLength(1);
      expect(en).toContain(`${params.retryAfterSeconds} s`);
      expect(zh).toContain(`${params.retryAfterSeconds} 秒`);
    }
  });

  it('catches an English phrase in Chinese, and Chinese in English', () => {
    expect('沙箱正忙：all slots are taken。').toMatch(LATIN_RUN);
    expect('已达到 CPU 时间限制；resetRate 0.5；RST').not.toMatch(LATIN_RUN);
    expect('The sandbox is busy，try again').toMatch(CJK);
  });
});
