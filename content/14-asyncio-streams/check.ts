import {
  crowdOf,
  defineLesson,
  explainEnd,
  fail,
  hasFlag,
  lastException,
  noCapture,
  pass,
  printedLine,
  reportsOf,
  sentText,
  stdoutLines,
  tcpConnections,
  withEnd,
  type CheckOutcome,
  type PeerReport,
  type RecordedPacket,
  type RunRecord,
  type TcpConnection,
  type Translate,
} from '@handshake/lesson';

// Part 1: server.py, an echo server, and the crowd of clients it must serve at once.
const SERVER = 'server.py';
const SERVER_PORT = 8080;
const CROWD = 'crowd';
/** Normal clients of the crowd, all at once, after the stalled ones. */
const CONNECTIONS = 100;
/** Clients that send 3 bytes of a line and then nothing, opened first and kept open. */
const STALLED = 1;
/** Each client's lines: new words every run, multibyte text too. */
const LINES = ['{word} {token}', '{zh}，{number}'];
/** How long a crowd client waits for each echo: 20 times what a concurrent server needs. */
const REPLY_TIMEOUT_MS = 3000;
/** Replies further apart than this, one after another, mean the server served one at a time. */
const SERIAL_GAP_MS = 50;

// Part 2: client.py asks two servers at once, each with a half-second timeout.
const CLIENT = 'client.py';
/** The answering server, behind a proxy that passes its answer on 3 bytes at a time. */
const FAST_PORT = 9001;
const FAST_REAL_PORT = 9011;
/** The server that reads the request and then says nothing for STALL_MS. */
const STALLED_PORT = 9002;
const STALL_MS = 4000;
/** The timeout the lesson asks for, and how far off the capture may see the client give up. */
const TIMEOUT_MS = 500;
const TIMEOUT_EARLIEST_MS = 400;
const TIMEOUT_LATEST_MS = 1100;

const quote = (text: string): string => JSON.stringify(text);
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/**
 * Normal connections whose every line was echoed while a stalled connection was still open,
 * from the crowd's reports in order (the crowd's own `servedWhileStalled` also asks for a clean
 * close, which closed-cleanly judges on its own).
 */
function answeredWhileStalled(run: RunRecord): number {
  const stalling = new Set<number>();
  const matched = new Map<number, number>();
  let answered = 0;
  const { stalled } = crowdOf(run);
  for (const report of reportsOf(run, CROWD)) {
    const connection = Number(report.connection);
    if (stalled.has(connection)) {
      if (report.event === 'sent') stalling.add(connection);
      if (report.event === 'closed') stalling.delete(connection);
      continue;
    }
    if (report.event !== 'reply-matched') continue;
    const count = (matched.get(connection) ?? 0) + 1;
    matched.set(connection, count);
    if (count === LINES.length && stalling.size > 0) answered += 1;
  }
  return answered;
}

/** The typical gap between consecutive echoes the crowd received, in ms (the median). */
function medianReplyGap(run: RunRecord): number {
  const times = crowdOf(run)
    .normal('reply-matched')
    .map((r) => Number(r.t))
    .sort((a, b) => a - b);
  const gaps = times.slice(1).map((time, i) => time - times[i]!);
  if (gaps.length === 0) return 0;
  return gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
}

/** The exception that ended a handler of the server, named for a message (or nothing). */
function serverException(run: RunRecord, t: Translate): string {
  const error = lastException(run, SERVER);
  return error
    ? t({
        en: ` An exception ended each handler's task: ${error}.`,
        zh: `每个处理函数的任务都因异常结束了：${error}。`,
      })
    : '';
}

/** The first normal connection the server closed before echoing all its lines. */
function closedEarly(run: RunRecord): PeerReport | undefined {
  return crowdOf(run)
    .normal('closed')
    .find((r) => r.by === 'server' && r.clean !== true);
}

