import {
  connectionTo,
  defineLesson,
  explainEnd,
  fail,
  fromClient,
  hasFlag,
  noCapture,
  pass,
  printedLine,
  receivedText,
  sentText,
  type CheckOutcome,
  type RecordedPacket,
  type RunRecord,
  type TcpConnection,
  type Translate,
} from '@handshake/lesson';

const PORT = 8080; // the proxy the client talks to
const ECHO_PORT = 8081; // the echo server behind it
const CLIENT = 'client.py';
const ECHO = 'echo';
const PIECES = ['I am done ', 'sending, ', 'but still ', 'listening.'];
const REQUEST = PIECES.join('');

/** The client's connection to the proxy, with each side's FIN and the first reset. */
function closing(connection: TcpConnection) {
  return {
    connection,
    clientFin: connection.fins.find((packet) => fromClient(connection, packet)),
    serverFin: connection.fins.find((packet) => !fromClient(connection, packet)),
    reset: connection.rsts[0],
  };
}

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

/** True when the time limit, not the client itself, ended client.py. */
const killed = (run: RunRecord): boolean => {
  const client = run.processes[CLIENT];
  return client !== undefined && client.end !== 'exited';
};

/** The connection to judge, or the outcome that says why there is none. */
function connectionOrFailure(run: RunRecord, t: Translate): TcpConnection | CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  const connection = connectionTo(run, PORT);
  if (connection?.syn) return connection;
  return fail(
    t({
      en: `Your client never connected to 127.0.0.1:${PORT}.${howItEnded(run, t)}`,
      zh: `你的客户端从未连接 127.0.0.1:${PORT}。${howItEnded(run, t)}`,
    }),
  );
}

const isOutcome = (value: TcpConnection | CheckOutcome): value is CheckOutcome => 'pass' in value;

/** Longest a program's FIN can follow its last data and still be its own, not the kill's. */
const OWN_FIN_MS = 1000;

/**
 * For a client killed at the time limit: whether it had sent its FIN before. Killing a process
 * closes its sockets, which sends a FIN too, so the FIN on the wire alone does not tell. The
 * snapshot of what it was blocked in does (a socket that sent its FIN is in FIN_WAIT_2); without
 * one, a FIN long after the client's last data is taken for the kill's.
 */
function shutDownBeforeKill(
  run: RunRecord,
  connection: TcpConnection,
  clientFin: RecordedPacket | undefined,
): boolean {
  const state = run.processes[CLIENT]?.blocked?.find((thread) => thread.socket)?.socket?.state;
  if (state) return state.startsWith('FIN_WAIT') || state === 'CLOSING' || state === 'TIME_WAIT';
  if (!clientFin) return false;
  const lastData = connection.packets.findLast(
    (packet) => packet.n < clientFin.n && fromClient(connection, packet) && packet.len > 0,
  );
  return lastData !== undefined && clientFin.t - lastData.t < OWN_FIN_MS;
}

/** Why the client was still running at the time limit: the deadlock of two readers. */
function hang(t: Translate): CheckOutcome {
  return fail(
    t({
      en: 'Your client was still waiting in recv() when the time limit stopped it, and it had sent no FIN. The echo server replies, and closes its side, only after it sees your FIN, and your client was waiting for that reply: each side waited for the other. After the last sendall(), call sock.shutdown(socket.SHUT_WR).',
      zh: '时间限制把你的客户端停掉时，它还在 recv() 里等待，而且从未发出 FIN。回显服务器要先看到你的 FIN 才会回复并关闭它那一端，而你的客户端又在等它的回复：双方都在等对方。在最后一次 sendall() 之后，调用 sock.shutdown(socket.SHUT_WR)。',
    }),
  );
}

/** The echo server received the request, every piece in order. */
function wholeRequestReceived(run: RunRecord, t: Translate): CheckOutcome {
  const received = receivedText(run, ECHO);
  if (received === REQUEST) {
    return pass(
      t({
        en: `It received ${JSON.stringify(REQUEST)}.`,
        zh: `它收到了 ${JSON.stringify(REQUEST)}。`,
      }),
    );
  }
  return fail(
    t({
      en: `The echo server received ${JSON.stringify(received)}, but the request is ${JSON.stringify(REQUEST)}. Send every piece of PIECES with sendall(), in order.`,
      zh: `回显服务器收到的是 ${JSON.stringify(received)}，而请求应当是 ${JSON.stringify(REQUEST)}。请用 sendall() 按顺序发送 PIECES 中的每一段。`,
    }),
  );
}

