import {
  connectionTo,
  defineLesson,
  explainEnd,
  fail,
  isSyn,
  lastException,
  noCapture,
  pass,
  printedLine,
  reportsOf,
  sentText,
  stdoutLines,
  tcpConnections,
  type CheckOutcome,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

const GREETER_PORT = 8080;
const CLOSED_PORT = 8081;
const QUEUE_PORT = 9000;
const CLIENT = 'client.py';
const GREETER = 'greeter';

/** True when client.py ended by itself with exit code 0. */
const finished = (run: RunRecord): boolean => {
  const client = run.processes[CLIENT];
  return client?.end === 'exited' && client.exitCode === 0;
};

/** How client.py ended, as a sentence, or '' when it finished without an error. */
const howItEnded = (run: RunRecord, t: Translate): string => {
  if (finished(run)) return '';
  const sentence = explainEnd(run, CLIENT, t);
  return t({ en: ` ${sentence}`, zh: sentence });
};

/** The SYN to the closed port was answered by RST. */
function refusedWithRst(run: RunRecord, t: Translate): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  const conn = connectionTo(run, CLOSED_PORT);
  if (!conn?.syn) {
    return fail(
      t({
        en: `No SYN went to port ${CLOSED_PORT}. Before talking to the greeter, try sock.connect(("127.0.0.1", ${CLOSED_PORT})) once, on a socket of its own.${howItEnded(run, t)}`,
        zh: `没有任何 SYN 发往 ${CLOSED_PORT} 端口。在和问候服务器通信之前，先用一个单独的套接字尝试一次 sock.connect(("127.0.0.1", ${CLOSED_PORT}))。${howItEnded(run, t)}`,
      }),
    );
  }
  const { syn } = conn;
  const rst = conn.rsts[0];
  if (rst) {
    return pass(
      t({
        en: `SYN from port ${syn.sport} (packet #${syn.n}), RST back (packet #${rst.n}) ${(rst.t - syn.t).toFixed(2)} ms later: nothing listens on ${CLOSED_PORT}, so the kernel refused at once.`,
        zh: `SYN 从 ${syn.sport} 端口发出（第 ${syn.n} 个包），${(rst.t - syn.t).toFixed(2)} 毫秒后 RST 返回（第 ${rst.n} 个包）：${CLOSED_PORT} 端口上没有监听者，内核立刻拒绝了连接。`,
      }),
    );
  }
  return fail(
    t(
      conn.synAck
        ? {
            en: `Something listens on port ${CLOSED_PORT}: it answered the SYN with SYN-ACK. Leave that port free: only the client runs here.`,
            zh: `${CLOSED_PORT} 端口上有程序在监听：它用 SYN-ACK 回应了 SYN。请让这个端口保持空闲：这里只运行客户端。`,
          }
        : {
            en: `The SYN to port ${CLOSED_PORT} (packet #${syn.n}) got no RST back. Try it once with a plain connect() and let the kernel answer.`,
            zh: `发往 ${CLOSED_PORT} 端口的 SYN（第 ${syn.n} 个包）没有收到 RST。用普通的 connect() 试一次，让内核来回应。`,
          },
    ),
  );
}

/** The refusal was caught and reported on a line of its own. */
function caughtRefusal(run: RunRecord, t: Translate): CheckOutcome {
  const error = lastException(run, CLIENT);
  if (error?.startsWith('ConnectionRefusedError')) {
    return fail(
      t({
        en: `connect() to port ${CLOSED_PORT} raised ${error} and nothing caught it, so client.py stopped there. Put that connect() in try: … except ConnectionRefusedError as error: and print a line about it.`,
        zh: `连接 ${CLOSED_PORT} 端口的 connect() 抛出了 ${error}，却没有被捕获，于是 client.py 就此停止。把这个 connect() 放进 try: … except ConnectionRefusedError as error:，并打印一行说明。`,
      }),
      run.processes[CLIENT]?.stderr,
    );
  }
  if (stdoutLines(run, CLIENT).some((line) => /refused|拒绝/i.test(line))) {
    return pass(
      t({
        en: 'It caught the error and printed a line about it.',
        zh: '它捕获了这个错误，并打印了一行说明。',
      }),
    );
  }
  return fail(
    t({
      en: `Print a line containing "refused" when port ${CLOSED_PORT} refuses, e.g. print(f"port ${CLOSED_PORT}: {error}") in the except block.`,
      zh: `当 ${CLOSED_PORT} 端口拒绝连接时，请打印一行包含 "refused"（或“拒绝”）的文字，例如在 except 块中 print(f"port ${CLOSED_PORT}: {error}")。`,
    }),
    run.processes[CLIENT]?.stdout || undefined,
  );
}