/** Why the crowd's clients were not all served while a stalled connection was open. */
function stallProblem(run: RunRecord, t: Translate, served: number): string {
  const gap = medianReplyGap(run);
  if (crowdOf(run).normal('reply-matched').length >= 2 && gap >= SERIAL_GAP_MS)
    return t({
      en: `Your server answered the clients one line at a time, about ${gap} ms apart, so only ${served} of ${CONNECTIONS} got both echoes within ${seconds(REPLY_TIMEOUT_MS)} s each. Something in your handler blocks the event loop for that long on each line — time.sleep() or a blocking socket call: while it runs, no other coroutine can. Wait with await asyncio.sleep(), which lets the others run.`,
      zh: `你的服务器一次只回复一行，每次相隔约 ${gap} 毫秒，所以 ${CONNECTIONS} 个客户端里只有 ${served} 个在每行 ${seconds(REPLY_TIMEOUT_MS)} 秒的期限内收到了两次回显。你的处理函数在每一行上都把事件循环阻塞了这么久——time.sleep() 或者阻塞的套接字调用：它运行的时候，别的协程一个也动不了。请用 await asyncio.sleep() 等待，它会让别的协程继续运行。`,
    });
  const early = closedEarly(run);
  if (served === 0 && early)
    return (
      t({
        en: `Your server closed the connections without echoing their lines (client ${String(early.connection)} first).`,
        zh: `你的服务器没有回显就关闭了连接（第一个是客户端 ${String(early.connection)}）。`,
      }) + serverException(run, t)
    );
  if (served === 0)
    return t({
      en: `Your server answered none of the ${CONNECTIONS} clients while the first connection — which sent 3 bytes without a newline and then nothing — was still open. It was stuck waiting for the rest of that line, and nobody else got a turn: a blocking read (socket.recv, a file's readline) stops the whole event loop. Read with await reader.readline(), one coroutine per client.`,
      zh: `第一个连接只发了 3 个字节、没有换行符，之后就什么也不发了；在它还开着的时候，你的服务器对 ${CONNECTIONS} 个客户端一个也没有回复。它卡在等那一行的剩余部分上，别人都轮不到：阻塞的读取（socket.recv、文件的 readline）会让整个事件循环停下来。请用 await reader.readline() 读取，每个客户端一个协程。`,
    });
  return t({
    en: `Only ${served} of ${CONNECTIONS} clients were fully answered while the stalled connection was open.`,
    zh: `在那个停住的连接还开着的时候，${CONNECTIONS} 个客户端里只有 ${served} 个得到了完整的回复。`,
  });
}

function checkServedWhileStalled(run: RunRecord, t: Translate): CheckOutcome {
  const done = crowdOf(run).done;
  if (!done)
    return fail(
      withEnd(
        run,
        t,
        SERVER,
        t({
          en: `The crowd of clients did not finish before the run ended.`,
          zh: `运行结束之前，那一群客户端没有跑完。`,
        }),
      ),
    );
  const served = answeredWhileStalled(run);
  if (served >= CONNECTIONS)
    return pass(
      t({
        en: `All ${CONNECTIONS} clients were answered while ${STALLED} connection sat with 3 bytes and no newline; at most ${String(done.maxInFlight)} clients were waiting for an echo at the same moment.`,
        zh: `在 ${STALLED} 个连接只发了 3 个字节、没有换行符的同时，全部 ${CONNECTIONS} 个客户端都得到了回复；同一时刻最多有 ${String(done.maxInFlight)} 个客户端在等回显。`,
      }),
    );
  return fail(withEnd(run, t, SERVER, stallProblem(run, t, served)));
}

