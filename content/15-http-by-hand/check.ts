import {
  defineLesson,
  explainEnd,
  fail,
  lastException,
  pass,
  printedLine,
  reportsOf,
  stdoutLines,
  tcpConnections,
  type CheckOutcome,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

const CLIENT = 'client.py';
const SERVER = 'server.py';
const WEB = 'web'; // the HTTP server client.py talks to
const TESTER = 'tester'; // the HTTP client that talks to server.py
const CLIENT_PORT = 8080; // the proxy in front of the web server
const WEB_PORT = 8081;
const SERVER_PORT = 8000; // where server.py listens
const TESTER_PORT = 8001; // the proxy in front of server.py
/** Both proxies hand the bytes over this many at a time, so one recv() never holds a message. */
const CHUNK_BYTES = 5;
const PATHS = ['/first', '/second'];
const REQUESTS = [
  { method: 'GET', path: '/hello' },
  { method: 'POST', path: '/echo', body: '{zh}，{word}！{zh}' },
  { method: 'POST', path: '/notes', body: '{token} {zh} {number}' },
];

type Report = Record<string, unknown>;

/** A report's header named `name` (lowercase), as Node gives headers, or undefined. */
function header(report: Report | undefined, name: string): string | undefined {
  const headers = (report?.headers ?? {}) as Record<string, unknown>;
  const value = headers[name];
  return value === undefined ? undefined : String(value);
}

/** True when a process ended well: exit 0, or still serving when the run stopped it. */
function endedWell(run: RunRecord, proc: string): boolean {
  const record = run.processes[proc];
  return !!record && (record.exitCode === 0 || (record.end === 'stopped' && !record.stderr.trim()));
}

/** " (how the process ended)" when it did not end well, for the end of a failure message. */
function endNote(run: RunRecord, proc: string, t: Translate): string {
  return endedWell(run, proc) ? '' : ` ${explainEnd(run, proc, t)}`;
}

const show = (text: string): string => JSON.stringify(text);

// ---------------------------------------------------------------- part 1: client.py

/** Why the web server refused a request head, named from its reason and the bytes it got. */
function badRequestText(report: Report, t: Translate): string {
  const raw = String(report.raw ?? '');
  const shown = show(raw.slice(0, 120));
  if (report.reason === 'bare-lf') {
    return t({
      en: `Line ${String(report.line)} of your request ends with "\\n" alone (${shown}). HTTP/1.1 ends every line of the head with "\\r\\n" (CR LF), and the head with an empty line: "\\r\\n\\r\\n".`,
      zh: `你的请求第 ${String(report.line)} 行只以 "\\n" 结尾（${shown}）。HTTP/1.1 的头部每一行都以 "\\r\\n"（CR LF）结尾，整个头部以一个空行结束："\\r\\n\\r\\n"。`,
    });
  }
  if (report.reason === 'missing-host') {
    return t({
      en: `Your request has no Host header (${shown}). HTTP/1.1 requires one, and the server answered 400 Bad Request: add "Host: 127.0.0.1:${CLIENT_PORT}\\r\\n" after the request line.`,
      zh: `你的请求没有 Host 头部（${shown}）。HTTP/1.1 要求必须有它，服务器回答了 400 Bad Request：在请求行后面加上 "Host: 127.0.0.1:${CLIENT_PORT}\\r\\n"。`,
    });
  }
  return t({
    en: `The server could not parse your request (${String(report.reason)}): ${shown}. A request is "GET /first HTTP/1.1\\r\\n", then headers "Name: value\\r\\n", then an empty line "\\r\\n".`,
    zh: `服务器无法解析你的请求（${String(report.reason)}）：${shown}。一个请求由 "GET /first HTTP/1.1\\r\\n"、若干 "名称: 值\\r\\n" 头部行和最后的空行 "\\r\\n" 组成。`,
  });
}

/** Why no request reached the web server at all. */
function noRequestText(run: RunRecord, t: Translate): string {
  const conn = tcpConnections(run).find((c) => c.server.port === CLIENT_PORT);
  if (!conn) {
    return t({
      en: `Your client never connected to 127.0.0.1:${CLIENT_PORT}.${endNote(run, CLIENT, t)}`,
      zh: `你的客户端从未连接 127.0.0.1:${CLIENT_PORT}。${endNote(run, CLIENT, t)}`,
    });
  }
  if (conn.bytesToServer > 0) {
    return t({
      en: `Your bytes reached the server, but never a whole request head: it waits for the empty line that ends it ("\\r\\n\\r\\n") before it answers.${endNote(run, CLIENT, t)}`,
      zh: `你发的字节到达了服务器，但始终不是一个完整的请求头部：服务器要等到结束头部的空行（"\\r\\n\\r\\n"）才会回答。${endNote(run, CLIENT, t)}`,
    });
  }
  return t({
    en: `Your client connected but sent nothing: send the request with sock.sendall(request.encode("ascii")) before you read.${endNote(run, CLIENT, t)}`,
    zh: `你的客户端连上了，却什么也没发送：先用 sock.sendall(request.encode("ascii")) 发送请求，再读取。${endNote(run, CLIENT, t)}`,
  });
}

/** The web server parsed every request the client sent, and each asked for a known path. */
function requestsUnderstood(run: RunRecord, t: Translate): CheckOutcome {
  const bad = reportsOf(run, WEB, 'bad-request')[0];
  if (bad) return fail(badRequestText(bad, t), String(bad.raw ?? '') || undefined);
  const requests = reportsOf(run, WEB, 'request');
  if (requests.length === 0) return fail(noRequestText(run, t));
  const unknown = requests.find((r) => r.method !== 'GET' || !PATHS.includes(String(r.path)));
  if (unknown) {
    return fail(
      t({
        en: `You asked for ${String(unknown.method)} ${String(unknown.path)}; this server answers GET ${PATHS.join(' and GET ')}.`,
        zh: `你请求的是 ${String(unknown.method)} ${String(unknown.path)}；这个服务器只回答 GET ${PATHS.join(' 和 GET ')}。`,
      }),
    );
  }
  const lines = requests.map(
    (r) => `${String(r.method)} ${String(r.path)} HTTP/${String(r.httpVersion)}`,
  );
  return pass(
    t({
      en: `The server parsed your request${lines.length > 1 ? 's' : ''}: ${lines.join(', ')}, each with a Host header and CRLF line endings.`,
      zh: `服务器解析了你的请求：${lines.join('、')}，带有 Host 头部，行尾是 CRLF。`,
    }),
  );
}

/** A body the web server sent: its path, text, size in bytes, and chunk sizes if chunked. */
interface SentBody {
  path: string;
  body: string;
  length: number;
  chunks: number[];
}

/** The bodies the web server sent this run, by path, in the order it answered. */
function sentBodies(run: RunRecord): SentBody[] {
  const requests = reportsOf(run, WEB, 'request');
  return reportsOf(run, WEB, 'response').flatMap((response, index) => {
    const path = String(requests[index]?.path ?? '');
    if (response.status !== 200 || !PATHS.includes(path)) return [];
    const body = String(response.body ?? '');
    const chunks = Array.isArray(response.chunks) ? response.chunks.map(Number) : [];
    return [{ path, body, length: Buffer.byteLength(body, 'utf8'), chunks }];
  });
}

/** The text of each chunk `sent` went out in. */
function chunkTexts(sent: SentBody): string[] {
  const bytes = Buffer.from(sent.body, 'utf8');
  let start = 0;
  return sent.chunks.map((size) => bytes.subarray(start, (start += size)).toString('utf8'));
}

/** True when the client printed `sent`'s chunked stream as it came: a size line, then a chunk. */
function printedChunkedStream(run: RunRecord, sent: SentBody): boolean {
  const stdout = `\n${run.processes[CLIENT]?.stdout ?? ''}`.replace(/\r\n/g, '\n');
  return chunkTexts(sent).some((text, index) => {
    const size = sent.chunks[index]!.toString(16);
    // As printed (the CRLFs end lines), or as Python's repr() shows them.
    return stdout.includes(`\n${size}\n${text}`) || stdout.includes(`\\r\\n${size}\\r\\n`);
  });
}

/** Why a chunked body is missing from the output, when the raw chunked stream is there. */
function chunkedMistake(run: RunRecord, sent: SentBody, t: Translate): string | undefined {
  if (sent.chunks.length === 0 || !printedChunkedStream(run, sent)) return undefined;
  const hexes = sent.chunks.map((size) => size.toString(16));
  const [sizes, hex] = [sent.chunks.join(', '), hexes.join(', ')];
  const [sizesZh, hexZh] = [sent.chunks.join('、'), hexes.join('、')];
  return t({
    en: `The server sent ${sent.path} with Transfer-Encoding: chunked, in ${sent.chunks.length} chunks of ${sizes} bytes (${hex} in hex), and your output holds that chunked stream as it came: the sizes and "\\r\\n"s between the pieces of the body. Decode it: read a line holding a size in hexadecimal, then that many bytes and "\\r\\n"; stop at the size 0, and join the pieces.`,
    zh: `服务器用 Transfer-Encoding: chunked 发送了 ${sent.path}，分成 ${sent.chunks.length} 块，分别是 ${sizesZh} 个字节（十六进制：${hexZh}），而你的输出里是原样的分块流：正文的各段之间夹着块大小和 "\\r\\n"。请解码它：读一行十六进制的块大小，再读那么多字节和一个 "\\r\\n"；读到大小为 0 的块就停，把各段拼起来。`,
  });
}

/** The reading mistake behind a body missing from the output, named, or undefined. */
function readingMistake(run: RunRecord, t: Translate): string | undefined {
  const error = lastException(run, CLIENT) ?? '';
  if (error.startsWith('UnicodeDecodeError')) {
    return t({
      en: `Your client stopped with ${error}: it decoded a piece of the body that ended inside a Chinese character (3 bytes in UTF-8; the proxy cuts every ${CHUNK_BYTES}). Collect all Content-Length bytes, then decode once.`,
      zh: `你的客户端以 ${error} 结束：它解码的那段正文在某个汉字中间断开了（一个汉字在 UTF-8 里占 3 个字节，而代理每 ${CHUNK_BYTES} 个字节切一刀）。先收齐 Content-Length 个字节，再一次性解码。`,
    });
  }
  const pieces = stdoutLines(run, CLIENT).filter(
    (line) => line.length < 15 && line.length > 0 && 'HTTP/1.1 200 OK'.startsWith(line),
  );
  if (pieces.length > 0) {
    return t({
      en: `Your client printed ${show(pieces[0] ?? '')}: a piece of the status line. One recv() returns what has arrived so far, here at most ${CHUNK_BYTES} bytes. Receive until the head's empty line, then until you have Content-Length body bytes.`,
      zh: `你的客户端打印了 ${show(pieces[0] ?? '')}：状态行的一小段。一次 recv() 只返回目前已到达的数据，这里最多 ${CHUNK_BYTES} 个字节。请一直接收到头部结束的空行，再接收到凑齐 Content-Length 个正文字节。`,
    });
  }
  return undefined;
}

/** Every body the web server sent is on a line of the client's output. */
function printedBodies(run: RunRecord, t: Translate): CheckOutcome {
  const bodies = sentBodies(run);
  if (bodies.length === 0) {
    return fail(
      t({
        en: 'The server sent no body yet, so there was nothing to print (see the first check).',
        zh: '服务器还没有发出任何正文，所以没有可打印的内容（见第一项检查）。',
      }),
    );
  }
  const missing = bodies.find((b) => !printedLine(run, CLIENT, b.body));
  const unsent = PATHS.find((path) => !bodies.some((b) => b.path === path));
  if (!missing && unsent) {
    return fail(
      t({
        en: `The server never sent the body of ${unsent}: the request for it did not reach the server on an open connection (see the check on reading by Content-Length).`,
        zh: `服务器一直没有发出 ${unsent} 的正文：对它的请求没有经过一条仍然打开的连接到达服务器（见“按 Content-Length 读取”那项检查）。`,
      }),
    );
  }
  if (!missing) {
    return pass(
      t({
        en: `You printed ${bodies.map((b) => `${b.path}'s ${b.length}-byte body ${show(b.body)}`).join(' and ')}.`,
        zh: `你打印出了 ${bodies.map((b) => `${b.path} 的 ${b.length} 字节正文 ${show(b.body)}`).join('，以及 ')}。`,
      }),
    );
  }
  const which = t({
    en: `This run the body of ${missing.path} was ${show(missing.body)} (${missing.length} bytes; it changes every run), and no line of your output contains it.`,
    zh: `这次运行 ${missing.path} 的正文是 ${show(missing.body)}（${missing.length} 个字节，每次运行都不一样），而你的输出里没有哪一行包含它。`,
  });
  const mistake =
    chunkedMistake(run, missing, t) ?? readingMistake(run, t) ?? endNote(run, CLIENT, t).trim();
  return fail(`${which} ${mistake}`.trim(), stdoutLines(run, CLIENT).join('\n') || undefined);
}

/** Why the second request never came after the first response. */
function noSecondRequest(run: RunRecord, t: Translate): string {
  const first = reportsOf(run, WEB, 'request')[0];
  const length = header(reportsOf(run, WEB, 'response')[0], 'content-length') ?? '?';
  if (header(first, 'connection')?.toLowerCase() === 'close') {
    return t({
      en: 'Your first request said "Connection: close", so the server closed the connection after answering it, and /second had nowhere to go. Leave that header out of the first request: HTTP/1.1 keeps a connection open by default.',
      zh: '你的第一个请求带了 "Connection: close"，于是服务器回答完就关闭了连接，/second 也就无处可发。第一个请求里别加这个头部：HTTP/1.1 默认保持连接。',
    });
  }
  const conn = tcpConnections(run).find((c) => c.server.port === WEB_PORT);
  const closer = conn?.fins[0];
  if (closer && closer.sport === WEB_PORT) {
    return t({
      en: `The server answered /first with Content-Length: ${length} and kept the connection open for your next request, as HTTP/1.1 does (keep-alive). Your client waited for recv() to return b"" instead, and that came only when the server gave up on the idle connection (after 5 s) and closed it: too late for /second. Read the head up to "\\r\\n\\r\\n", then exactly Content-Length bytes, and send the next request.`,
      zh: `服务器用 Content-Length: ${length} 回答了 /first，然后按 HTTP/1.1 的默认做法（keep-alive）保持连接，等你的下一个请求。你的客户端却在等 recv() 返回 b""，而 b"" 直到服务器放弃这条空闲连接（5 秒后）并关闭它时才出现：/second 已经没法发了。请读到 "\\r\\n\\r\\n" 为止的头部，再恰好读 Content-Length 个字节，然后发送下一个请求。`,
    });
  }
  const client = run.processes[CLIENT];
  const waiting = client?.blocked?.some((b) => b.call === 'recv' || b.call === 'select');
  if (client?.end === 'killed' && waiting) {
    return t({
      en: `The server answered /first with Content-Length: ${length} and then kept the connection open for your next request, as HTTP/1.1 does (keep-alive). Your client went on calling recv(), waiting for b"", which comes only when the server closes: it waited until the time limit. Read the head up to "\\r\\n\\r\\n", then exactly Content-Length bytes, and send the next request.`,
      zh: `服务器用 Content-Length: ${length} 回答了 /first，然后按 HTTP/1.1 的默认做法（keep-alive）保持连接，等你的下一个请求。你的客户端却一直调用 recv()，等待 b""，而 b"" 只有在服务器关闭连接时才会出现：它一直等到了时间上限。请读到 "\\r\\n\\r\\n" 为止的头部，再恰好读 Content-Length 个字节，然后发送下一个请求。`,
    });
  }
  return t({
    en: `The server answered /first (Content-Length: ${length}), but /second never came on that connection.${endNote(run, CLIENT, t)}`,
    zh: `服务器回答了 /first（Content-Length: ${length}），但那条连接上再也没有来 /second。${endNote(run, CLIENT, t)}`,
  });
}

/** Both requests came on one connection, the second after the first body was read by length. */
function readByLength(run: RunRecord, t: Translate): CheckOutcome {
  const requests = reportsOf(run, WEB, 'request');
  if (requests.length === 0) {
    return fail(
      t({
        en: 'No request reached the server (see the first check).',
        zh: '没有请求到达服务器（见第一项检查）。',
      }),
    );
  }
  const connections = tcpConnections(run).filter(
    (c) => c.server.port === WEB_PORT && c.synAck !== undefined,
  );
  if (connections.length > 1) {
    return fail(
      t({
        en: `Your client opened ${connections.length} connections. Ask for both paths on one: after exactly Content-Length body bytes, the connection is ready for the next request.`,
        zh: `你的客户端打开了 ${connections.length} 条连接。请在同一条连接上请求两个路径：恰好读完 Content-Length 个正文字节之后，这条连接就可以发送下一个请求了。`,
      }),
    );
  }
  const paths = requests.map((r) => String(r.path));
  if (PATHS.every((path, index) => paths[index] === path)) {
    const length = header(reportsOf(run, WEB, 'response')[0], 'content-length') ?? '?';
    return pass(
      t({
        en: `You read /first's ${length} body bytes by its Content-Length, then asked for /second on the same connection.`,
        zh: `你按 Content-Length 读完了 /first 的 ${length} 个正文字节，然后在同一条连接上请求了 /second。`,
      }),
    );
  }
  return fail(noSecondRequest(run, t));
}

// ---------------------------------------------------------------- part 2: server.py

/** What the tester asked, in order, with the body each request carried this run. */
function testerRequests(run: RunRecord): { method: string; path: string; body: string }[] {
  return reportsOf(run, TESTER, 'request').map((r) => ({
    method: String(r.method),
    path: String(r.path),
    body: String(r.body ?? ''),
  }));
}

/** The body server.py must answer `request` with: its method and path, a newline, its body. */
const expectedBody = (request: { method: string; path: string; body: string }): string =>
  `${request.method} ${request.path}\n${request.body}`;

/** A Content-Length that counted characters where it should count bytes, named; or undefined. */
function charactersNotBytes(run: RunRecord, t: Translate): string | undefined {
  const requests = testerRequests(run);
  for (const [index, response] of reportsOf(run, TESTER, 'response').entries()) {
    const request = requests[index];
    if (!request) continue;
    const expected = expectedBody(request);
    const announced = Number(header(response, 'content-length'));
    const bytes = Buffer.byteLength(expected, 'utf8');
    if (announced !== bytes && announced === [...expected].length) {
      return t({
        en: `Your answer to ${request.method} ${request.path} said Content-Length: ${announced}: that is how many characters ${show(expected)} has, but in UTF-8 it is ${bytes} bytes (each Chinese character takes 3). The client read ${announced} bytes and cut the body short. Encode first, then count: len(body.encode("utf-8")).`,
        zh: `你对 ${request.method} ${request.path} 的回答写的是 Content-Length: ${announced}：这是 ${show(expected)} 的字符数，而它的 UTF-8 编码有 ${bytes} 个字节（每个汉字占 3 个）。客户端只读了 ${announced} 个字节，正文被截短了。先编码，再计数：len(body.encode("utf-8"))。`,
      });
    }
  }
  return undefined;
}

/** Why the tester's request got no response, named from its error report and the wire. */
function testerErrorText(run: RunRecord, error: Report, t: Translate): string {
  const request = testerRequests(run)[Number(error.index) - 1];
  const what = request ? `${request.method} ${request.path}` : '?';
  if (error.reason === 'parse' && error.problem === 'bare-lf') {
    return t({
      en: `The client could not parse your answer to ${what}: line ${String(error.line)} of its head ends with "\\n" alone (${show(String(error.text ?? ''))}). Every line of a response head ends with "\\r\\n", and the head ends with an empty line: "\\r\\n\\r\\n".`,
      zh: `客户端无法解析你对 ${what} 的回答：它头部的第 ${String(error.line)} 行只以 "\\n" 结尾（${show(String(error.text ?? ''))}）。响应头部的每一行都以 "\\r\\n" 结尾，整个头部以一个空行 "\\r\\n\\r\\n" 结束。`,
    });
  }
  if (error.reason === 'timeout' && error.phase === 'body') {
    return t({
      en: `Your answer to ${what} never ended within ${String(error.seconds)} s: the client read ${String(error.bytes)} body bytes and waited for more (${String(error.framing)} framing). Send a Content-Length that counts the body's bytes, or close the connection after the body.${endNote(run, SERVER, t)}`,
      zh: `你对 ${what} 的回答在 ${String(error.seconds)} 秒内一直没有结束：客户端读了 ${String(error.bytes)} 个正文字节后还在等（分帧方式：${String(error.framing)}）。请发送按字节计的 Content-Length，或者在正文之后关闭连接。${endNote(run, SERVER, t)}`,
    });
  }
  if (error.reason === 'timeout' && error.phase === 'head') {
    return t({
      en: `Your answer to ${what} began (${show(String(error.raw ?? ''))}) but its head never ended within ${String(error.seconds)} s: end it with an empty line, "\\r\\n\\r\\n".${endNote(run, SERVER, t)}`,
      zh: `你对 ${what} 的回答开了头（${show(String(error.raw ?? ''))}），但它的头部在 ${String(error.seconds)} 秒内一直没有结束：请用一个空行 "\\r\\n\\r\\n" 结束头部。${endNote(run, SERVER, t)}`,
    });
  }
  if (error.reason === 'timeout') {
    return t({
      en: `Your server sent nothing back for ${what} within ${String(error.seconds)} s. The client keeps its side open while it waits for the answer, so a server that reads until recv() returns b"" waits forever: read the head up to "\\r\\n\\r\\n", then Content-Length bytes of body, then answer.`,
      zh: `对于 ${what}，你的服务器在 ${String(error.seconds)} 秒内什么也没发回。客户端在等回答时不会关闭它那一端，所以一直读到 recv() 返回 b"" 的服务器会永远等下去：读到 "\\r\\n\\r\\n" 为止的头部，再读 Content-Length 个正文字节，然后回答。`,
    });
  }
  return t({
    en: `The client's request ${what} failed (${String(error.reason)}: ${String(error.message ?? '')}).${endNote(run, SERVER, t)}`,
    zh: `客户端的请求 ${what} 失败了（${String(error.reason)}：${String(error.message ?? '')}）。${endNote(run, SERVER, t)}`,
  });
}

/** The tester got an HTTP 200 response to every request. */
function serverAnswered(run: RunRecord, t: Translate): CheckOutcome {
  const responses = reportsOf(run, TESTER, 'response');
  const error = reportsOf(run, TESTER, 'error')[0];
  if (responses.length === REQUESTS.length && responses.every((r) => r.status === 200) && !error) {
    return pass(
      t({
        en: `The client got ${responses.length} responses, each with the status line "HTTP/1.1 200 OK".`,
        zh: `客户端收到了 ${responses.length} 个响应，状态行都是 "HTTP/1.1 200 OK"。`,
      }),
    );
  }
  const wrongStatus = responses.find((r) => r.status !== 200);
  if (wrongStatus) {
    return fail(
      t({
        en: `One answer had the status ${String(wrongStatus.status)}; answer every request with "HTTP/1.1 200 OK\\r\\n".`,
        zh: `有一个回答的状态码是 ${String(wrongStatus.status)}；请用 "HTTP/1.1 200 OK\\r\\n" 回答每一个请求。`,
      }),
    );
  }
  if (error) {
    const text = charactersNotBytes(run, t) ?? testerErrorText(run, error, t);
    return fail(text, run.processes[`peer:${TESTER}`]?.stdout);
  }
  return fail(
    t({
      en: `The client got ${responses.length} of ${REQUESTS.length} responses.${endNote(run, SERVER, t)}`,
      zh: `客户端只收到了 ${REQUESTS.length} 个响应中的 ${responses.length} 个。${endNote(run, SERVER, t)}`,
    }),
  );
}

/** Each response body is its request's method, path and body, with a Content-Length in bytes. */
function bodiesInBytes(run: RunRecord, t: Translate): CheckOutcome {
  const requests = testerRequests(run);
  const responses = reportsOf(run, TESTER, 'response');
  if (responses.length === 0) {
    return fail(
      t({
        en: 'The client got no response to judge (see the check above).',
        zh: '客户端没有收到可以评判的响应（见上一项检查）。',
      }),
    );
  }
  const chars = charactersNotBytes(run, t);
  if (chars) return fail(chars);
  for (const [index, response] of responses.entries()) {
    const request = requests[index];
    if (!request) continue;
    const expected = expectedBody(request);
    const got = String(response.body ?? '');
    if (got !== expected) {
      return fail(
        t({
          en: `For ${request.method} ${request.path} the body should be ${show(expected)} (the method, the path, a newline, then the request's body, which changes every run), but the client read ${show(got)}.`,
          zh: `对 ${request.method} ${request.path} 的回答，正文应当是 ${show(expected)}（方法、路径、换行，再接请求的正文，它每次运行都不一样），客户端读到的却是 ${show(got)}。`,
        }),
      );
    }
    if (header(response, 'content-length') === undefined) {
      return fail(
        t({
          en: `Your answer to ${request.method} ${request.path} had no Content-Length: the client knew where the body ended only because you closed the connection. Send "Content-Length: ${Buffer.byteLength(expected, 'utf8')}\\r\\n" (its length in bytes).`,
          zh: `你对 ${request.method} ${request.path} 的回答没有 Content-Length：客户端只是因为你关闭了连接才知道正文在哪里结束。请发送 "Content-Length: ${Buffer.byteLength(expected, 'utf8')}\\r\\n"（正文的字节数）。`,
        }),
      );
    }
  }
  if (responses.length < REQUESTS.length) {
    return fail(
      t({
        en: `The ${responses.length} bodies that came were right, but ${REQUESTS.length - responses.length} request(s) got no answer (see the check above).`,
        zh: `收到的 ${responses.length} 个正文是对的，但有 ${REQUESTS.length - responses.length} 个请求没有得到回答（见上一项检查）。`,
      }),
    );
  }
  return pass(
    t({
      en: `Every body was its request's method, path and body, and every Content-Length counted its bytes (${responses.map((r) => header(r, 'content-length')).join(', ')}).`,
      zh: `每个正文都是对应请求的方法、路径和正文，每个 Content-Length 数的都是字节数（${responses.map((r) => header(r, 'content-length')).join('、')}）。`,
    }),
  );
}

/** server.py did not crash: still serving when the run stopped it, or exit 0. */
function serverDidNotCrash(run: RunRecord, t: Translate): CheckOutcome {
  if (endedWell(run, SERVER)) return pass(t({ en: 'No traceback.', zh: '没有异常回溯。' }));
  return fail(explainEnd(run, SERVER, t), run.processes[SERVER]?.stderr || undefined);
}

/** client.py ended by itself with exit code 0. */
function clientFinished(run: RunRecord, t: Translate): CheckOutcome {
  if (endedWell(run, CLIENT)) return pass(t({ en: 'No traceback.', zh: '没有异常回溯。' }));
  return fail(explainEnd(run, CLIENT, t), run.processes[CLIENT]?.stderr || undefined);
}

export default defineLesson({
  // Part 1: client.py → proxy :8080 → web :8081. The web server keeps connections open
  // (keep-alive) and sends a per-run body, /first's with a Content-Length and /second's
  // chunked; the proxy hands its bytes
  // over 5 at a time, so one recv() holds a piece of the status line, and a cut falls inside
  // Chinese characters. Part 2: tester → proxy :8001 → server.py :8000, cut the same way.
  processes: [
    {
      peer: 'http-server',
      name: WEB,
      port: WEB_PORT,
      options: {
        routes: [
          { path: '/first', body: '{zh}，{word}！{token}' },
          // Chunked, in chunks of varied sizes: the client must decode it.
          { path: '/second', body: '{number} {zh} {word} {zh}', framing: 'chunked' },
        ],
        framing: 'content-length',
        keepAlive: true,
      },
    },
    {
      peer: 'tcp-proxy',
      name: 'proxy',
      port: CLIENT_PORT,
      options: { target: WEB_PORT, chunkBytes: CHUNK_BYTES, direction: 'from-target' },
    },
    { file: CLIENT },
    { file: SERVER },
    {
      peer: 'tcp-proxy',
      name: 'proxy-in',
      port: TESTER_PORT,
      options: { target: SERVER_PORT, chunkBytes: CHUNK_BYTES },
    },
    {
      peer: 'http-client',
      name: TESTER,
      port: TESTER_PORT,
      options: { requests: REQUESTS, timeoutMs: 2000 },
    },
  ],
  limits: { wallSeconds: 12 },
  checks: [
    {
      id: 'requests-understood',
      title: {
        en: 'The web server understood your requests',
        zh: 'Web 服务器读懂了你的请求',
      },
      run: requestsUnderstood,
    },
    {
      id: 'printed-bodies',
      title: {
        en: 'Your client printed both bodies, whole, the chunked one decoded',
        zh: '你的客户端完整打印了两个正文，分块的那个已解码',
      },
      run: printedBodies,
    },
    {
      id: 'read-by-length',
      title: {
        en: 'Both requests went on one connection, the first body read by its Content-Length',
        zh: '两个请求走同一条连接，第一个正文按它的 Content-Length 读取',
      },
      run: readByLength,
    },
    {
      id: 'client-finished',
      title: { en: 'Your client finished without an error', zh: '你的客户端正常结束，没有报错' },
      run: clientFinished,
    },
    {
      id: 'server-answered',
      title: {
        en: 'The test client got a response to every request',
        zh: '测试客户端的每个请求都得到了响应',
      },
      run: serverAnswered,
    },
    {
      id: 'body-length-in-bytes',
      title: {
        en: 'Your server’s bodies were right, with Content-Length in bytes',
        zh: '你的服务器回答的正文正确，Content-Length 按字节计',
      },
      run: bodiesInBytes,
    },
    {
      id: 'server-did-not-crash',
      title: { en: 'Your server did not crash', zh: '你的服务器没有崩溃' },
      run: serverDidNotCrash,
    },
  ],
});
