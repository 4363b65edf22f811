import {
  defineLesson,
  connectionTo,
  explainEnd,
  fail,
  noCapture,
  pass,
  processFinished,
  printedLine,
  sentText,
  stdoutLines,
  tcpConnections,
  type CheckOutcome,
  type RunRecord,
  type TcpConnection,
  type Translate,
} from '@handshake/lesson';

const FILE = 'addresses.py';
const GREETER_PORT = 8080;
/** Linux's default ephemeral range (net.ipv4.ip_local_port_range), the sandbox's too. */
const EPHEMERAL = { low: 32768, high: 60999 };

/** IPv4 addresses and whole numbers in a line, as the words a 5-tuple is made of. */
function tokens(line: string): string[] {
  return line.match(/\d+\.\d+\.\d+\.\d+|\d+/g) ?? [];
}

/** The five values naming a captured connection, from its client's side. */
function fiveTuple(conn: TcpConnection): { ips: string[]; ports: number[] } {
  const first = conn.syn ?? conn.packets[0];
  return {
    ips: [first?.src ?? '127.0.0.1', first?.dst ?? '127.0.0.1'],
    ports: [conn.client.port, conn.server.port],
  };
}

/** The first output line holding the protocol, both addresses and both ports of `conn`. */
function lineNaming(run: RunRecord, conn: TcpConnection): string | undefined {
  const { ips, ports } = fiveTuple(conn);
  return stdoutLines(run, FILE).find((line) => {
    const words = tokens(line);
    const count = (value: string) => words.filter((word) => word === value).length;
    const ipsOk = ips[0] === ips[1] ? count(ips[0]!) >= 2 : ips.every((ip) => count(ip) >= 1);
    return /tcp/i.test(line) && ipsOk && ports.every((port) => count(String(port)) >= 1);
  });
}

/** Numbers ≥ 1024 the program printed that are no port of the capture (nor part of the token). */
function inventedPorts(run: RunRecord, token: string): number[] {
  const seen = new Set(tcpConnections(run).flatMap((c) => [c.client.port, c.server.port]));
  const printed = stdoutLines(run, FILE).flatMap((line) =>
    tokens(line).filter((word) => !word.includes('.')),
  );
  return [...new Set(printed.map(Number))].filter(
    (n) => n >= 1024 && n <= 65535 && !seen.has(n) && !token.includes(String(n)),
  );
}

/** " (how the program ended)" when it did not exit 0, for the end of a failure message. */
function endNote(run: RunRecord, t: Translate): string {
  const proc = run.processes[FILE];
  return proc && proc.exitCode !== 0 ? ` ${explainEnd(run, FILE, t)}` : '';
}

function checkToken(run: RunRecord, t: Translate): CheckOutcome {
  const token = sentText(run, 'greeter').trim();
  if (!token) {
    return fail(
      t({
        en: `The greeter sent nothing: your program never connected to 127.0.0.1:${GREETER_PORT}.${endNote(run, t)}`,
        zh: `greeter 什么也没发送：你的程序没有连接到 127.0.0.1:${GREETER_PORT}。${endNote(run, t)}`,
      }),
    );
  }
  if (printedLine(run, FILE, token)) {
    return pass(
      t({
        en: `The greeter sent ${JSON.stringify(token)} this run, and your program printed it.`,
        zh: `这次运行 greeter 发送了 ${JSON.stringify(token)}，你的程序把它打印了出来。`,
      }),
    );
  }
  return fail(
    t({
      en: `The greeter sent ${JSON.stringify(token)} this run (a new token every run), but no line of your output contains it. Read with recv() until it returns b"" (the greeter closes after its line), decode, print.${endNote(run, t)}`,
      zh: `这次运行 greeter 发送了 ${JSON.stringify(token)}（每次运行都不同），但你的输出里没有任何一行包含它。用 recv() 一直读到返回 b""（greeter 发完这一行就关闭连接），解码后打印。${endNote(run, t)}`,
    }),
    stdoutLines(run, FILE).join('\n') || undefined,
  );
}

function checkGreeterTuple(run: RunRecord, t: Translate): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  const conn = connectionTo(run, GREETER_PORT);
  if (!conn) {
    return fail(
      t({
        en: `No connection to 127.0.0.1:${GREETER_PORT} was captured.${endNote(run, t)}`,
        zh: `抓包里没有到 127.0.0.1:${GREETER_PORT} 的连接。${endNote(run, t)}`,
      }),
    );
  }
  const { ips, ports } = fiveTuple(conn);
  const truth = `tcp ${ips[0]} ${ports[0]} ${ips[1]} ${ports[1]}`;
  const invented = inventedPorts(run, sentText(run, 'greeter'));
  if (invented.length > 0) {
    const list = invented.slice(0, 5).join(', ') + (invented.length > 5 ? ', …' : '');
    const noun = invented.length > 1 ? 'ports' : 'port';
    return fail(
      t({
        en: `You printed ${noun} ${list}, which no packet of this run used. The capture shows your connection as ${truth}: print what getsockname() and getpeername() return.`,
        zh: `你打印了端口 ${list}，但这次运行没有任何数据包用过它。抓包显示你的连接是 ${truth}：请打印 getsockname() 和 getpeername() 的返回值。`,
      }),
    );
  }
  const line = lineNaming(run, conn);
  if (line) {
    return pass(
      t({
        en: `Your line ${JSON.stringify(line)} matches the capture: ${truth}. The kernel chose port ${ports[0]} when you called connect().`,
        zh: `你打印的 ${JSON.stringify(line)} 与抓包一致：${truth}。端口 ${ports[0]} 是你调用 connect() 时内核选的。`,
      }),
    );
  }
  const remoteOnly = stdoutLines(run, FILE).some(
    (l) => tokens(l).includes(String(GREETER_PORT)) && !tokens(l).includes(String(ports[0])),
  );
  return fail(
    remoteOnly
      ? t({
          en: `Your line names the greeter's end (port ${GREETER_PORT}) but not yours. A connection is five values: protocol, local IP, local port, remote IP, remote port; the capture shows ${truth}. Your local port comes from sock.getsockname().`,
          zh: `你打印的那一行只有 greeter 那一端（端口 ${GREETER_PORT}），没有你这一端。一个连接由五个值确定：协议、本地 IP、本地端口、远端 IP、远端端口；抓包显示的是 ${truth}。本地端口来自 sock.getsockname()。`,
        })
      : t({
          en: `Expected one line with the protocol, both addresses and both ports of your connection to the greeter, in any format. The capture shows ${truth}.${endNote(run, t)}`,
          zh: `应当有一行写出你到 greeter 的连接的协议、两个地址和两个端口，格式不限。抓包显示的是 ${truth}。${endNote(run, t)}`,
        }),
    stdoutLines(run, FILE).join('\n') || undefined,
  );
}