/** Why connection `k` of the crowd got a wrong echo, or none. */
function echoProblem(run: RunRecord, t: Translate): string | undefined {
  const miss = crowdOf(run).normal('reply-mismatch')[0];
  if (miss) {
    const expected = String(miss.expected ?? '');
    const got = String(miss.got ?? '');
    return t({
      en: `Client ${String(miss.connection)} sent ${quote(expected)} (new words every run) and got back ${quote(got)}: send back exactly the line you read, bytes unchanged.`,
      zh: `客户端 ${String(miss.connection)} 发送了 ${quote(expected)}（每次运行的词都不一样），收到的却是 ${quote(got)}：请把读到的那一行原样发回，字节不变。`,
    });
  }
  const early = closedEarly(run);
  if (early && !echoedConnections(run).has(Number(early.connection)))
    return (
      t({
        en: `Your server closed the connection of client ${String(early.connection)} before echoing its lines.`,
        zh: `你的服务器还没回显客户端 ${String(early.connection)} 的那几行，就关闭了它的连接。`,
      }) + serverException(run, t)
    );
  const timeouts = crowdOf(run).normal('timeout');
  const timeout = timeouts[0];
  if (timeout)
    return t({
      en: `Client ${String(timeout.connection)} waited ${seconds(REPLY_TIMEOUT_MS)} s for the echo of its line and none came${timeouts.length > 1 ? ` (and ${timeouts.length - 1} more clients too)` : ''}.`,
      zh: `客户端 ${String(timeout.connection)} 为自己那一行的回显等了 ${seconds(REPLY_TIMEOUT_MS)} 秒，什么也没等到${timeouts.length > 1 ? `（另外还有 ${timeouts.length - 1} 个客户端也一样）` : ''}。`,
    });
  return undefined;
}

function checkEchoed(run: RunRecord, t: Translate): CheckOutcome {
  const done = crowdOf(run).done;
  const problem = echoProblem(run, t);
  const details = run.processes[`peer:${CROWD}`]?.stdout || undefined;
  if (problem) return fail(withEnd(run, t, SERVER, problem), details);
  if (!done || echoedConnections(run).size < CONNECTIONS)
    return fail(
      withEnd(
        run,
        t,
        SERVER,
        t({
          en: `Not every client got its lines back before the run ended.`,
          zh: `运行结束之前，并不是每个客户端都收回了自己的每一行。`,
        }),
      ),
      details,
    );
  const example = String(crowdOf(run).normal('sent')[0]?.data ?? '').trim();
  return pass(
    t({
      en: `Every line of all ${CONNECTIONS} clients came back unchanged (this run's first was ${quote(example)}).`,
      zh: `全部 ${CONNECTIONS} 个客户端的每一行都原样回来了（这次运行的第一行是 ${quote(example)}）。`,
    }),
  );
}

/** Normal connections whose every line came back: their close is what this check judges. */
function echoedConnections(run: RunRecord): Set<number> {
  const matched = new Map<number, number>();
  for (const report of crowdOf(run).normal('reply-matched')) {
    const connection = Number(report.connection);
    matched.set(connection, (matched.get(connection) ?? 0) + 1);
  }
  return new Set([...matched].filter(([, n]) => n === LINES.length).map(([c]) => c));
}

/** What went wrong with the close of the crowd's connection `bad`, in words. */
function closeProblem(t: Translate, bad: PeerReport): string {
  const k = String(bad.connection);
  if (bad.state === 'reset')
    return t({
      en: `Your server reset the connection of client ${k} (RST) instead of closing it. Close with writer.close() and await writer.wait_closed() once readline() returns b''.`,
      zh: `你的服务器重置了客户端 ${k} 的连接（RST），而不是正常关闭。等 readline() 返回 b'' 之后，用 writer.close() 再 await writer.wait_closed() 关闭。`,
    });
  if (bad.state === 'closed')
    return t({
      en: `Your server sent client ${k} bytes it never sent after its last echo, before closing.`,
      zh: `在最后一次回显之后、关闭之前，你的服务器又给客户端 ${k} 发了它根本没发过的字节。`,
    });
  return t({
    en: `Client ${k} shut down its side (FIN) after its last line, and your server never closed the connection: the client waited ${seconds(REPLY_TIMEOUT_MS)} s in vain. When readline() returns b'' the client is done: call writer.close() and await writer.wait_closed().`,
    zh: `客户端 ${k} 发完最后一行后关闭了发送方向（FIN），你的服务器却始终没有关闭这个连接：客户端白等了 ${seconds(REPLY_TIMEOUT_MS)} 秒。readline() 返回 b'' 说明客户端说完了：调用 writer.close()，再 await writer.wait_closed()。`,
  });
}

