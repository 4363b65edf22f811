import {
  datagrams,
  defineLesson,
  explainEnd,
  fail,
  lastException,
  noCapture,
  pass,
  printedLine,
  reportsOf,
  sentText,
  tcpConnections,
  type CheckOutcome,
  type RunRecord,
  type TcpConnection,
  type Translate,
} from '@handshake/lesson';

const BROADCASTER = 'broadcast.py';
const SERVER = 'server.py';
const RESTART = 'restart.py';
const LISTENER_PORT = 9001;
const BROADCAST_ADDRESS = '127.255.255.255';
const SERVER_PORT = 8080;
/** The learner asks for this plus the run's number, so the read-back size is unknowable ahead. */
const RCVBUF_BASE = 4096;

/** This run's token and number, as the greeter sent them ("TOKEN NUMBER\n"). */
function task(run: RunRecord): { token: string; number: number } | undefined {
  const [token, number] = sentText(run, 'greeter').trim().split(/\s+/);
  if (!token || number === undefined || !/^\d+$/.test(number)) return undefined;
  return { token, number: Number(number) };
}

/** Fails when the greeter sent no task (nothing to judge); null otherwise. */
function noTask(run: RunRecord, t: Translate): CheckOutcome | null {
  if (task(run)) return null;
  return fail(
    t({
      en: 'The greeter sent no token, so there is nothing to judge. Run it again.',
      zh: 'greeter 没有发出令牌，无从判断。请再运行一次。',
    }),
  );
}

/** A sentence on how `proc` ended when it did not exit 0; empty otherwise. */
function endedBadly(run: RunRecord, proc: string, t: Translate): string {
  const record = run.processes[proc];
  if (!record || record.end === 'stopped' || (record.end === 'exited' && record.exitCode === 0)) {
    return '';
  }
  return `${t({ en: ' ', zh: '' })}${explainEnd(run, proc, t)}`;
}

/** Why the broadcast did not arrive: the broadcaster's exception or where the token went. */
function broadcastProblem(run: RunRecord, token: string, t: Translate): string {
  const error = lastException(run, BROADCASTER);
  if (error?.startsWith('PermissionError')) {
    return t({
      en: `broadcast.py stopped with ${error}: the kernel refuses to send to a broadcast address from a socket without SO_BROADCAST. Set it first: sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1).`,
      zh: `broadcast.py 因 ${error} 而停止：套接字没有设置 SO_BROADCAST 时，内核拒绝向广播地址发送。先设置它：sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)。`,
    });
  }
  const unicast = datagrams(run, { to: LISTENER_PORT }).find(
    (packet) => (packet.preview ?? '').includes(token) && packet.dst !== BROADCAST_ADDRESS,
  );
  if (unicast) {
    return t({
      en: `The token went to ${unicast.dst}, one host, not to the broadcast address ${BROADCAST_ADDRESS}.`,
      zh: `令牌发往了单个主机 ${unicast.dst}，而不是广播地址 ${BROADCAST_ADDRESS}。`,
    });
  }
  return `${t({
    en: `No datagram carrying this run's token (${token}) went to ${BROADCAST_ADDRESS}:${LISTENER_PORT}.`,
    zh: `没有任何携带本次令牌（${token}）的数据报发往 ${BROADCAST_ADDRESS}:${LISTENER_PORT}。`,
  })}${endedBadly(run, BROADCASTER, t)}`;
}

/** The completed connections to the server's port, in order. */
const served = (run: RunRecord): TcpConnection[] =>
  tcpConnections(run).filter(
    (connection) => connection.server.port === SERVER_PORT && connection.synAck !== undefined,
  );

/** Why the restarted server did not serve the second connection, from restart.py's end. */
function restartProblem(run: RunRecord, t: Translate): string {
  const error = lastException(run, RESTART);
  if (error?.includes('Address already in use')) {
    return t({
      en: `restart.py stopped with ${error}. The first connection is in TIME_WAIT on your server's side (it closed first), and that connection still holds 127.0.0.1:${SERVER_PORT}. Set SO_REUSEADDR on the listening socket before bind(): setsockopt() after bind() comes too late, bind() has already failed.`,
      zh: `restart.py 因 ${error} 而停止。第一个连接在你的服务器这一端处于 TIME_WAIT（是它先关闭的），这个连接仍占着 127.0.0.1:${SERVER_PORT}。在 bind() 之前给监听套接字设置 SO_REUSEADDR：bind() 之后再 setsockopt() 就太晚了，bind() 已经失败了。`,
    });
  }
  return t({
    en: `The restarted server (restart.py runs server.py again) did not serve a second connection.${endedBadly(run, RESTART, t)}`,
    zh: `重启后的服务器（restart.py 会再运行一次 server.py）没有服务第二个连接。${endedBadly(run, RESTART, t)}`,
  });
}

