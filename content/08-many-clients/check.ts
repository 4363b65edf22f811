import {
  defineLesson,
  explainEnd,
  fail,
  hasFlag,
  noCapture,
  pass,
  reportsOf,
  tcpConnections,
  withEnd,
  type CheckOutcome,
  type PeerReport,
  type RunRecord,
  type TcpConnection,
  type Translate,
} from '@handshake/lesson';

const SERVER = 'server.py';
const PORT = 8080;
/** The chunking proxy the well-behaved clients go through: every recv() gets a few bytes. */
const PROXY_PORT = 8081;
/** Each connection's request: new words for every connection, multibyte text split by the proxy. */
const LINES = ['{word} {number}', '{zh}，{word}', '{token}'];
/** The well-behaved clients, before and after the one that resets its connection. */
const CLIENTS = [
  { name: 'first', connections: 3 },
  { name: 'second', connections: 2 },
] as const;
/** How long after the client's FIN the server's may come: answering takes a few milliseconds. */
const CLOSE_WITHIN_MS = 500;
/** How long each client waits for its answer: far more than a correct server needs. */
const REPLY_TIMEOUT_MS = 1000;

const quote = (text: string): string => JSON.stringify(text);
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/** The connections to the learner's server that it accepted (the kernel answered SYN-ACK). */
function accepted(run: RunRecord): TcpConnection[] {
  return tcpConnections(run).filter((c) => c.server.port === PORT && c.synAck !== undefined);
}

/** True when a SYN to the server's port was refused: nothing listened there any more. */
function refusedAfterServing(run: RunRecord): boolean {
  return tcpConnections(run).some(
    (c) => c.server.port === PORT && !c.synAck && c.rsts.some((p) => p.sport === PORT),
  );
}

/** Why connection `number` of client `name` got no right answer, from its reports. */
function describeMiss(run: RunRecord, t: Translate, name: string, miss: PeerReport): string {
  const k = Number(miss.connection);
  const expected = String(miss.expected ?? '');
  const got = String(miss.got ?? '');
  if (got === expected)
    return t({
      en: `Your server sent connection ${k} of client "${name}" the whole answer but did not close the connection: the client reads until the server closes, so it never knew the answer was complete.`,
      zh: `你的服务器向客户端 "${name}" 的第 ${k} 个连接发完了整个回复，却没有关闭连接：客户端会一直读到服务器关闭为止，所以它始终不知道回复已经完整。`,
    });
  if (got !== '' && expected.startsWith(got))
    return t({
      en: `Your server answered connection ${k} of client "${name}" with only the first ${bytes(got)} of its ${bytes(expected)} bytes: it replied after one recv(). Read until recv() returns b'' (the client shuts down its side when its request is complete).`,
      zh: `你的服务器对客户端 "${name}" 的第 ${k} 个连接只回复了 ${bytes(expected)} 字节中的前 ${bytes(got)} 字节：它只调用一次 recv() 就回复了。要一直读到 recv() 返回 b''（客户端发完请求后会关闭它的发送方向）。`,
    });
  if (got !== '')
    return t({
      en: `On connection ${k}, client "${name}" sent ${quote(expected)} and your server answered ${quote(got)}: send back exactly what it sent.`,
      zh: `在第 ${k} 个连接上，客户端 "${name}" 发送了 ${quote(expected)}，你的服务器却回复了 ${quote(got)}：请原样发回它发送的内容。`,
    });
  const server = run.processes[SERVER];
  if (server && server.end !== 'stopped' && server.exitCode !== 0)
    return t({
      en: `Connection ${k} of client "${name}" got no answer: your server had ended.`,
      zh: `客户端 "${name}" 的第 ${k} 个连接没有得到回复：你的服务器已经结束了。`,
    });
  const closed = reportsOf(run, name, 'closed').find((r) => r.connection === k);
  if (closed?.state === 'open')
    return t({
      en: `Your server neither answered connection ${k} of client "${name}" nor closed it: the client waited in vain. Is close() skipped when handling fails?`,
      zh: `你的服务器对客户端 "${name}" 的第 ${k} 个连接既没有回复也没有关闭：客户端白白等待。处理出错时是不是跳过了 close()？`,
    });
  if (refusedAfterServing(run))
    return t({
      en: `Connection ${k} of client "${name}" got no answer: nothing listened on 127.0.0.1:${PORT} any more. Your server stopped accepting: call accept() in a loop.`,
      zh: `客户端 "${name}" 的第 ${k} 个连接没有得到回复：127.0.0.1:${PORT} 上已经没有程序监听了。你的服务器停止了接受连接：请在循环里调用 accept()。`,
    });
  if (closed?.state === 'reset')
    return t({
      en: `Your server reset connection ${k} of client "${name}" (RST) before answering it. A socket closed with unread data in it sends RST instead of FIN: your server stopped reading too early. Read until recv() returns b''.`,
      zh: `你的服务器在回复之前就重置了客户端 "${name}" 的第 ${k} 个连接（RST）。关闭一个还有未读数据的套接字，发出的是 RST 而不是 FIN：你的服务器读得太早停了。要一直读到 recv() 返回 b''。`,
    });
  return t({
    en: `Your server closed connection ${k} of client "${name}" without answering it.`,
    zh: `你的服务器没有回复客户端 "${name}" 的第 ${k} 个连接就把它关闭了。`,
  });
}