function checkClosed(run: RunRecord, t: Translate): CheckOutcome {
  if (!crowdOf(run).done)
    return fail(
      withEnd(
        run,
        t,
        SERVER,
        t({
          en: `The crowd of clients did not finish before the run ended, so it could not see your server close their connections.`,
          zh: `运行结束之前，那一群客户端没有跑完，所以看不到你的服务器关闭它们的连接。`,
        }),
      ),
    );
  const echoed = echoedConnections(run);
  const closed = crowdOf(run)
    .normal('closed')
    .filter((r) => echoed.has(Number(r.connection)));
  const bad = closed.find((r) => r.clean !== true);
  if (bad) return fail(withEnd(run, t, SERVER, closeProblem(t, bad)));
  if (closed.length === 0)
    return fail(
      t({
        en: `No client got all its lines back, so no close could be judged: see every-line-echoed.`,
        zh: `没有一个客户端收回了全部的行，所以无法判断关闭：请看 every-line-echoed。`,
      }),
    );
  if (closed.length < CONNECTIONS)
    return fail(
      t({
        en: `Only ${closed.length} of ${CONNECTIONS} clients got all their lines back, so only their closes could be judged (they were clean): see every-line-echoed for the others.`,
        zh: `${CONNECTIONS} 个客户端里只有 ${closed.length} 个收回了全部的行，所以只能判断它们的关闭（都正常）：其余的请看 every-line-echoed。`,
      }),
    );
  return pass(
    t({
      en: `Each of the ${CONNECTIONS} clients shut down its side and your server closed the connection in turn (FIN), none reset.`,
      zh: `${CONNECTIONS} 个客户端各自关闭了发送方向，你的服务器随后都关闭了连接（FIN），没有一个被重置。`,
    }),
  );
}

/** The connections client.py opened to `port`, in order. */
function clientConnections(run: RunRecord, port: number): TcpConnection[] {
  return tcpConnections(run).filter((c) => c.server.port === port && c.syn !== undefined);
}

/** The answer the fast server sent this run, as the client must print it. */
const fastAnswer = (run: RunRecord): string => sentText(run, 'fast').trim();

/** The seed article's asyncio.open(), or another crash, named for the learner. */
function clientCrash(run: RunRecord, t: Translate): string | undefined {
  const error = lastException(run, CLIENT) ?? '';
  if (error.includes("has no attribute 'open'"))
    return t({
      en: `Your client stopped with ${error}: asyncio has no open() — the seed article made it up. A connection is opened with reader, writer = await asyncio.open_connection(host, port).`,
      zh: `你的客户端以 ${error} 结束：asyncio 里没有 open()——那是种子文章编出来的。打开连接要用 reader, writer = await asyncio.open_connection(host, port)。`,
    });
  const record = run.processes[CLIENT];
  if (record && record.end !== 'stopped' && record.exitCode !== 0)
    return explainEnd(run, CLIENT, t);
  return undefined;
}

/** Why the fast server's answer is not on a line of the client's output. */
function answerProblem(run: RunRecord, t: Translate, answer: string): string {
  const crash = clientCrash(run, t);
  if (crash) return crash;
  const part = stdoutLines(run, CLIENT)
    .flatMap((line) => line.split(/\s+/))
    .find((word) => word.length > 0 && answer.startsWith(word) && word !== answer);
  if (part && bytes(part) < bytes(answer))
    return t({
      en: `Your client printed ${quote(part)}, the first ${bytes(part)} of the ${bytes(answer)} bytes of ${quote(answer)}: it printed what one read() returned, and the proxy passes the answer on 3 bytes at a time. Read up to the newline: await reader.readline().`,
      zh: `你的客户端打印了 ${quote(part)}，只是 ${quote(answer)} 的 ${bytes(answer)} 个字节中的前 ${bytes(part)} 个：它打印的是一次 read() 返回的内容，而代理每次只转发 3 个字节。请一直读到换行符：await reader.readline()。`,
    });
  const lines = stdoutLines(run, CLIENT);
  if (lines.some((line) => line.includes(String(FAST_PORT)) && /timeout/i.test(line)))
    return t({
      en: `Your client printed that port ${FAST_PORT} timed out, but it answered ${quote(answer)} at once. A timeout around the whole gather cancels every request when one is slow, answers included: give each request its own timeout, inside the gather.`,
      zh: `你的客户端打印说端口 ${FAST_PORT} 超时了，可它立刻就回答了 ${quote(answer)}。套在整个 gather 外面的超时，会在其中一个慢的时候把所有请求连同已到的回答一起取消：请给每个请求各自一个超时，放在 gather 里面。`,
    });
  return t({
    en: `The server on port ${FAST_PORT} answered ${quote(answer)} this run (the answer changes every run), and no line of your output contains it.`,
    zh: `这次运行中端口 ${FAST_PORT} 上的服务器回答的是 ${quote(answer)}（每次运行都不一样），而你的输出里没有哪一行包含它。`,
  });
}

