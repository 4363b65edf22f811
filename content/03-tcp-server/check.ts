import {
  defineLesson,
  explainEnd,
  fail,
  lastException,
  pass,
  printedLine,
  reportsOf,
  sentText,
  stdoutLines,
  type CheckOutcome,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

const FILE = 'server.py';
const PORT = 8080;
/** The proxy cuts every write into pieces this small, both ways. */
const CHUNK_BYTES = 5;
const LINES = ['{word} {token}', '{zh}，{word}！', '{number} {zh}'];

/** True when the learner's server ended well: exit 0, or still serving when the run stopped it. */
function serverEndedWell(run: RunRecord): boolean {
  const proc = run.processes[FILE];
  return !!proc && (proc.exitCode === 0 || (proc.end === 'stopped' && !proc.stderr.trim()));
}

/** " (how the server ended)" when it did not end well, for the end of a failure message. */
function endNote(run: RunRecord, t: Translate): string {
  return serverEndedWell(run) ? '' : ` ${explainEnd(run, FILE, t)}`;
}

function checkEchoes(run: RunRecord, t: Translate): CheckOutcome {
  if (reportsOf(run, 'client', 'connected').length === 0) {
    return fail(
      t({
        en: `The test client could not reach your server on 127.0.0.1:${PORT}.${endNote(run, t)}`,
        zh: `测试客户端连不上你在 127.0.0.1:${PORT} 上的服务器。${endNote(run, t)}`,
      }),
    );
  }
  const echoes = reportsOf(run, 'client', 'echo');
  const wrong = echoes.find((echo) => echo.ok !== true);
  if (echoes.length === LINES.length && !wrong) {
    return pass(
      t({
        en: `All ${LINES.length} lines came back unchanged, though the proxy delivered them in pieces of ${CHUNK_BYTES} bytes.`,
        zh: `${LINES.length} 行全部原样送回，尽管代理把它们切成了 ${CHUNK_BYTES} 字节一块。`,
      }),
    );
  }
  return fail(
    diagnoseEcho(run, String(wrong?.data ?? ''), String(wrong?.got ?? ''), t),
    run.processes['peer:client']?.stdout,
  );
}

/** Names the mistake behind a wrong echo, from what the client sent and got back. */
function diagnoseEcho(run: RunRecord, sent: string, got: string, t: Translate): string {
  const exception = lastException(run, FILE) ?? '';
  if (/not connected/i.test(exception)) {
    return t({
      en: `Your server called recv() on the listening socket (${exception}). bind() and listen() only wait for connections; conn, addr = server.accept() gives you the socket connected to the client: read and write that one.`,
      zh: `你的服务器在监听套接字上调用了 recv()（${exception}）。bind() 和 listen() 只是等待连接；conn, addr = server.accept() 才给你与客户端相连的套接字：在它上面收发。`,
    });
  }
  const s = JSON.stringify(sent);
  const g = JSON.stringify(got);
  if (got.length > 0 && sent.startsWith(got)) {
    const n = Buffer.byteLength(got, 'utf8');
    const m = Buffer.byteLength(sent, 'utf8');
    return t({
      en: `The client sent ${s} and got back only the first ${n} of ${m} bytes (${g}). One recv() returns what has arrived so far: keep calling recv() and sendall() in a loop until recv() returns b"".${endNote(run, t)}`,
      zh: `客户端发送了 ${s}，只收回了 ${m} 个字节中的前 ${n} 个（${g}）。一次 recv() 只返回目前已到达的数据：请循环调用 recv() 和 sendall()，直到 recv() 返回 b""。${endNote(run, t)}`,
    });
  }
  if (got.length > 0) {
    return t({
      en: `The client sent ${s} and got back ${g}: bytes it never sent. Echo exactly what recv() returned.${endNote(run, t)}`,
      zh: `客户端发送了 ${s}，收回的却是 ${g}：它从没发过这些字节。请原样送回 recv() 收到的内容。${endNote(run, t)}`,
    });
  }
  return t({
    en: `The client sent ${s} and nothing came back within 2 seconds.${endNote(run, t)}`,
    zh: `客户端发送了 ${s}，2 秒内什么也没收回。${endNote(run, t)}`,
  });
}

function checkPrinted(run: RunRecord, t: Translate): CheckOutcome {
  const lines = sentText(run, 'client')
    .split('\n')
    .filter((line) => line.length > 0);
  if (lines.length === 0) {
    return fail(
      t({
        en: 'The client sent nothing, so there was nothing to print yet (see the first check).',
        zh: '客户端什么也没发送，所以还没有可打印的内容（见第一项检查）。',
      }),
    );
  }
  const missing = lines.filter((line) => !printedLine(run, FILE, line));
  if (missing.length === 0) {
    return pass(
      t({
        en: `Your server printed all ${lines.length} lines the client sent.`,
        zh: `你的服务器打印出了客户端发送的全部 ${lines.length} 行。`,
      }),
    );
  }
  return fail(
    diagnosePrinted(run, lines, missing, t),
    stdoutLines(run, FILE).join('\n') || undefined,
  );
}

/** A printed line that is only a piece (at least 3 characters) of one of `lines`. */
function printedPiece(
  run: RunRecord,
  lines: string[],
): { piece: string; line: string } | undefined {
  for (const printed of stdoutLines(run, FILE)) {
    const line = lines.find((l) => printed.length >= 3 && printed !== l && l.includes(printed));
    if (line) return { piece: printed, line };
  }
  return undefined;
}

/** Names the mistake behind lines missing from the server's output. */
function diagnosePrinted(run: RunRecord, lines: string[], missing: string[], t: Translate): string {
  const first = JSON.stringify(missing[0]);
  if ((run.processes[FILE]?.stderr ?? '').includes('UnicodeDecodeError')) {
    return t({
      en: `Decoding a chunk on its own raised UnicodeDecodeError: the proxy cut the bytes inside a Chinese character. Collect the bytes (received += data) and decode once, after the loop. Missing: ${first}.`,
      zh: `单独解码某一块时抛出了 UnicodeDecodeError：代理在一个汉字中间切断了字节。请先收集字节（received += data），循环结束后再一次性解码。缺少的一行：${first}。`,
    });
  }
  const piece = printedPiece(run, lines);
  if (piece) {
    const p = JSON.stringify(piece.piece);
    const l = JSON.stringify(piece.line);
    return t({
      en: `Your server printed pieces: ${p} is only part of the line ${l}. Each recv() returns whatever has arrived (here at most 5 bytes); collect the bytes and print them after the client hangs up.`,
      zh: `你的服务器打印的是碎片：${p} 只是 ${l} 这一行的一部分。每次 recv() 只返回目前已到达的数据（这里最多 5 个字节）；请把字节收集起来，等客户端挂断后再打印。`,
    });
  }
  const none = missing.length === lines.length;
  const noun = lines.length > 1 ? 'lines' : 'line';
  return t({
    en: `${none ? (lines.length > 1 ? `None of the ${lines.length} lines the client sent this run is in your server's output` : `The line the client sent this run, ${first}, is not in your server's output`) : `${missing.length} of the ${lines.length} ${noun} the client sent this run are missing from your server's output, e.g. ${first}`}. After the client hangs up, print everything it sent, decoded once.${endNote(run, t)}`,
    zh: `这次运行客户端发送了 ${lines.length} 行，${none ? '一行也没有出现在你的服务器输出里' : `其中 ${missing.length} 行不在你的服务器输出里，例如 ${first}`}。客户端挂断后，把它发来的全部内容一次性解码后打印出来。${endNote(run, t)}`,
  });
}

const CLOSE_MESSAGES = {
  reset: {
    en: 'Your server’s side reset the connection (RST) instead of closing it with a FIN. The kernel does that when a socket is closed while bytes it received are still unread, or when a listening socket closes with connections it never accepted. Read until recv() returns b"", then close.',
    zh: '你的服务器这一端重置了连接（RST），而不是用 FIN 正常关闭。关闭一个还有已收到但未读取的字节的套接字，或者关闭一个还有未被 accept 的连接的监听套接字时，内核都会这样做。请一直读到 recv() 返回 b""，再关闭。',
  },
  open: {
    en: 'After the client closed its side, your server kept the connection open. When recv() returns b"", close the connection.',
    zh: '客户端关闭它那一端之后，你的服务器仍然保持连接。当 recv() 返回 b"" 时，请关闭连接。',
  },
  closed: {
    en: 'Your server sent bytes the client never sent, so the exchange was not a clean echo.',
    zh: '你的服务器发送了客户端从未发送过的字节，所以这不是一次干净的回显。',
  },
  unknown: {
    en: 'The exchange did not get as far as closing.',
    zh: '通信没有进行到关闭连接这一步。',
  },
} as const;

function checkClosed(run: RunRecord, t: Translate): CheckOutcome {
  const closed = reportsOf(run, 'client', 'closed').at(-1);
  if (closed?.clean === true) {
    return pass(
      t({
        en: 'The client closed its side and your server closed too.',
        zh: '客户端关闭了它那一端，你的服务器也随之关闭。',
      }),
    );
  }
  const state = closed?.state;
  const how = state === 'reset' || state === 'open' || state === 'closed' ? state : 'unknown';
  return fail(t(CLOSE_MESSAGES[how]), run.processes['peer:client']?.stdout);
}

function checkFinished(run: RunRecord, t: Translate): CheckOutcome {
  if (serverEndedWell(run)) {
    return pass(t({ en: 'No traceback.', zh: '没有异常回溯。' }));
  }
  return fail(explainEnd(run, FILE, t), run.processes[FILE]?.stderr || undefined);
}

export default defineLesson({
  processes: [
    { file: FILE },
    // Between the test client and your server: every write is cut into 5-byte segments.
    {
      peer: 'tcp-proxy',
      name: 'proxy',
      port: 9000,
      options: { target: PORT, chunkBytes: CHUNK_BYTES, chunkGapMs: 5 },
    },
    { peer: 'tcp-client', name: 'client', port: 9000, options: { lines: LINES } },
  ],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'every-line-echoed',
      title: { en: 'Every line came back unchanged', zh: '每一行都被原样送回' },
      run: checkEchoes,
    },
    {
      id: 'printed-everything',
      title: {
        en: 'Your server printed everything the client sent',
        zh: '你的服务器打印出了客户端发送的全部内容',
      },
      run: checkPrinted,
    },
    {
      id: 'closed-cleanly',
      title: { en: 'The connection closed cleanly', zh: '连接被正常关闭' },
      run: checkClosed,
    },
    {
      id: 'server-did-not-crash',
      title: { en: 'Your server did not crash', zh: '你的服务器没有崩溃' },
      run: checkFinished,
    },
  ],
});