/** The first thing that went wrong for client `name`, or undefined when all its replies matched. */
function clientProblem(
  run: RunRecord,
  t: Translate,
  name: string,
  connections: number,
): string | undefined {
  if (reportsOf(run, name, 'reply-matched').length === connections) return undefined;
  const miss = reportsOf(run, name, 'reply-mismatch')[0];
  if (miss) return describeMiss(run, t, name, miss);
  if (reportsOf(run, name, 'connect-failed').length > 0)
    return t({
      en: `Client "${name}" could not connect to 127.0.0.1:${PROXY_PORT}.`,
      zh: `客户端 "${name}" 无法连接到 127.0.0.1:${PROXY_PORT}。`,
    });
  return t({
    en: `Client "${name}" did not get to run all its ${connections} connections before the run ended.`,
    zh: `运行结束之前，客户端 "${name}" 没能完成它的全部 ${connections} 个连接。`,
  });
}

function checkAnswered(run: RunRecord, t: Translate): CheckOutcome {
  for (const { name, connections } of CLIENTS) {
    const problem = clientProblem(run, t, name, connections);
    if (problem)
      return fail(withEnd(run, t, SERVER, problem), run.processes[`peer:${name}`]?.stdout);
  }
  const total = CLIENTS.reduce((sum, client) => sum + client.connections, 0);
  return pass(
    t({
      en: `All ${total} connections, one after another, got their own request back.`,
      zh: `全部 ${total} 个连接依次得到了各自请求的原样回复。`,
    }),
  );
}

/** The first packet of `connection` from `port` with `flag`. */
const firstFrom = (connection: TcpConnection, port: number, flag: 'FIN' | 'RST') =>
  connection.packets.find((p) => p.sport === port && hasFlag(p, flag));

/** What is wrong with how the server closed `connection` (number `k`), if anything. */
function closeProblem(t: Translate, connection: TcpConnection, k: number): string | undefined {
  const client = connection.client.port;
  // The client that reset its connection needs no FIN: the connection is already gone.
  if (firstFrom(connection, client, 'RST') && !firstFrom(connection, client, 'FIN'))
    return undefined;
  const serverFin = firstFrom(connection, PORT, 'FIN');
  if (!serverFin)
    return t({
      en: `Your server never closed connection ${k} (from port ${client}): no FIN came from port ${PORT}. Close every connection on every path: with conn: …, or close() in finally — the seed's except: continue skips it.`,
      zh: `你的服务器始终没有关闭第 ${k} 个连接（来自端口 ${client}）：端口 ${PORT} 没有发出 FIN。每条路径上都要关闭连接：用 with conn: …，或在 finally 里 close()——种子文章里的 except: continue 恰恰跳过了它。`,
    });
  const clientFin = firstFrom(connection, client, 'FIN');
  const late = clientFin ? serverFin.t - clientFin.t : 0;
  if (late > CLOSE_WITHIN_MS)
    return t({
      en: `Your server closed connection ${k} (from port ${client}) only ${seconds(late)} s after the client had finished its request — probably when the next accept() replaced it in your variable (Python closes a socket nothing refers to any more). Close each connection yourself as soon as it is answered, on every path.`,
      zh: `客户端发完请求 ${seconds(late)} 秒之后，你的服务器才关闭第 ${k} 个连接（来自端口 ${client}）——多半是下一次 accept() 把它从变量里替换掉的时候（没有任何引用的套接字会被 Python 关闭）。每个连接回复完就要自己立即关闭，每条路径都一样。`,
    });
  return undefined;
}