function checkPrinted(run: RunRecord, t: Translate): CheckOutcome {
  const stdout = run.processes[CLIENT]?.stdout || undefined;
  const answer = fastAnswer(run);
  if (answer === '')
    return fail(
      clientCrash(run, t) ??
        t({
          en: `The server on port ${FAST_PORT} answered nothing: your client never sent it a request line.`,
          zh: `端口 ${FAST_PORT} 上的服务器什么也没回答：你的客户端从没给它发过请求行。`,
        }),
      stdout,
    );
  if (!printedLine(run, CLIENT, answer)) return fail(answerProblem(run, t, answer), stdout);
  const timedOut = stdoutLines(run, CLIENT).some(
    (line) => line.includes(String(STALLED_PORT)) && /timeout/i.test(line),
  );
  if (!timedOut)
    return fail(
      t({
        en: `Your client printed ${quote(answer)}, the answer of port ${FAST_PORT}, but no line says that port ${STALLED_PORT} timed out: print its port and the word timeout on a line.`,
        zh: `你的客户端打印了端口 ${FAST_PORT} 的回答 ${quote(answer)}，但没有哪一行说端口 ${STALLED_PORT} 超时了：请把它的端口号和 timeout 这个词打印在同一行。`,
      }),
      stdout,
    );
  return pass(
    t({
      en: `Your client printed this run's answer of port ${FAST_PORT}, ${quote(answer)}, and that port ${STALLED_PORT} timed out.`,
      zh: `你的客户端打印了这次运行端口 ${FAST_PORT} 的回答 ${quote(answer)}，也打印了端口 ${STALLED_PORT} 超时。`,
    }),
  );
}

/** The first packet on `connection` with FIN or RST sent by its client: when it gave up. */
function clientClose(connection: TcpConnection): RecordedPacket | undefined {
  return connection.packets.find(
    (p) => p.sport === connection.client.port && (hasFlag(p, 'FIN') || hasFlag(p, 'RST')),
  );
}