/** The first thing wrong with the two connections' story (close first, exit, restart), or null. */
function connectionsProblem(run: RunRecord, t: Translate): string | null {
  const [first, second] = served(run);
  if (!first) {
    return t({
      en: `The test client never connected to 127.0.0.1:${SERVER_PORT}.${endedBadly(run, SERVER, t)}`,
      zh: `测试客户端始终没能连上 127.0.0.1:${SERVER_PORT}。${endedBadly(run, SERVER, t)}`,
    });
  }
  if (first.fins[0]?.sport !== SERVER_PORT) {
    return t({
      en: `In the first connection the client closed first, so no TIME_WAIT was left on your server's side and the restart proves nothing. Close the connection right after sending the echo, without waiting for the client.`,
      zh: `第一个连接是客户端先关闭的，所以你的服务器这一端没有留下 TIME_WAIT，重启也就证明不了什么。发送完回显后立即关闭连接，不要等客户端。`,
    });
  }
  const restart = run.processes[RESTART];
  const restarted = restart?.end === 'exited' && restart.exitCode === 0;
  if (second && (run.processes[SERVER]?.end === 'stopped' || !restarted)) {
    return t({
      en: `server.py served the second connection itself: it kept listening after the first one.${endedBadly(run, RESTART, t)} It must serve one client, close, and exit, so that restart.py starts it anew on a port in TIME_WAIT.`,
      zh: `server.py 自己服务了第二个连接：第一个连接结束后它仍在监听。${endedBadly(run, RESTART, t)}它应当只服务一个客户端，关闭，然后退出，这样 restart.py 才会在一个处于 TIME_WAIT 的端口上重新启动它。`,
    });
  }
  if (!second) return restartProblem(run, t);
  return null;
}

/** Fails when a client's line did not come back on some connection; null otherwise. */
function echoProblem(run: RunRecord, t: Translate): string | null {
  const echoes = reportsOf(run, 'client', 'echo');
  const wrong = echoes.find((echo) => echo.ok !== true);
  if (!wrong && echoes.length >= 2) return null;
  return t({
    en: `The client's line did not come back on both connections (${echoes.filter((echo) => echo.ok === true).length} of 2 echoed): read the line until "\\n" and send it back with sendall() before closing.`,
    zh: `客户端的那一行没有在两个连接上都被送回（2 个中回显了 ${echoes.filter((echo) => echo.ok === true).length} 个）：读到 "\\n" 为止，关闭之前用 sendall() 把这一行送回去。`,
  });
}

