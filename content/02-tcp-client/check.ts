import {
  defineLesson,
  connectionTo,
  explainEnd,
  fail,
  pass,
  printedLine,
  processFinished,
  reportsOf,
  sentText,
  stdoutLines,
  type CheckOutcome,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

const FILE = 'client.py';
const PORT = 8080;
/** The proxy cuts the reply into pieces this small, so one recv() never holds all of it. */
const CHUNK_BYTES = 5;

/** " (how the client ended)" when it did not exit 0, for the end of a failure message. */
function endNote(run: RunRecord, t: Translate): string {
  const proc = run.processes[FILE];
  return proc && proc.exitCode !== 0 ? ` ${explainEnd(run, FILE, t)}` : '';
}

function checkRequest(run: RunRecord, t: Translate): CheckOutcome {
  const request = reportsOf(run, 'greeter', 'request')[0];
  const data = JSON.stringify(String(request?.data ?? ''));
  if (request?.complete === true) {
    return pass(
      t({ en: `The greeter read your request ${data}.`, zh: `greeter 读到了你的请求 ${data}。` }),
    );
  }
  if (request && !request.data) {
    return fail(
      t({
        en: 'Your client closed the connection without sending anything: send REQUEST with sock.sendall(REQUEST.encode("utf-8")).',
        zh: '你的客户端什么也没发送就关闭了连接：请用 sock.sendall(REQUEST.encode("utf-8")) 发送 REQUEST。',
      }),
    );
  }
  if (request) {
    return fail(
      t({
        en: `The greeter got ${data} and then your FIN, but no "\\n": its requests are lines. End the request with "\\n".`,
        zh: `greeter 收到了 ${data}，接着是你的 FIN，却没有 "\\n"：它的请求是以行为单位的。请在请求末尾加上 "\\n"。`,
      }),
    );
  }
  const conn = connectionTo(run, PORT);
  if (!conn) {
    return fail(
      t({
        en: `Your client never connected to 127.0.0.1:${PORT}.${endNote(run, t)}`,
        zh: `你的客户端没有连接到 127.0.0.1:${PORT}。${endNote(run, t)}`,
      }),
    );
  }
  if (conn.bytesToServer > 0) {
    return fail(
      t({
        en: `Your bytes reached the greeter, but never a whole line: it reads your request up to "\\n" before it answers. End the request with "\\n".${endNote(run, t)}`,
        zh: `你发的字节到达了 greeter，但始终不是完整的一行：它要读到 "\\n" 才算收完请求，然后才回答。请在请求末尾加上 "\\n"。${endNote(run, t)}`,
      }),
    );
  }
  return fail(
    t({
      en: `Nothing you sent reached the greeter, and it answers only after reading your request line. Call sendall() before recv(): if both sides wait to receive, both wait forever.${endNote(run, t)}`,
      zh: `greeter 没有收到你发送的任何内容，而它要先读到你的请求行才会回答。请先 sendall() 再 recv()：如果双方都在等对方先发，就会永远等下去。${endNote(run, t)}`,
    }),
  );
}

/** The longest start of `reply` (at least 3 characters) that some output line ends with. */
function printedPrefix(lines: string[], reply: string): string | undefined {
  for (let k = reply.length - 1; k >= 3; k--) {
    const head = reply.slice(0, k);
    if (lines.some((line) => line.endsWith(head))) return head;
  }
  return undefined;
}

function checkReply(run: RunRecord, t: Translate): CheckOutcome {
  const reply = sentText(run, 'greeter').trim();
  if (!reply) {
    return fail(
      t({
        en: 'The greeter sent no reply, so there was nothing to print yet (see the check above).',
        zh: 'greeter 没有发出回复，所以还没有可打印的内容（见上一项检查）。',
      }),
    );
  }
  if (printedLine(run, FILE, reply)) {
    return pass(
      t({
        en: `The greeter sent ${JSON.stringify(reply)} this run, in pieces of ${CHUNK_BYTES} bytes, and you printed all of it.`,
        zh: `这次运行 greeter 发送了 ${JSON.stringify(reply)}，被切成每块 ${CHUNK_BYTES} 字节，你把它完整地打印了出来。`,
      }),
    );
  }
  return fail(diagnoseReply(run, reply, t), stdoutLines(run, FILE).join('\n') || undefined);
}

/** Names the mistake behind a missing reply, from this run's output and traceback. */
function diagnoseReply(run: RunRecord, reply: string, t: Translate): string {
  const total = Buffer.byteLength(reply, 'utf8');
  const shown = JSON.stringify(reply);
  const stderr = run.processes[FILE]?.stderr ?? '';
  if (stderr.includes('UnicodeDecodeError')) {
    return t({
      en: `The greeter sent ${shown}, split into ${CHUNK_BYTES}-byte pieces, and a piece ended inside a Chinese character, so decoding that piece alone raised UnicodeDecodeError. Join the bytes first (reply += chunk) and decode once, after the loop.`,
      zh: `greeter 发送了 ${shown}，被切成每块 ${CHUNK_BYTES} 字节，其中一块在汉字中间断开，单独解码这一块就抛出了 UnicodeDecodeError。先把字节拼起来（reply += chunk），循环结束后再一次性解码。`,
    });
  }
  const lines = stdoutLines(run, FILE);
  const head = printedPrefix(lines, reply);
  if (head) {
    const got = Buffer.byteLength(head, 'utf8');
    return t({
      en: `Your client printed only the first ${got} of the ${total} bytes the greeter sent (${JSON.stringify(head)} of ${shown}). One recv() returns what has arrived so far: call it in a loop until it returns b"" (the greeter closes when done).`,
      zh: `你的客户端只打印了 greeter 发送的 ${total} 个字节中的前 ${got} 个（${shown} 中的 ${JSON.stringify(head)}）。一次 recv() 只返回目前已到达的数据：请循环调用，直到它返回 b""（greeter 说完就关闭连接）。`,
    });
  }
  if (lines.some((line) => /b['"]/.test(line))) {
    return t({
      en: `The greeter sent ${shown}; you printed a bytes object (b'…'). Decode it first: print(reply.decode("utf-8")).`,
      zh: `greeter 发送了 ${shown}；你打印的是 bytes 对象（b'…'）。请先解码：print(reply.decode("utf-8"))。`,
    });
  }
  return t({
    en: `The greeter sent ${shown} this run (it changes every run), but no line of your output contains it.${endNote(run, t)}`,
    zh: `这次运行 greeter 发送了 ${shown}（每次运行都不同），但你的输出里没有任何一行包含它。${endNote(run, t)}`,
  });
}

export default defineLesson({
  processes: [
    {
      peer: 'tcp-greeter',
      name: 'greeter',
      port: 8081,
      options: { greeting: '{token} {zh}，{word}！\n', waitForRequest: true },
    },
    // The learner connects to the proxy, which cuts every write into 5-byte segments.
    {
      peer: 'tcp-proxy',
      name: 'proxy',
      port: PORT,
      options: { target: 8081, chunkBytes: CHUNK_BYTES, chunkGapMs: 5 },
    },
    { file: FILE },
  ],
  limits: { wallSeconds: 5 },
  checks: [
    {
      id: 'greeter-got-request',
      title: { en: 'The greeter received your request', zh: 'greeter 收到了你的请求' },
      run: checkRequest,
    },
    {
      id: 'printed-reply',
      title: { en: 'You printed the greeter’s whole reply', zh: '你打印出了 greeter 的完整回复' },
      run: checkReply,
    },
    {
      id: 'client-finished',
      title: { en: 'Your client finished without an error', zh: '你的客户端正常结束，没有报错' },
      run: (run, t) => processFinished(run, FILE, t),
    },
  ],
});