function checkTimedOut(run: RunRecord, t: Translate): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  const connection = clientConnections(run, STALLED_PORT)[0];
  if (!connection)
    return fail(
      clientCrash(run, t) ??
        t({
          en: `Your client never connected to port ${STALLED_PORT}, the server that stalls.`,
          zh: `你的客户端从没连接过端口 ${STALLED_PORT}，也就是那个会卡住的服务器。`,
        }),
    );
  const close = clientClose(connection);
  const waited = close ? close.t - connection.syn!.t : undefined;
  if (reportsOf(run, 'hung', 'sent').length > 0 || waited === undefined || waited > STALL_MS)
    return fail(
      withEnd(
        run,
        t,
        CLIENT,
        t({
          en: `Your client waited for port ${STALLED_PORT} as long as it stalled (${seconds(STALL_MS)} s) or longer, instead of giving up after ${seconds(TIMEOUT_MS)} s. Wrap each request in async with asyncio.timeout(${TIMEOUT_MS / 1000}): (or asyncio.wait_for) and catch TimeoutError.`,
          zh: `你的客户端一直等端口 ${STALLED_PORT}，等满了它卡住的 ${seconds(STALL_MS)} 秒甚至更久，而不是在 ${seconds(TIMEOUT_MS)} 秒后放弃。请把每个请求包进 async with asyncio.timeout(${TIMEOUT_MS / 1000}):（或者用 asyncio.wait_for），并捕获 TimeoutError。`,
        }),
      ),
    );
  if (waited > TIMEOUT_LATEST_MS || waited < TIMEOUT_EARLIEST_MS)
    return fail(
      t({
        en: `Your client gave up on port ${STALLED_PORT} ${seconds(waited)} s after connecting; the timeout asked for is ${seconds(TIMEOUT_MS)} s per request.`,
        zh: `你的客户端在连接端口 ${STALLED_PORT} ${seconds(waited)} 秒后放弃了；要求的超时是每个请求 ${seconds(TIMEOUT_MS)} 秒。`,
      }),
    );
  return pass(
    t({
      en: `Your client gave up on port ${STALLED_PORT} ${seconds(waited)} s after connecting (the capture shows its ${hasFlag(close!, 'RST') ? 'RST' : 'FIN'}), as its ${seconds(TIMEOUT_MS)} s timeout asked.`,
      zh: `你的客户端在连接端口 ${STALLED_PORT} ${seconds(waited)} 秒后放弃了（抓包里能看到它发出的 ${hasFlag(close!, 'RST') ? 'RST' : 'FIN'}），符合 ${seconds(TIMEOUT_MS)} 秒的超时。`,
    }),
  );
}

/** When a request on `connection` was over: its first answer byte, or the first FIN/RST. */
function finishedAt(connection: TcpConnection): number {
  const end = connection.packets.find(
    (p) =>
      (p.sport === connection.server.port && p.len > 0) || hasFlag(p, 'FIN') || hasFlag(p, 'RST'),
  );
  return end?.t ?? Infinity;
}

function checkOverlapped(run: RunRecord, t: Translate): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  const pair = [FAST_PORT, STALLED_PORT].map((port) => clientConnections(run, port)[0]);
  if (pair.some((c) => c === undefined))
    return fail(
      clientCrash(run, t) ??
        t({
          en: `Your client did not connect to both ports ${FAST_PORT} and ${STALLED_PORT}.`,
          zh: `你的客户端没有同时连接端口 ${FAST_PORT} 和 ${STALLED_PORT}。`,
        }),
    );
  const [first, second] = (pair as TcpConnection[]).sort((a, b) => a.syn!.t - b.syn!.t);
  const over = finishedAt(first!);
  const start = second!.syn!.t;
  const [a, b] = [first!.server.port, second!.server.port];
  if (start < over)
    return pass(
      t({
        en: `Your client connected to port ${b} ${Math.max(0, Math.round(start - first!.syn!.t))} ms after port ${a}, before ${a}'s request was over: both ran at the same time.`,
        zh: `你的客户端在连接端口 ${a} 之后 ${Math.max(0, Math.round(start - first!.syn!.t))} 毫秒就连接了端口 ${b}，那时 ${a} 的请求还没结束：两个请求是同时进行的。`,
      }),
    );
  return fail(
    t({
      en: `Your client connected to port ${b} only ${seconds(start - first!.syn!.t)} s after port ${a}, once ${a}'s request was over: one after another, so the slow one delays the other. Start both coroutines together: await asyncio.gather(fetch(...), fetch(...)). A blocking call inside a coroutine (socket, time.sleep) serializes them too.`,
      zh: `你的客户端在连接端口 ${a} ${seconds(start - first!.syn!.t)} 秒之后、${a} 的请求结束了，才去连接端口 ${b}：一个接一个，慢的那个会拖住另一个。请把两个协程一起启动：await asyncio.gather(fetch(...), fetch(...))。协程里的阻塞调用（套接字、time.sleep）同样会让它们排队。`,
    }),
  );
}

/** Python's warning for a coroutine that was created and dropped without being awaited. */
const NEVER_AWAITED = /coroutine '([^']+)' was never awaited/;

