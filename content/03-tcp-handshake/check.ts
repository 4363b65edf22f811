import {
  defineLesson,
  type CheckOutcome,
  type RecordedPacket,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

const ECHO_PORT = 8080;
const CLOSED_PORT = 8081;

const tcpPackets = (run: RunRecord): RecordedPacket[] =>
  (run.packets ?? []).filter((packet) => packet.proto === 'tcp');

const has = (packet: RecordedPacket, flag: 'SYN' | 'ACK' | 'RST'): boolean =>
  packet.flags?.includes(flag) ?? false;

/** A connection request: SYN without ACK. */
const isSyn = (packet: RecordedPacket): boolean => has(packet, 'SYN') && !has(packet, 'ACK');

const stderrOf = (run: RunRecord): string => run.processes['client.py']?.stderr ?? '';

/** The outcome of a run whose packets were not captured: nothing to judge. */
function noCapture(run: RunRecord, t: Translate): CheckOutcome | null {
  if (run.packets !== undefined) return null;
  return {
    pass: false,
    message: t({
      en: 'This run has no packet capture, so the handshake cannot be judged. Run it again.',
      zh: '这次运行没有抓包，无法判断握手。请再运行一次。',
    }),
  };
}

/** The client's SYN to port and what the kernel answered first (RST or SYN-ACK), if anything. */
function attempt(packets: RecordedPacket[], port: number) {
  const syns = packets.filter((packet) => packet.dport === port && isSyn(packet));
  for (const syn of syns) {
    const fromServer = packets.filter(
      (packet) => packet.n > syn.n && packet.sport === port && packet.dport === syn.sport,
    );
    const answer = fromServer.find((packet) => has(packet, 'RST') || has(packet, 'SYN'));
    if (answer) return { syn, answer };
  }
  return syns[0] ? { syn: syns[0], answer: undefined } : undefined;
}

export default defineLesson({
  processes: [{ peer: 'tcp-echo', name: 'echo', port: ECHO_PORT }, { file: 'client.py' }],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'refused-with-rst',
      title: {
        en: 'Your SYN to port 8081 was answered with RST',
        zh: '你发往 8081 端口的 SYN 收到了 RST',
      },
      run: (run, t) => {
        const missing = noCapture(run, t);
        if (missing) return missing;
        const tried = attempt(tcpPackets(run), CLOSED_PORT);
        if (!tried) {
          return {
            pass: false,
            message: t({
              en: `No SYN went to port ${CLOSED_PORT}. Before talking to the echo server, try sock.connect(("127.0.0.1", ${CLOSED_PORT})) once, on a socket of its own.`,
              zh: `没有任何 SYN 发往 ${CLOSED_PORT} 端口。在和回显服务器通信之前，先用一个单独的套接字尝试一次 sock.connect(("127.0.0.1", ${CLOSED_PORT}))。`,
            }),
          };
        }
        const { syn, answer } = tried;
        if (answer && has(answer, 'RST')) {
          return {
            pass: true,
            message: t({
              en: `SYN from port ${syn.sport} (packet #${syn.n}), RST back (packet #${answer.n}): nothing listens on ${CLOSED_PORT}, so the kernel refused at once.`,
              zh: `SYN 从 ${syn.sport} 端口发出（第 ${syn.n} 个包），RST 随即返回（第 ${answer.n} 个包）：${CLOSED_PORT} 端口上没有监听者，内核立刻拒绝了连接。`,
            }),
          };
        }
        return {
          pass: false,
          message: t({
            en: answer
              ? `Something listens on port ${CLOSED_PORT}: it answered the SYN with SYN-ACK. Leave that port free: the client alone should run here.`
              : `The SYN to port ${CLOSED_PORT} (packet #${syn.n}) got no RST back. Try it once with a plain connect() and let the kernel answer.`,
            zh: answer
              ? `${CLOSED_PORT} 端口上有程序在监听：它用 SYN-ACK 回应了 SYN。请让这个端口保持空闲：这里只应运行客户端。`
              : `发往 ${CLOSED_PORT} 端口的 SYN（第 ${syn.n} 个包）没有收到 RST。用普通的 connect() 试一次，让内核来回应。`,
          }),
        };
      },
    },
    {
      id: 'caught-refusal',
      title: {
        en: 'Your client caught ConnectionRefusedError and said so',
        zh: '你的客户端捕获了 ConnectionRefusedError 并打印了说明',
      },
      run: (run, t) => {
        const client = run.processes['client.py'];
        if (stderrOf(run).includes('ConnectionRefusedError')) {
          return {
            pass: false,
            message: t({
              en: `connect() to port ${CLOSED_PORT} raised ConnectionRefusedError and nothing caught it, so client.py stopped there. Put that connect() in try: … except ConnectionRefusedError as error: and print a line about it.`,
              zh: `连接 ${CLOSED_PORT} 端口的 connect() 抛出了 ConnectionRefusedError，却没有被捕获，于是 client.py 就此停止。把这个 connect() 放进 try: … except ConnectionRefusedError as error:，并打印一行说明。`,
            }),
            details: client?.stderr,
          };
        }
        const said = (client?.stdout ?? '').split('\n').some((line) => /refused|拒绝/i.test(line));
        if (said) {
          return {
            pass: true,
            message: t({
              en: 'It caught the error and printed a line about it.',
              zh: '它捕获了这个错误，并打印了一行说明。',
            }),
          };
        }
        return {
          pass: false,
          message: t({
            en: `Print a line containing "refused" when port ${CLOSED_PORT} refuses, e.g. print(f"port ${CLOSED_PORT}: {error}") in the except block.`,
            zh: `当 ${CLOSED_PORT} 端口拒绝连接时，请打印一行包含 "refused"（或“拒绝”）的文字，例如在 except 块中 print(f"port ${CLOSED_PORT}: {error}")。`,
          }),
          details: client?.stdout || undefined,
        };
      },
    },
    {
      id: 'handshake-completed',
      title: {
        en: 'A full SYN, SYN-ACK, ACK with the echo server on 8080',
        zh: '与 8080 端口上的回显服务器完成了 SYN、SYN-ACK、ACK',
      },
      run: (run, t) => {
        const missing = noCapture(run, t);
        if (missing) return missing;
        const packets = tcpPackets(run);
        const tried = attempt(packets, ECHO_PORT);
        if (!tried) {
          const crashed = stderrOf(run).includes('Error');
          return {
            pass: false,
            message: t({
              en: crashed
                ? `Your client never sent a SYN to port ${ECHO_PORT}: it stopped with an error before getting there (see its terminal).`
                : `Your client never sent a SYN to port ${ECHO_PORT}. After the refused attempt, connect to ("127.0.0.1", ${ECHO_PORT}).`,
              zh: crashed
                ? `你的客户端从未向 ${ECHO_PORT} 端口发送 SYN：它在那之前就因错误停止了（见它的终端）。`
                : `你的客户端从未向 ${ECHO_PORT} 端口发送 SYN。在被拒绝的那次尝试之后，请连接 ("127.0.0.1", ${ECHO_PORT})。`,
            }),
          };
        }
        const { syn, answer } = tried;
        const ack =
          answer && has(answer, 'SYN') && has(answer, 'ACK')
            ? packets.find(
                (packet) =>
                  packet.n > answer.n &&
                  packet.sport === syn.sport &&
                  packet.dport === ECHO_PORT &&
                  has(packet, 'ACK') &&
                  !has(packet, 'SYN') &&
                  !has(packet, 'RST'),
              )
            : undefined;
        if (answer && ack) {
          return {
            pass: true,
            message: t({
              en: `Port ${syn.sport} → ${ECHO_PORT}: SYN (#${syn.n}), SYN-ACK (#${answer.n}), ACK (#${ack.n}).`,
              zh: `${syn.sport} 端口 → ${ECHO_PORT}：SYN（#${syn.n}）、SYN-ACK（#${answer.n}）、ACK（#${ack.n}）。`,
            }),
          };
        }
        return {
          pass: false,
          message: t({
            en: !answer
              ? `The SYN to port ${ECHO_PORT} (packet #${syn.n}) got no answer.`
              : has(answer, 'RST')
                ? `The SYN to port ${ECHO_PORT} was answered with RST: the echo server was not listening.`
                : `The echo server sent SYN-ACK (#${answer.n}), but your client never sent the final ACK.`,
            zh: !answer
              ? `发往 ${ECHO_PORT} 端口的 SYN（第 ${syn.n} 个包）没有得到回应。`
              : has(answer, 'RST')
                ? `发往 ${ECHO_PORT} 端口的 SYN 收到了 RST：回显服务器当时没有在监听。`
                : `回显服务器发出了 SYN-ACK（#${answer.n}），但你的客户端没有发出最后的 ACK。`,
          }),
        };
      },
    },
    {
      id: 'printed-echo',
      title: {
        en: 'Your client sent the message and printed its echo',
        zh: '你的客户端发送了消息并打印了回显',
      },
      run: (run, t) => {
        const received = run.reports
          .filter((report) => report.process === 'peer:echo' && report.event === 'received')
          .map((report) => String(report.data))
          .join('')
          .trim();
        const stdout = run.processes['client.py']?.stdout ?? '';
        const lines = stdout.split('\n').map((line) => line.trim());
        if (received && lines.includes(received)) {
          return {
            pass: true,
            message: t({
              en: `It sent ${JSON.stringify(received)} and printed the echo.`,
              zh: `它发送了 ${JSON.stringify(received)}，并打印了回显。`,
            }),
          };
        }
        return {
          pass: false,
          message: t({
            en: received
              ? `The echo server received ${JSON.stringify(received)}, but your client did not print it as a line of its own. Read the whole echo and print(reply.decode("utf-8")).`
              : 'The echo server received nothing. Once connected to 8080, send MESSAGE with sock.sendall(MESSAGE.encode("utf-8")).',
            zh: received
              ? `回显服务器收到了 ${JSON.stringify(received)}，但你的客户端没有把它单独打印成一行。请读完整个回显，再 print(reply.decode("utf-8"))。`
              : '回显服务器什么也没收到。连上 8080 之后，用 sock.sendall(MESSAGE.encode("utf-8")) 发送 MESSAGE。',
          }),
          details: stdout || undefined,
        };
      },
    },
  ],
});