/** Why no SYN reached the greeter: most often, data sent on the socket whose connect() failed. */
function noSynToGreeter(run: RunRecord, t: Translate): CheckOutcome {
  const error = lastException(run, CLIENT) ?? '';
  if (/BrokenPipeError|not connected|Errno (32|107)/.test(error)) {
    return fail(
      t({
        en: `Your client never sent a SYN to port ${GREETER_PORT}: it sent data on the socket whose connect() had failed, and stopped with ${error}. Catching the error does not connect that socket. Open a new socket and connect it to port ${GREETER_PORT}.`,
        zh: `你的客户端从未向 ${GREETER_PORT} 端口发送 SYN：它在 connect() 失败过的那个套接字上发送数据，结果以 ${error} 结束。捕获了异常，并不会让那个套接字连上。请新建一个套接字，连接 ${GREETER_PORT} 端口。`,
      }),
    );
  }
  return fail(
    t({
      en: `Your client never sent a SYN to port ${GREETER_PORT}. After the refused attempt, connect a new socket to ("127.0.0.1", ${GREETER_PORT}).${howItEnded(run, t)}`,
      zh: `你的客户端从未向 ${GREETER_PORT} 端口发送 SYN。在被拒绝的那次尝试之后，请用一个新的套接字连接 ("127.0.0.1", ${GREETER_PORT})。${howItEnded(run, t)}`,
    }),
  );
}

/** A full SYN, SYN-ACK, ACK with the greeter. */
function handshakeCompleted(run: RunRecord, t: Translate): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  const conn = connectionTo(run, GREETER_PORT);
  if (!conn?.syn) return noSynToGreeter(run, t);
  const { syn, synAck, ack } = conn;
  if (synAck && ack) {
    return pass(
      t({
        en: `Port ${syn.sport} → ${GREETER_PORT}: SYN (#${syn.n}), SYN-ACK (#${synAck.n}), ACK (#${ack.n}).`,
        zh: `${syn.sport} 端口 → ${GREETER_PORT}：SYN（#${syn.n}）、SYN-ACK（#${synAck.n}）、ACK（#${ack.n}）。`,
      }),
    );
  }
  return fail(
    t(
      synAck
        ? {
            en: `The greeter sent SYN-ACK (#${synAck.n}), but your client never sent the final ACK.`,
            zh: `问候服务器发出了 SYN-ACK（#${synAck.n}），但你的客户端没有发出最后的 ACK。`,
          }
        : conn.rsts[0]
          ? {
              en: `The SYN to port ${GREETER_PORT} was answered with RST: the greeter was not listening.`,
              zh: `发往 ${GREETER_PORT} 端口的 SYN 收到了 RST：问候服务器当时没有在监听。`,
            }
          : {
              en: `The SYN to port ${GREETER_PORT} (packet #${syn.n}) got no answer.`,
              zh: `发往 ${GREETER_PORT} 端口的 SYN（第 ${syn.n} 个包）没有得到回应。`,
            },
    ),
  );
}

/** The greeter's per-run reply, read to the end and printed. */
function printedGreeting(run: RunRecord, t: Translate): CheckOutcome {
  const greeting = sentText(run, GREETER).trim();
  if (!greeting) {
    const asked = reportsOf(run, GREETER, 'request').length > 0;
    const reached = reportsOf(run, GREETER, 'connection').length > 0;
    return fail(
      t(
        !reached
          ? {
              en: `Your client never reached the greeter on port ${GREETER_PORT}, so it had nothing to print.${howItEnded(run, t)}`,
              zh: `你的客户端从未连上 ${GREETER_PORT} 端口上的问候服务器，所以也就没有什么可打印的。${howItEnded(run, t)}`,
            }
          : asked
            ? {
                en: 'The greeter got your request but sent nothing back.',
                zh: '问候服务器收到了你的请求，却什么也没有发回来。',
              }
            : {
                en: `The greeter answers after it has read one line from you, and it read none. Once connected to ${GREETER_PORT}, sock.sendall(b"hello\\n").${howItEnded(run, t)}`,
                zh: `问候服务器要先读到你发来的一行才会回复，而它一行也没读到。连上 ${GREETER_PORT} 之后，请 sock.sendall(b"hello\\n")。${howItEnded(run, t)}`,
              },
      ),
    );
  }
  if (printedLine(run, CLIENT, greeting)) {
    return pass(
      t({
        en: `The greeter sent ${JSON.stringify(greeting)} this run, and your client printed it.`,
        zh: `这次运行中问候服务器发送了 ${JSON.stringify(greeting)}，你的客户端把它打印了出来。`,
      }),
    );
  }
  return fail(
    t({
      en: `This run the greeter sent ${JSON.stringify(greeting)} (it changes every run), but no line of your output contains it. Read until recv() returns b"", then print(reply.decode("utf-8")).${howItEnded(run, t)}`,
      zh: `这次运行中问候服务器发送的是 ${JSON.stringify(greeting)}（每次运行都不一样），但你的输出里没有哪一行包含它。请一直读到 recv() 返回 b""，再 print(reply.decode("utf-8"))。${howItEnded(run, t)}`,
    }),
    run.processes[CLIENT]?.stdout || undefined,
  );
}