/** The client sent its FIN before the server's. */
function clientClosedFirst(run: RunRecord, t: Translate): CheckOutcome {
  const found = connectionOrFailure(run, t);
  if (isOutcome(found)) return found;
  const { connection, clientFin, serverFin, reset } = closing(found);
  if (killed(run) && !shutDownBeforeKill(run, connection, clientFin)) return hang(t);
  if (clientFin && (!serverFin || clientFin.n < serverFin.n)) {
    return pass(
      t({
        en: `Your FIN is packet #${clientFin.n}${serverFin ? `; the server's followed as #${serverFin.n}` : ''}.`,
        zh: `你的 FIN 是第 ${clientFin.n} 个包${serverFin ? `；服务器的 FIN 随后到来，是第 ${serverFin.n} 个` : ''}。`,
      }),
    );
  }
  if (!clientFin && reset && fromClient(connection, reset)) {
    return fail(
      t({
        en: `Your client closed its socket with reply bytes still unread in it, so its kernel sent RST (#${reset.n}) instead of a FIN. Call sock.shutdown(socket.SHUT_WR) after the last sendall(): that sends a FIN and keeps the socket open for reading.`,
        zh: `你的客户端在回复还没读完的时候就关闭了套接字，所以内核发出的是 RST（第 ${reset.n} 个包），而不是 FIN。在最后一次 sendall() 之后调用 sock.shutdown(socket.SHUT_WR)：它会发出 FIN，同时套接字仍然可以读。`,
      }),
    );
  }
  return fail(
    t(
      serverFin
        ? {
            en: `The server's FIN (#${serverFin.n}) came before yours. Half-close with sock.shutdown(socket.SHUT_WR) as soon as the request is sent, then read the reply.`,
            zh: `服务器的 FIN（第 ${serverFin.n} 个包）比你的先到。请求一发完就用 sock.shutdown(socket.SHUT_WR) 半关闭，然后再读回复。`,
          }
        : {
            en: 'Your client never sent a FIN. After the last sendall(), call sock.shutdown(socket.SHUT_WR): it sends a FIN and leaves the socket open for reading.',
            zh: '你的客户端从未发出 FIN。在最后一次 sendall() 之后调用 sock.shutdown(socket.SHUT_WR)：它会发出 FIN，同时套接字仍然可以读。',
          },
    ),
  );
}

/**
 * The client's ACK of the server's FIN. A FIN occupies one sequence number after the segment's
 * payload, so when the FIN carries data (the last bytes of the reply ride on it), the ACK that
 * acknowledges it is seq + payload length + 1.
 */
function ackOfServerFin(
  connection: TcpConnection,
  serverFin: RecordedPacket,
): RecordedPacket | undefined {
  const expected = (serverFin.seq ?? 0) + serverFin.len + 1;
  return connection.packets.find(
    (packet) =>
      packet.n > serverFin.n &&
      fromClient(connection, packet) &&
      hasFlag(packet, 'ACK') &&
      packet.ack === expected,
  );
}