/** The first captured connection to a port other than the greeter's: the learner's listener. */
function listenerConnection(run: RunRecord): TcpConnection | undefined {
  return tcpConnections(run).find((c) => c.server.port !== GREETER_PORT);
}

function checkKernelPort(run: RunRecord, t: Translate): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  const conn = listenerConnection(run);
  if (!conn) {
    return fail(
      t({
        en: `No connection to your listener was captured: connect a second socket to the port getsockname() returned, and accept() it.${endNote(run, t)}`,
        zh: `抓包里没有到你的监听套接字的连接：请用第二个套接字连接 getsockname() 返回的端口，并 accept() 它。${endNote(run, t)}`,
      }),
    );
  }
  const port = conn.server.port;
  if (port < EPHEMERAL.low || port > EPHEMERAL.high) {
    return fail(
      t({
        en: `Your listener was on port ${port}, a number your program chose. Bind to port 0 and the kernel picks a free port (here from ${EPHEMERAL.low}–${EPHEMERAL.high}); getsockname() tells you which.`,
        zh: `你的监听端口是 ${port}，这是你的程序自己挑的数字。绑定到端口 0，内核会挑一个空闲端口（这里在 ${EPHEMERAL.low}–${EPHEMERAL.high} 之间）；getsockname() 会告诉你是哪一个。`,
      }),
    );
  }
  return pass(
    t({
      en: `The kernel gave your listener port ${port}, and a connection from port ${conn.client.port} reached it.`,
      zh: `内核给你的监听套接字分配了端口 ${port}，一个来自端口 ${conn.client.port} 的连接到达了它。`,
    }),
  );
}

function checkAcceptedTuple(run: RunRecord, t: Translate): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  const conn = listenerConnection(run);
  if (!conn) {
    return fail(
      t({
        en: 'No connection to your listener was captured, so there is no 5-tuple to print yet.',
        zh: '抓包里没有到你的监听套接字的连接，所以还没有可以打印的五元组。',
      }),
    );
  }
  const { ips, ports } = fiveTuple(conn);
  const line = lineNaming(run, conn);
  if (line) {
    return pass(
      t({
        en: `Your line ${JSON.stringify(line)} matches the capture: a connection from ${ips[0]}:${ports[0]} to your listener at ${ips[1]}:${ports[1]}. The accepted socket kept the listener's port.`,
        zh: `你打印的 ${JSON.stringify(line)} 与抓包一致：一个从 ${ips[0]}:${ports[0]} 到你的监听地址 ${ips[1]}:${ports[1]} 的连接。accept() 得到的套接字沿用了监听端口。`,
      }),
    );
  }
  return fail(
    t({
      en: `Expected one line with tcp, both addresses and both ports of the connection to your listener (ports ${ports[1]} and ${ports[0]} in this run). conn.getsockname() and conn.getpeername() on the accepted socket give them.`,
      zh: `应当有一行写出连到你的监听套接字的那个连接的 tcp、两个地址和两个端口（这次运行是端口 ${ports[1]} 和 ${ports[0]}）。对 accept() 得到的套接字调用 conn.getsockname() 和 conn.getpeername() 就能拿到。`,
    }),
    stdoutLines(run, FILE).join('\n') || undefined,
  );
}

export default defineLesson({
  processes: [
    {
      peer: 'tcp-greeter',
      name: 'greeter',
      port: GREETER_PORT,
      options: { greeting: '{token}\n' },
    },
    { file: FILE },
  ],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'printed-token',
      title: { en: 'You printed the token the greeter sent', zh: '你打印出了 greeter 发来的令牌' },
      run: checkToken,
    },
    {
      id: 'printed-five-tuple',
      title: {
        en: 'You printed your connection’s 5-tuple, as the capture shows it',
        zh: '你打印的连接五元组与抓包一致',
      },
      run: checkGreeterTuple,
    },
    {
      id: 'kernel-chose-port',
      title: {
        en: 'The kernel chose your listener’s port, and a connection reached it',
        zh: '监听端口由内核选择，并且有连接到达了它',
      },
      run: checkKernelPort,
    },
    {
      id: 'printed-accepted-tuple',
      title: {
        en: 'You printed the accepted connection’s 5-tuple',
        zh: '你打印出了被接受的连接的五元组',
      },
      run: checkAcceptedTuple,
    },
    {
      id: 'finished',
      title: { en: 'Your program finished without an error', zh: '你的程序正常结束，没有报错' },
      run: (run, t) => processFinished(run, FILE, t),
    },
  ],
});