/** With listen(1) and nobody accepting, the third SYN to the queue port went unanswered. */
function fullQueueDropped(run: RunRecord, t: Translate): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  const attempts = tcpConnections(run).filter((conn) => conn.server.port === QUEUE_PORT);
  if (attempts.length < 3) {
    return fail(
      t({
        en: `Part 3 made ${attempts.length} of its 3 connection attempts to port ${QUEUE_PORT}. Keep part 3 as the starter wrote it, after parts 1 and 2.${howItEnded(run, t)}`,
        zh: `第 3 部分只向 ${QUEUE_PORT} 端口发起了 ${attempts.length} 次连接（应为 3 次）。请保留起始代码里写好的第 3 部分，放在第 1、2 部分之后。${howItEnded(run, t)}`,
      }),
    );
  }
  const queued = attempts.filter((conn) => conn.synAck).map((conn) => conn.client.port);
  const dropped = attempts.find((conn) => !conn.synAck && conn.rsts.length === 0);
  if (!dropped) {
    return fail(
      t({
        en: `Every SYN to port ${QUEUE_PORT} was answered. The queue only fills while the listening socket stays open with listen(1) and no accept(): keep part 3 as the starter wrote it.`,
        zh: `发往 ${QUEUE_PORT} 端口的每个 SYN 都得到了回应。只有监听套接字保持打开、使用 listen(1) 且不调用 accept() 时，队列才会满：请保留起始代码里写好的第 3 部分。`,
      }),
    );
  }
  const tries = dropped.packets.filter(isSyn).length;
  const sent = t(
    tries === 1
      ? { en: 'was never answered', zh: '始终没有回应' }
      : { en: `was sent ${tries} times and never answered`, zh: `发了 ${tries} 次，始终没有回应` },
  );
  return pass(
    t({
      en: `Ports ${queued.join(' and ')} got SYN-ACK and wait in the queue, though nobody called accept(). The SYN from port ${dropped.client.port} ${sent}: the queue was full, so the kernel dropped it, and connect() timed out.`,
      zh: `${queued.join(' 和 ')} 端口收到了 SYN-ACK，在队列里等着，尽管没有人调用 accept()。来自 ${dropped.client.port} 端口的 SYN ${sent}：队列已满，内核把它丢掉了，于是 connect() 超时。`,
    }),
  );
}

export default defineLesson({
  processes: [
    {
      peer: 'tcp-greeter',
      name: GREETER,
      port: GREETER_PORT,
      // A new greeting every run: a client can only print it by reading it.
      options: { greeting: 'welcome, {word}-{token}\n', waitForRequest: true },
    },
    { file: CLIENT },
  ],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'refused-with-rst',
      title: {
        en: 'Your SYN to port 8081 was answered with RST',
        zh: '你发往 8081 端口的 SYN 收到了 RST',
      },
      run: refusedWithRst,
    },
    {
      id: 'caught-refusal',
      title: {
        en: 'Your client caught ConnectionRefusedError and said so',
        zh: '你的客户端捕获了 ConnectionRefusedError 并打印了说明',
      },
      run: caughtRefusal,
    },
    {
      id: 'handshake-completed',
      title: {
        en: 'A full SYN, SYN-ACK, ACK with the greeter on 8080',
        zh: '与 8080 端口上的问候服务器完成了 SYN、SYN-ACK、ACK',
      },
      run: handshakeCompleted,
    },
    {
      id: 'printed-greeting',
      title: {
        en: "Your client printed this run's greeting",
        zh: '你的客户端打印了这次运行的问候语',
      },
      run: printedGreeting,
    },
    {
      id: 'full-queue-dropped-syn',
      title: {
        en: 'With the queue full, the third SYN went unanswered',
        zh: '队列满了之后，第三个 SYN 没有得到回应',
      },
      run: fullQueueDropped,
    },
  ],
});