/** How the server acknowledged the client's FIN: on its own FIN, alone, or on data. */
function howServerAcked(
  connection: TcpConnection,
  clientFin: RecordedPacket,
  serverFin: RecordedPacket,
  t: Translate,
): string {
  const expected = (clientFin.seq ?? 0) + clientFin.len + 1;
  const ackOfFin = connection.packets.find(
    (packet) =>
      packet.n > clientFin.n && !fromClient(connection, packet) && (packet.ack ?? 0) >= expected,
  );
  if (ackOfFin === undefined || ackOfFin.n === serverFin.n) {
    return t({
      en: 'its ACK rode on its own FIN: three segments in all, and your side went from FIN_WAIT_1 straight to TIME_WAIT',
      zh: '它的 ACK 搭了自己 FIN 的便车：总共三个报文段，你这一端从 FIN_WAIT_1 直接进入 TIME_WAIT',
    });
  }
  if (ackOfFin.len > 0) {
    return t({
      en: `it acknowledged yours on data it still sent after your FIN (#${ackOfFin.n}): half-close at work, with your side in FIN_WAIT_2 until its FIN (#${serverFin.n})`,
      zh: `它在你的 FIN 之后仍在发送数据，并在数据里确认了你的 FIN（第 ${ackOfFin.n} 个包）：这正是半关闭，你这一端处于 FIN_WAIT_2，直到它的 FIN（第 ${serverFin.n} 个包）到来`,
    });
  }
  return t({
    en: `it acknowledged yours separately (#${ackOfFin.n}): four segments, with your side in FIN_WAIT_2 from #${ackOfFin.n} to #${serverFin.n}`,
    zh: `它单独确认了你的 FIN（第 ${ackOfFin.n} 个包）：四个报文段，你这一端从第 ${ackOfFin.n} 个包到第 ${serverFin.n} 个包处于 FIN_WAIT_2`,
  });
}

/** Both FINs acknowledged, no reset. */
function closedCleanly(run: RunRecord, t: Translate): CheckOutcome {
  const found = connectionOrFailure(run, t);
  if (isOutcome(found)) return found;
  if (killed(run)) {
    return fail(
      t({
        en: 'The connection only closed because the time limit killed your client (see "Your client sent its FIN first").',
        zh: '连接之所以关闭，只是因为时间限制杀掉了你的客户端（见“你的客户端先发出了 FIN”）。',
      }),
    );
  }
  const { connection, clientFin, serverFin, reset } = closing(found);
  if (reset) {
    const client = fromClient(connection, reset);
    return fail(
      t({
        en: `The connection ended with a reset (RST, packet #${reset.n}, from the ${client ? 'client' : 'server'}) instead of FINs. Closing a socket while reply bytes are still unread in it makes the kernel send RST: keep reading until recv() returns b"" before the with block ends.`,
        zh: `连接以重置（RST，第 ${reset.n} 个包，来自${client ? '客户端' : '服务器'}）结束，而不是 FIN。如果关闭套接字时里面还有没读的回复字节，内核就会发送 RST：在 with 语句块结束之前，一直读到 recv() 返回 b""。`,
      }),
    );
  }
  const finalAck = clientFin && serverFin ? ackOfServerFin(connection, serverFin) : undefined;
  if (!clientFin || !serverFin || !finalAck) {
    return fail(
      t(
        !clientFin
          ? {
              en: 'Your client never sent a FIN, so the connection never closed from your side.',
              zh: '你的客户端从未发出 FIN，所以连接从你这一端从未关闭。',
            }
          : !serverFin
            ? {
                en: 'The server never sent its FIN. It closes after it has seen yours and echoed everything: keep reading until recv() returns b"".',
                zh: '服务器从未发出它的 FIN。它要在看到你的 FIN、并回显完所有数据之后才会关闭：请一直读到 recv() 返回 b""。',
              }
            : {
                en: `Your client never acknowledged the server's FIN (#${serverFin.n}).`,
                zh: `你的客户端没有确认服务器的 FIN（第 ${serverFin.n} 个包）。`,
              },
      ),
    );
  }
  const how = howServerAcked(connection, clientFin, serverFin, t);
  return pass(
    t({
      en: `FIN #${clientFin.n} from you, FIN #${serverFin.n} from the server (${how}), your last ACK #${finalAck.n}. Your side, which closed first, now waits in TIME_WAIT.`,
      zh: `你的 FIN 是第 ${clientFin.n} 个包，服务器的 FIN 是第 ${serverFin.n} 个（${how}），你最后的 ACK 是第 ${finalAck.n} 个。先关闭的是你这一端，它现在处于 TIME_WAIT。`,
    }),
  );
}

