import {
  defineLesson,
  type CheckOutcome,
  type RecordedPacket,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

const PORT = 8080;
const PIECES = ['I am done ', 'sending, ', 'but still ', 'listening.'];
const REQUEST = PIECES.join('');

const has = (packet: RecordedPacket, flag: 'SYN' | 'FIN' | 'RST' | 'ACK'): boolean =>
  packet.flags?.includes(flag) ?? false;

/** The packets of the client's first connection to the echo server, and which way each went. */
function connection(run: RunRecord) {
  const packets = (run.packets ?? []).filter((packet) => packet.proto === 'tcp');
  const syn = packets.find(
    (packet) => packet.dport === PORT && has(packet, 'SYN') && !has(packet, 'ACK'),
  );
  if (!syn) return undefined;
  const mine = packets.filter((packet) => packet.conn === syn.conn);
  return {
    packets: mine,
    fromClient: (packet: RecordedPacket) => packet.dport === PORT,
    clientFin: mine.find((packet) => packet.dport === PORT && has(packet, 'FIN')),
    serverFin: mine.find((packet) => packet.sport === PORT && has(packet, 'FIN')),
    reset: mine.find((packet) => has(packet, 'RST')),
  };
}

/** True when the time limit, not the client itself, ended client.py. */
const killed = (run: RunRecord): boolean => {
  const client = run.processes['client.py'];
  return client !== undefined && client.end !== 'exited';
};

/** Fails when there is no connection to judge; null when there is one. */
function noConnection(run: RunRecord, t: Translate): CheckOutcome | null {
  if (run.packets === undefined) {
    return {
      pass: false,
      message: t({
        en: 'This run has no packet capture, so the close cannot be judged. Run it again.',
        zh: '这次运行没有抓包，无法判断连接是怎样关闭的。请再运行一次。',
      }),
    };
  }
  if (connection(run)) return null;
  return {
    pass: false,
    message: t({
      en: `Your client never connected to 127.0.0.1:${PORT}.`,
      zh: `你的客户端从未连接 127.0.0.1:${PORT}。`,
    }),
    details: run.processes['client.py']?.stderr || undefined,
  };
}

const HANG = {
  en: `Your client waited in recv() until the time limit stopped it. The echo server replies, and closes its side, only after it sees your FIN, and you were waiting for its reply: nobody moved. After the last sendall(), call sock.shutdown(socket.SHUT_WR).`,
  zh: `你的客户端一直在 recv() 里等待，直到时间限制把它停掉。回显服务器要先看到你的 FIN 才会回复并关闭它那一端，而你又在等它的回复：双方都在等对方。在最后一次 sendall() 之后，调用 sock.shutdown(socket.SHUT_WR)。`,
};

export default defineLesson({
  // The echo answers only once the request has ended (the client's FIN): a client that counts
  // the bytes it sent and closes without shutdown() waits in vain, as the lesson teaches.
  processes: [
    { peer: 'tcp-echo', name: 'echo', port: PORT, options: { waitForEnd: true } },
    { file: 'client.py' },
  ],
  limits: { wallSeconds: 5 },
  checks: [
    {
      id: 'whole-request-received',
      title: { en: 'The server received the whole request', zh: '服务器收到了完整的请求' },
      run: (run, t) => {
        const received = run.reports
          .filter((report) => report.process === 'peer:echo' && report.event === 'received')
          .map((report) => String(report.data))
          .join('');
        if (received === REQUEST) {
          return {
            pass: true,
            message: t({
              en: `It received ${JSON.stringify(REQUEST)}.`,
              zh: `它收到了 ${JSON.stringify(REQUEST)}。`,
            }),
          };
        }
        return {
          pass: false,
          message: t({
            en: `The echo server received ${JSON.stringify(received)}, but the request is ${JSON.stringify(REQUEST)}. Send every piece of PIECES with sendall(), in order.`,
            zh: `回显服务器收到的是 ${JSON.stringify(received)}，而请求应当是 ${JSON.stringify(REQUEST)}。请用 sendall() 按顺序发送 PIECES 中的每一段。`,
          }),
        };
      },
    },
    {
      id: 'client-closed-first',
      title: { en: 'Your client sent its FIN first', zh: '你的客户端先发出了 FIN' },
      run: (run, t) => {
        const missing = noConnection(run, t);
        if (missing) return missing;
        if (killed(run)) return { pass: false, message: t(HANG) };
        const { fromClient, clientFin, serverFin, reset } = connection(run)!;
        if (clientFin && (!serverFin || clientFin.n < serverFin.n)) {
          return {
            pass: true,
            message: t({
              en: `Your FIN is packet #${clientFin.n}${serverFin ? `; the server's followed as #${serverFin.n}` : ''}.`,
              zh: `你的 FIN 是第 ${clientFin.n} 个包${serverFin ? `；服务器的 FIN 随后到来，是第 ${serverFin.n} 个` : ''}。`,
            }),
          };
        }
        if (!clientFin && reset && fromClient(reset)) {
          return {
            pass: false,
            message: t({
              en: `Your client closed its socket with the reply still unread in it, so its kernel sent RST (#${reset.n}) instead of a FIN. Call sock.shutdown(socket.SHUT_WR) after the last sendall(): that sends a FIN and keeps the socket open for reading.`,
              zh: `你的客户端在回复还没读的时候就关闭了套接字，所以内核发出的是 RST（第 ${reset.n} 个包），而不是 FIN。在最后一次 sendall() 之后调用 sock.shutdown(socket.SHUT_WR)：它会发出 FIN，同时套接字仍然可以读。`,
            }),
          };
        }
        return {
          pass: false,
          message: t(
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
        };
      },
    },
    {
      id: 'closed-cleanly',
      title: {
        en: 'Both sides closed with FIN and ACK, no reset',
        zh: '双方都以 FIN 和 ACK 关闭，没有重置',
      },
      run: (run, t) => {
        const missing = noConnection(run, t);
        if (missing) return missing;
        if (killed(run)) {
          return {
            pass: false,
            message: t({
              en: 'The connection only closed because the time limit killed your client (see the check above).',
              zh: '连接之所以关闭，只是因为时间限制杀掉了你的客户端（见上一项检查）。',
            }),
          };
        }
        const { packets, fromClient, clientFin, serverFin, reset } = connection(run)!;
        if (reset) {
          const who = fromClient(reset) ? 'client' : 'server';
          return {
            pass: false,
            message: t({
              en: `The connection ended with a reset (RST, packet #${reset.n}, from the ${who}) instead of FINs. Closing a socket while reply bytes are still unread in it makes the kernel send RST: keep reading until recv() returns b"" before the with block ends.`,
              zh: `连接以重置（RST，第 ${reset.n} 个包，来自${who === 'client' ? '客户端' : '服务器'}）结束，而不是 FIN。如果关闭套接字时里面还有没读的回复字节，内核就会发送 RST：在 with 语句块结束之前，一直读到 recv() 返回 b""。`,
            }),
          };
        }
        const finalAck =
          clientFin && serverFin
            ? packets.find(
                (packet) =>
                  packet.n > serverFin.n &&
                  fromClient(packet) &&
                  has(packet, 'ACK') &&
                  packet.ack === (serverFin.seq ?? 0) + 1,
              )
            : undefined;
        if (!clientFin || !serverFin || !finalAck) {
          return {
            pass: false,
            message: t({
              en: !clientFin
                ? 'Your client never sent a FIN, so the connection never closed from your side.'
                : !serverFin
                  ? 'The server never sent its FIN. It closes after it has seen yours and echoed everything: keep reading until recv() returns b"".'
                  : `Your client never acknowledged the server's FIN (#${serverFin.n}).`,
              zh: !clientFin
                ? '你的客户端从未发出 FIN，所以连接从你这一端从未关闭。'
                : !serverFin
                  ? '服务器从未发出它的 FIN。它要在看到你的 FIN、并回显完所有数据之后才会关闭：请一直读到 recv() 返回 b""。'
                  : `你的客户端没有确认服务器的 FIN（第 ${serverFin.n} 个包）。`,
            }),
          };
        }
        // Which segment of the server first acknowledged the client's FIN: its own FIN (three
        // segments in all), a bare ACK (four), or data sent after the client's FIN (half-close).
        const ackOfFin = packets.find(
          (packet) =>
            packet.n > clientFin.n &&
            !fromClient(packet) &&
            (packet.ack ?? 0) >= (clientFin.seq ?? 0) + 1,
        );
        const how =
          ackOfFin === undefined || ackOfFin.n === serverFin.n
            ? {
                en: 'its ACK rode on its own FIN: three segments in all',
                zh: '它的 ACK 搭了自己 FIN 的便车：总共三个报文段',
              }
            : ackOfFin.len > 0
              ? {
                  en: `it acknowledged yours on data it still sent after your FIN (#${ackOfFin.n}): half-close at work`,
                  zh: `它在你的 FIN 之后仍在发送数据，并在数据里确认了你的 FIN（第 ${ackOfFin.n} 个包）：这正是半关闭`,
                }
              : {
                  en: `it acknowledged yours separately (#${ackOfFin.n}): four segments`,
                  zh: `它单独确认了你的 FIN（第 ${ackOfFin.n} 个包）：四个报文段`,
                };
        return {
          pass: true,
          message: t({
            en: `FIN #${clientFin.n} from you, FIN #${serverFin.n} from the server (${t(how)}), your last ACK #${finalAck.n}. Your side, which closed first, now waits in TIME_WAIT.`,
            zh: `你的 FIN 是第 ${clientFin.n} 个包，服务器的 FIN 是第 ${serverFin.n} 个（${t(how)}），你最后的 ACK 是第 ${finalAck.n} 个。先关闭的是你这一端，它现在处于 TIME_WAIT。`,
          }),
        };
      },
    },
    {
      id: 'printed-whole-reply',
      title: { en: 'Your client printed the whole reply', zh: '你的客户端打印了完整的回复' },
      run: (run, t) => {
        const client = run.processes['client.py'];
        const stdout = client?.stdout ?? '';
        const lines = stdout.split('\n').map((line) => line.trim());
        if (lines.includes(REQUEST) && client?.exitCode === 0) {
          return {
            pass: true,
            message: t({
              en: 'It printed the whole reply.',
              zh: '它打印了完整的回复。',
            }),
          };
        }
        if (killed(run)) {
          return {
            pass: false,
            message: t({
              en: 'Your client was still waiting in recv() when the time limit stopped it, so it never printed the reply (see "Your client sent its FIN first").',
              zh: '时间限制把你的客户端停掉时，它还在 recv() 里等待，所以从未打印回复（见“你的客户端先发出了 FIN”）。',
            }),
            details: stdout || undefined,
          };
        }
        if (client?.exitCode !== 0) {
          const lastLine = client?.stderr.trim().split('\n').at(-1) ?? '';
          return {
            pass: false,
            message: t({
              en: `client.py failed${lastLine ? `: ${lastLine}` : ''}.`,
              zh: `client.py 出错${lastLine ? `：${lastLine}` : ''}。`,
            }),
            details: client?.stderr || undefined,
          };
        }
        return {
          pass: false,
          message: t({
            en: `Expected a line ${JSON.stringify(REQUEST)} in the output. Keep calling recv() and adding the chunks until it returns b"", then print(reply.decode("utf-8")).`,
            zh: `输出里应当有一行 ${JSON.stringify(REQUEST)}。请反复调用 recv() 并拼接各块，直到它返回 b""，再 print(reply.decode("utf-8"))。`,
          }),
          details: stdout || undefined,
        };
      },
    },
  ],
});