function checkClosed(run: RunRecord, t: Translate): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  const connections = accepted(run);
  if (connections.length === 0)
    return fail(
      withEnd(
        run,
        t,
        SERVER,
        t({
          en: `No client got a connection to your server on 127.0.0.1:${PORT}.`,
          zh: `没有任何客户端连上你在 127.0.0.1:${PORT} 上的服务器。`,
        }),
      ),
    );
  for (const [index, connection] of connections.entries()) {
    const problem = closeProblem(t, connection, index + 1);
    if (problem) return fail(problem);
  }
  return pass(
    t({
      en: `Your server closed ${connections.length === 1 ? 'its one connection' : `each of its ${connections.length} connections`} (a FIN from port ${PORT}), or the client had reset it.`,
      zh: `你的服务器关闭了全部 ${connections.length} 个连接（端口 ${PORT} 发出了 FIN），或者连接已被客户端重置。`,
    }),
  );
}

/** When the client that resets its connection did so: its RST to the server's port. */
function resetAt(run: RunRecord): number | undefined {
  const rude = accepted(run).find(
    (c) => firstFrom(c, c.client.port, 'RST') && !firstFrom(c, c.client.port, 'FIN'),
  );
  return rude ? firstFrom(rude, rude.client.port, 'RST')!.t : undefined;
}

/** True when the server sent something (data or its FIN) on a connection that began after `t`. */
function servedAfter(run: RunRecord, t: number): boolean {
  return accepted(run).some(
    (c) =>
      c.syn !== undefined && c.syn.t > t && (c.bytesToClient > 0 || !!firstFrom(c, PORT, 'FIN')),
  );
}

function checkSurvived(run: RunRecord, t: Translate): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  if (reportsOf(run, 'rude', 'aborted').length === 0)
    return fail(
      withEnd(
        run,
        t,
        SERVER,
        t({
          en: 'The client that resets its connection never got to your server.',
          zh: '那个会重置连接的客户端根本没能连上你的服务器。',
        }),
      ),
    );
  const server = run.processes[SERVER];
  if (server && server.end !== 'stopped' && server.exitCode !== 0)
    return fail(explainEnd(run, SERVER, t), server.stderr || undefined);
  const reset = resetAt(run);
  if (reset !== undefined && !servedAfter(run, reset))
    return fail(
      t({
        en: 'After the client that reset its connection, your server sent nothing on any later connection: it no longer serves. Catch the ConnectionError of one connection, close that connection, and go back to accept().',
        zh: '在那个重置连接的客户端之后，你的服务器在后来的任何连接上都没有发出数据：它已经不再服务了。捕获单个连接的 ConnectionError，关闭这个连接，然后回到 accept()。',
      }),
    );
  return pass(
    t({
      en: 'A client reset its connection mid-request; your server carried on with the next ones.',
      zh: '一个客户端在请求中途重置了连接；你的服务器照常接着服务后面的客户端。',
    }),
  );
}

export default defineLesson({
  processes: [
    { file: SERVER },
    {
      peer: 'tcp-proxy',
      name: 'proxy',
      port: PROXY_PORT,
      options: { target: PORT, chunkBytes: 5, chunkGapMs: 2 },
    },
    {
      peer: 'tcp-client',
      name: 'first',
      port: PROXY_PORT,
      options: {
        lines: LINES,
        connections: CLIENTS[0].connections,
        halfClose: true,
        replyTimeoutMs: REPLY_TIMEOUT_MS,
      },
    },
    {
      peer: 'tcp-client',
      name: 'rude',
      port: PORT,
      options: { lines: ['{word} {word} and then'], abort: true },
    },
    {
      peer: 'tcp-client',
      name: 'second',
      port: PROXY_PORT,
      options: {
        lines: LINES,
        connections: CLIENTS[1].connections,
        halfClose: true,
        replyTimeoutMs: REPLY_TIMEOUT_MS,
      },
    },
  ],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'every-client-answered',
      title: { en: 'Every client got its own answer', zh: '每个客户端都得到了自己的回复' },
      run: checkAnswered,
    },
    {
      id: 'closed-each-connection',
      title: { en: 'Each connection was closed by the server', zh: '每个连接都由服务器关闭' },
      run: checkClosed,
    },
    {
      id: 'survived-reset',
      title: {
        en: 'Kept serving after a client reset its connection',
        zh: '客户端重置连接之后，服务器继续提供服务',
      },
      run: checkSurvived,
    },
  ],
});