/** The reply, banner and echo, read to the end and printed. */
function printedWholeReply(run: RunRecord, t: Translate): CheckOutcome {
  const banner = sentText(run, ECHO).split('\n')[0]?.trim() ?? '';
  const stdout = run.processes[CLIENT]?.stdout || undefined;
  const gotBanner = banner !== '' && printedLine(run, CLIENT, banner);
  const gotEcho = printedLine(run, CLIENT, REQUEST);
  if (gotBanner && gotEcho && finished(run)) {
    return pass(
      t({
        en: `It printed the whole reply: this run's ticket ${JSON.stringify(banner)} and the echo of your request.`,
        zh: `它打印了完整的回复：这次运行的票据 ${JSON.stringify(banner)}，以及你的请求的回显。`,
      }),
    );
  }
  if (killed(run)) {
    return fail(
      t({
        en: 'Your client was still waiting in recv() when the time limit stopped it, so it never printed the reply (see "Your client sent its FIN first").',
        zh: '时间限制把你的客户端停掉时，它还在 recv() 里等待，所以从未打印回复（见“你的客户端先发出了 FIN”）。',
      }),
      stdout,
    );
  }
  if (!finished(run)) return fail(explainEnd(run, CLIENT, t), run.processes[CLIENT]?.stderr);
  const reply = `${banner}\n${REQUEST}`;
  const printed = (stdout ?? '').trim();
  if (printed && printed.length < reply.length && reply.startsWith(printed)) {
    return fail(
      t({
        en: `Your client printed only the first ${printed.length} of the reply's ${reply.length} characters. One recv() returns what has arrived so far, and the proxy delivers 5 bytes at a time: keep calling recv() and adding the chunks until it returns b"", then print everything.`,
        zh: `你的客户端只打印了回复 ${reply.length} 个字符中的前 ${printed.length} 个。一次 recv() 只返回目前已经到达的数据，而代理每次只递送 5 个字节：请反复调用 recv() 并拼接各块，直到它返回 b""，再把全部内容打印出来。`,
      }),
      stdout,
    );
  }
  if (gotBanner) {
    return fail(
      t({
        en: `Your client printed the ticket line but not the echo ${JSON.stringify(REQUEST)}, which came after it. The proxy delivers the reply a few bytes at a time: keep calling recv() and adding the chunks until it returns b"", then print everything.`,
        zh: `你的客户端打印了票据那一行，却没有打印随后到来的回显 ${JSON.stringify(REQUEST)}。代理每次只递送几个字节：请反复调用 recv() 并拼接各块，直到它返回 b""，再把全部内容打印出来。`,
      }),
      stdout,
    );
  }
  return fail(
    t({
      en: `The reply starts with a ticket that changes every run; this run it was ${JSON.stringify(banner)}, and no line of your output contains it. Print what you received: keep calling recv() until it returns b"", then print(reply.decode("utf-8")).`,
      zh: `回复以一张每次运行都不同的票据开头；这次是 ${JSON.stringify(banner)}，而你的输出里没有哪一行包含它。请打印你收到的内容：反复调用 recv() 直到它返回 b""，再 print(reply.decode("utf-8"))。`,
    }),
    stdout,
  );
}

export default defineLesson({
  // The echo sends a per-run ticket at once, and echoes the request only after the client's
  // FIN (a client that closes without shutdown() waits in vain); the proxy in front hands the
  // reply over 5 bytes at a time, so only a client that reads until b"" has all of it.
  processes: [
    {
      peer: 'tcp-echo',
      name: ECHO,
      port: ECHO_PORT,
      options: { waitForEnd: true, banner: 'ticket {token}\n' },
    },
    {
      peer: 'tcp-proxy',
      name: 'proxy',
      port: PORT,
      options: { target: ECHO_PORT, chunkBytes: 5, direction: 'from-target' },
    },
    { file: CLIENT },
  ],
  limits: { wallSeconds: 5 },
  checks: [
    {
      id: 'whole-request-received',
      title: { en: 'The server received the whole request', zh: '服务器收到了完整的请求' },
      run: wholeRequestReceived,
    },
    {
      id: 'client-closed-first',
      title: { en: 'Your client sent its FIN first', zh: '你的客户端先发出了 FIN' },
      run: clientClosedFirst,
    },
    {
      id: 'closed-cleanly',
      title: {
        en: 'Both sides closed with FIN and ACK, no reset',
        zh: '双方都以 FIN 和 ACK 关闭，没有重置',
      },
      run: closedCleanly,
    },
    {
      id: 'printed-whole-reply',
      title: { en: 'Your client printed the whole reply', zh: '你的客户端打印了完整的回复' },
      run: printedWholeReply,
    },
  ],
});