function checkAwaited(run: RunRecord, t: Translate): CheckOutcome {
  for (const file of [SERVER, CLIENT]) {
    const found = NEVER_AWAITED.exec(run.processes[file]?.stderr ?? '');
    if (!found) continue;
    const name = found[1]!;
    const why = name.endsWith('drain')
      ? t({
          en: ` The bytes went out anyway: write() had already handed them to the transport. What drain() adds is the wait while the other side is slow to read (backpressure); without await, a client that never reads makes your program buffer everything you write, without limit.`,
          zh: `数据照样发出去了：write() 已经把它们交给了传输层。drain() 的作用是在对方读得慢时让你等一等（背压）；少了 await，遇上一个从不读取的客户端，你的程序会把写出的所有数据都攒在内存里，没有上限。`,
        })
      : '';
    return fail(
      t({
        en: `Python warned in ${file}: coroutine '${name}' was never awaited. Calling a coroutine function only creates the coroutine; it runs when you await it.${why}`,
        zh: `Python 在 ${file} 里发出了警告：协程 '${name}' 从未被 await。调用协程函数只会创建协程对象；只有 await 它，它才会运行。${why}`,
      }),
      run.processes[file]?.stderr.trim(),
    );
  }
  return pass(
    t({
      en: 'Every coroutine your programs created was awaited (Python printed no "never awaited" warning).',
      zh: '你的程序创建的每个协程都被 await 了（Python 没有打印 "never awaited" 警告）。',
    }),
  );
}

export default defineLesson({
  processes: [
    {
      peer: 'tcp-greeter',
      name: 'fast',
      port: FAST_REAL_PORT,
      options: { greeting: '{zh} {word}-{token}\n', waitForRequest: true },
    },
    {
      peer: 'tcp-proxy',
      name: 'proxy',
      port: FAST_PORT,
      options: { target: FAST_REAL_PORT, chunkBytes: 3, chunkGapMs: 3 },
    },
    {
      peer: 'tcp-greeter',
      name: 'hung',
      port: STALLED_PORT,
      options: { greeting: '{word}-{token}\n', waitForRequest: true, stallMs: STALL_MS },
    },
    { file: SERVER },
    // Two clients of different servers: the crowd starts beside client.py, not after it.
    { file: CLIENT, startNext: 'at-once' },
    {
      peer: 'tcp-crowd',
      name: CROWD,
      port: SERVER_PORT,
      options: {
        connections: CONNECTIONS,
        stalled: STALLED,
        lines: LINES,
        replyTimeoutMs: REPLY_TIMEOUT_MS,
        halfClose: true,
      },
    },
  ],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'served-while-stalled',
      title: {
        en: 'Every client was served while one stalled',
        zh: '有一个连接卡住时，其他客户端照样得到服务',
      },
      run: checkServedWhileStalled,
    },
    {
      id: 'every-line-echoed',
      title: { en: 'Every line came back unchanged', zh: '每一行都被原样送回' },
      run: checkEchoed,
    },
    {
      id: 'closed-cleanly',
      title: {
        en: 'The server closed each connection cleanly',
        zh: '服务器正常关闭了每个连接',
      },
      run: checkClosed,
    },
    {
      id: 'printed-each-answer',
      title: {
        en: 'The client printed each server’s answer, or timeout',
        zh: '客户端打印了每个服务器的回答，或者 timeout',
      },
      run: checkPrinted,
    },
    {
      id: 'stalled-server-timed-out',
      title: {
        en: 'The client gave up on the stalled server after its timeout',
        zh: '客户端在超时后放弃了卡住的服务器',
      },
      run: checkTimedOut,
    },
    {
      id: 'requests-overlapped',
      title: { en: 'Both requests ran at the same time', zh: '两个请求同时进行' },
      run: checkOverlapped,
    },
    {
      id: 'every-coroutine-awaited',
      title: { en: 'Every coroutine was awaited', zh: '每个协程都被 await 了' },
      run: checkAwaited,
    },
  ],
});