export default defineLesson({
  processes: [
    // Bound to 0.0.0.0, so it also receives datagrams sent to 127.255.255.255; it never replies.
    {
      peer: 'udp-echo',
      name: 'listener',
      port: LISTENER_PORT,
      options: { host: '0.0.0.0', reply: false },
    },
    {
      peer: 'tcp-greeter',
      name: 'greeter',
      port: 9002,
      options: { greeting: '{token} {number}\n' },
    },
    { file: BROADCASTER },
    { file: SERVER },
    // Two connections, one after another: the second retries until restart.py listens (it
    // starts 2 s after this client, while the first connection is in TIME_WAIT).
    {
      peer: 'tcp-client',
      name: 'client',
      port: SERVER_PORT,
      options: { lines: ['{word} {zh}'], connections: 2, connectTimeoutMs: 8000 },
    },
    { file: RESTART },
  ],
  limits: { wallSeconds: 15 },
  checks: [
    {
      id: 'broadcast-delivered',
      title: {
        en: 'The token was broadcast to 127.255.255.255 and received',
        zh: '令牌被广播到 127.255.255.255 并被收到',
      },
      run: (run, t) => {
        const missing = noCapture(run, t) ?? noTask(run, t);
        if (missing) return missing;
        const { token } = task(run)!;
        const sent = datagrams(run, { to: LISTENER_PORT }).find(
          (packet) => packet.dst === BROADCAST_ADDRESS && (packet.preview ?? '').includes(token),
        );
        const heard = reportsOf(run, 'listener', 'received').some((report) =>
          String(report.data).includes(token),
        );
        if (sent && heard) {
          return pass(
            t({
              en: `The token ${token} went to ${BROADCAST_ADDRESS}:${LISTENER_PORT} and the listener bound to 0.0.0.0 received it.`,
              zh: `令牌 ${token} 发往了 ${BROADCAST_ADDRESS}:${LISTENER_PORT}，绑定在 0.0.0.0 上的监听方收到了它。`,
            }),
          );
        }
        return fail(broadcastProblem(run, token, t));
      },
    },
    {
      id: 'rcvbuf-read-back',
      title: {
        en: 'The receive buffer size the kernel reports was printed',
        zh: '打印了内核报告的接收缓冲区大小',
      },
      run: (run, t) => {
        const missing = noTask(run, t);
        if (missing) return missing;
        const asked = RCVBUF_BASE + task(run)!.number;
        const expected = 2 * asked;
        if (printedLine(run, BROADCASTER, String(expected))) {
          return pass(
            t({
              en: `You asked for ${asked} bytes and getsockopt() said ${expected}: Linux doubles the value to leave room for its own bookkeeping.`,
              zh: `你请求了 ${asked} 字节，getsockopt() 返回 ${expected}：Linux 会把这个值翻倍，为内核自己的簿记开销留出空间。`,
            }),
          );
        }
        return fail(
          `${t({
            en: `This run's number was ${task(run)!.number}, so you should ask for SO_RCVBUF = ${asked} and print what getsockopt(SOL_SOCKET, SO_RCVBUF) returns afterwards; no line of broadcast.py's output holds that value.`,
            zh: `本次运行的数字是 ${task(run)!.number}，所以你应当设置 SO_RCVBUF = ${asked}，再打印 getsockopt(SOL_SOCKET, SO_RCVBUF) 返回的值；broadcast.py 的输出中没有一行包含这个值。`,
          })}${endedBadly(run, BROADCASTER, t)}`,
        );
      },
    },
    {
      id: 'restarted-in-time-wait',
      title: {
        en: 'The server restarted on its port while the first connection was in TIME_WAIT',
        zh: '第一个连接处于 TIME_WAIT 时，服务器在原端口上重启成功',
      },
      run: (run, t) => {
        const missing = noCapture(run, t);
        if (missing) return missing;
        const problem = connectionsProblem(run, t) ?? echoProblem(run, t);
        if (problem) return fail(problem);
        const [first, second] = served(run);
        const gap = second!.syn!.t - first!.fins[0]!.t;
        return pass(
          t({
            en: `Your server closed the first connection first (its side waits in TIME_WAIT for a minute), and ${(gap / 1000).toFixed(1)} s later the restarted server accepted the second one on port ${SERVER_PORT}: SO_REUSEADDR let bind() share the port with the connection in TIME_WAIT.`,
            zh: `你的服务器先关闭了第一个连接（它这一端要在 TIME_WAIT 中等一分钟），${(gap / 1000).toFixed(1)} 秒后，重启的服务器在 ${SERVER_PORT} 端口接受了第二个连接：SO_REUSEADDR 让 bind() 可以和处于 TIME_WAIT 的连接共用这个端口。`,
          }),
        );
      },
    },
  ],
});
