import {
  defineLesson,
  explainEnd,
  fail,
  pass,
  printedLine,
  processFinished,
  reportsOf,
  sentText,
  stdoutLines,
  type CheckOutcome,
  type PeerReport,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

const FILE = 'client.py';
/** The real server: its certificate is for localhost, signed by the run's CA (ca.pem). */
const BANK = 'bank';
const BANK_PORT = 8443;
/** A server whose certificate the run's CA signed — for another name (impostor.invalid). */
const IMPOSTOR = 'impostor';
const IMPOSTOR_PORT = 8444;
/** A server whose certificate says localhost — signed by a CA that is not in ca.pem. */
const STRANGER = 'stranger';
const STRANGER_PORT = 8445;
// Part 2: server.py, a TLS echo server the checker tests, trusting only the run's CA.
const SERVER = 'server.py';
const SERVER_PORT = 9443;
const CHECKER = 'checker';
/** What the checker sends, one line at a time, each waiting for its echo: new every run. */
const SERVER_LINES = ['{word} {token}', '{zh}，{number}'];

/** The bank writes its reply this many bytes at a time: each write is its own TLS record. */
const CHUNK_BYTES = 5;

const quote = (text: string): string => JSON.stringify(text);

/** " (how the client ended)" when it did not exit 0, for the end of a failure message. */
function endNote(run: RunRecord, t: Translate): string {
  const proc = run.processes[FILE];
  return proc && proc.exitCode !== 0 && proc.end !== 'stopped'
    ? t({ en: ' ', zh: '' }) + explainEnd(run, FILE, t)
    : '';
}

/** What happened at a TLS server this run, from its reports. */
interface TlsVisit {
  connected: boolean;
  handshake?: PeerReport;
  failed?: PeerReport;
  received: string;
}

function visitOf(run: RunRecord, peer: string): TlsVisit {
  return {
    connected: reportsOf(run, peer, 'connection').length > 0,
    handshake: reportsOf(run, peer, 'handshake')[0],
    failed: reportsOf(run, peer, 'handshake-failed')[0],
    received: reportsOf(run, peer, 'received')
      .map((r) => String(r.data))
      .join(''),
  };
}

/** Why the client had no TLS session with the bank, or null when it had one. */
function bankProblem(run: RunRecord, t: Translate): string | null {
  const visit = visitOf(run, BANK);
  if (visit.handshake) return null;
  if (!visit.connected)
    return t({
      en: `Your client never connected to localhost:${BANK_PORT}, the real server.${endNote(run, t)}`,
      zh: `你的客户端没有连接到真正的服务器 localhost:${BANK_PORT}。${endNote(run, t)}`,
    });
  const failed = visit.failed;
  if (failed?.reason === 'not-tls')
    return t({
      en: `Your client spoke plain TCP to the TLS server on port ${BANK_PORT}: it sent ${quote(String(failed.data))} in clear text, and the server, expecting a TLS ClientHello, hung up. Wrap the socket: context.wrap_socket(sock, server_hostname="localhost").`,
      zh: `你的客户端对端口 ${BANK_PORT} 上的 TLS 服务器说的是普通 TCP：它以明文发出了 ${quote(String(failed.data))}，服务器等的是 TLS 的 ClientHello，于是挂断了。请包装套接字：context.wrap_socket(sock, server_hostname="localhost")。`,
    });
  if (failed?.alert === 'unknown_ca')
    return t({
      en: `Your client refused the real server too (TLS alert unknown_ca: "unable to get local issuer certificate"): it does not trust this run's CA. The system's CAs never signed a certificate made for this run; load the run's CA: ssl.create_default_context(cafile="ca.pem").`,
      zh: `你的客户端连真正的服务器也拒绝了（TLS 警报 unknown_ca：“unable to get local issuer certificate”）：它不信任本次运行的 CA。系统自带的 CA 从没签过为本次运行生成的证书；请加载本次运行的 CA：ssl.create_default_context(cafile="ca.pem")。`,
    });
  if (failed?.reason === 'alert')
    return t({
      en: `Your client refused the real server's certificate (TLS alert ${String(failed.alert)}). Its certificate is for localhost, signed by the CA in ca.pem: pass server_hostname="localhost" and cafile="ca.pem".${endNote(run, t)}`,
      zh: `你的客户端拒绝了真正服务器的证书（TLS 警报 ${String(failed.alert)}）。它的证书属于 localhost，由 ca.pem 里的 CA 签发：请传 server_hostname="localhost" 和 cafile="ca.pem"。${endNote(run, t)}`,
    });
  return t({
    en: `Your client connected to port ${BANK_PORT} but never finished a TLS handshake there.${endNote(run, t)}`,
    zh: `你的客户端连上了端口 ${BANK_PORT}，却没有在那里完成 TLS 握手。${endNote(run, t)}`,
  });
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
  const problem = bankProblem(run, t);
  if (problem) return fail(problem);
  const reply = sentText(run, BANK).trim();
  if (!reply)
    return fail(
      t({
        en: `The handshake with the real server worked, but it sent no reply: it answers only after a whole request line. Send REQUEST (ending in "\\n") with sendall() after wrapping.${endNote(run, t)}`,
        zh: `和真正服务器的握手成功了，但它没有回复：它要收到完整的一行请求才回答。包装之后，用 sendall() 发送 REQUEST（以 "\\n" 结尾）。${endNote(run, t)}`,
      }),
    );
  if (printedLine(run, FILE, reply))
    return pass(
      t({
        en: `The server sent ${quote(reply)} this run, over TLS in ${CHUNK_BYTES}-byte records, and you printed all of it.`,
        zh: `这次运行服务器通过 TLS 发送了 ${quote(reply)}，每条记录 ${CHUNK_BYTES} 字节，你把它完整地打印了出来。`,
      }),
    );
  return fail(diagnoseReply(run, reply, t), stdoutLines(run, FILE).join('\n') || undefined);
}

/** Names the mistake behind a missing reply, from this run's output and traceback. */
function diagnoseReply(run: RunRecord, reply: string, t: Translate): string {
  const shown = quote(reply);
  const stderr = run.processes[FILE]?.stderr ?? '';
  if (stderr.includes('UnicodeDecodeError'))
    return t({
      en: `The server sent ${shown} in TLS records of ${CHUNK_BYTES} bytes, and a record ended inside a Chinese character, so decoding one recv() alone raised UnicodeDecodeError. Join the bytes (reply += chunk) and decode once, after the loop.`,
      zh: `服务器把 ${shown} 分成每条 ${CHUNK_BYTES} 字节的 TLS 记录发送，有一条在汉字中间断开，单独解码一次 recv() 的结果就抛出了 UnicodeDecodeError。先把字节拼起来（reply += chunk），循环结束后再一次性解码。`,
    });
  const lines = stdoutLines(run, FILE);
  const head = printedPrefix(lines, reply);
  if (head)
    return t({
      en: `You printed only ${quote(head)} of ${shown}. Over TLS, one recv() returns at most one TLS record, and the server wrote ${CHUNK_BYTES} bytes per record: call recv() in a loop until it returns b"" (the server closes when done).`,
      zh: `你只打印了 ${shown} 中的 ${quote(head)}。在 TLS 上，一次 recv() 最多返回一条 TLS 记录，而服务器每条记录只写 ${CHUNK_BYTES} 个字节：请循环调用 recv()，直到它返回 b""（服务器说完就关闭连接）。`,
    });
  if (lines.some((line) => /b['"]/.test(line)))
    return t({
      en: `The server sent ${shown}; you printed a bytes object (b'…'). Decode it first: reply.decode("utf-8").`,
      zh: `服务器发送了 ${shown}；你打印的是 bytes 对象（b'…'）。请先解码：reply.decode("utf-8")。`,
    });
  return t({
    en: `The server sent ${shown} this run (it changes every run), but no line of your output contains it.${endNote(run, t)}`,
    zh: `这次运行服务器发送了 ${shown}（每次运行都不同），但你的输出里没有任何一行包含它。${endNote(run, t)}`,
  });
}

function checkSni(run: RunRecord, t: Translate): CheckOutcome {
  const hello = visitOf(run, BANK);
  const report = hello.handshake ?? (hello.failed?.reason === 'alert' ? hello.failed : undefined);
  if (!report)
    return fail(
      t({
        en: `No TLS ClientHello of yours reached the real server on port ${BANK_PORT}, so it saw no server name at all (see the first check).`,
        zh: `你的 TLS ClientHello 没有到达端口 ${BANK_PORT} 上的真正服务器，所以它根本没看到服务器名（见第一项检查）。`,
      }),
    );
  const sni = report.sni;
  if (sni === 'localhost')
    return pass(
      t({
        en: 'Your ClientHello named the server: SNI "localhost" — in clear text, before any encryption (look for it in the Network view).',
        zh: '你的 ClientHello 说出了服务器名：SNI 为 "localhost"——以明文发送，在任何加密之前（可以在网络视图里找到它）。',
      }),
    );
  if (typeof sni !== 'string' || sni === '')
    return fail(
      t({
        en: 'Your ClientHello carried no server name (SNI). Python sends one only when server_hostname is a host name — not missing, not an IP address such as "127.0.0.1": wrap with server_hostname="localhost", the name the certificate must be for.',
        zh: '你的 ClientHello 没有带服务器名（SNI）。只有当 server_hostname 是主机名时 Python 才会发送它——不能省略，也不能是 "127.0.0.1" 这样的 IP 地址：请用 server_hostname="localhost" 包装，这正是证书必须对应的名字。',
      }),
    );
  return fail(
    t({
      en: `Your ClientHello named ${quote(sni)}, but the server is localhost: pass server_hostname="localhost".`,
      zh: `你的 ClientHello 给出的服务器名是 ${quote(sni)}，可服务器是 localhost：请传 server_hostname="localhost"。`,
    }),
  );
}

/** The words for one impostor in the messages. */
interface Impostor {
  peer: string;
  port: number;
  /** The alert a client that verifies properly sends it. */
  alert: string;
  what: { en: string; zh: string };
}

const IMPOSTORS: Record<'wrong-host' | 'untrusted', Impostor> = {
  'wrong-host': {
    peer: IMPOSTOR,
    port: IMPOSTOR_PORT,
    alert: 'bad_certificate',
    what: {
      en: 'whose certificate is signed by the run’s CA but made out to impostor.invalid, not localhost',
      zh: '它的证书由本次运行的 CA 签发，却是开给 impostor.invalid 的，不是 localhost',
    },
  },
  untrusted: {
    peer: STRANGER,
    port: STRANGER_PORT,
    alert: 'unknown_ca',
    what: {
      en: 'whose certificate says localhost but is signed by a CA that is not in ca.pem',
      zh: '它的证书写着 localhost，签发它的 CA 却不在 ca.pem 里',
    },
  },
};

/** What a client that trusted the impostor did wrong, told apart by how it treated the other. */
function acceptedBy(run: RunRecord, kind: keyof typeof IMPOSTORS, t: Translate): string {
  const other = visitOf(run, kind === 'wrong-host' ? STRANGER : IMPOSTOR);
  if (kind === 'wrong-host' && other.failed?.reason === 'alert')
    return t({
      en: 'Your context still checks who signed a certificate (it refused the stranger on port 8445) but not the name in it: that is check_hostname = False. Leave check_hostname on; create_default_context() turns it on.',
      zh: '你的上下文仍然检查证书是谁签的（它拒绝了端口 8445 上的陌生服务器），却不检查证书上的名字：这就是 check_hostname = False。请保持 check_hostname 开启；create_default_context() 默认就开着它。',
    });
  if (other.handshake)
    return t({
      en: 'Your client verifies no certificate at all — verify_mode = CERT_NONE, ssl._create_unverified_context() or ssl.wrap_socket() do that: it encrypts, but to whoever answers. Use ssl.create_default_context(cafile="ca.pem") and change none of its settings.',
      zh: '你的客户端根本不验证证书——verify_mode = CERT_NONE、ssl._create_unverified_context() 或 ssl.wrap_socket() 都会这样：它加密了，却是对任何一个应答的人加密。请用 ssl.create_default_context(cafile="ca.pem")，并且不要改动它的任何设置。',
    });
  return t({
    en: 'Your client did not verify this certificate. Use ssl.create_default_context(cafile="ca.pem") and change none of its settings.',
    zh: '你的客户端没有验证这张证书。请用 ssl.create_default_context(cafile="ca.pem")，并且不要改动它的任何设置。',
  });
}

function checkRefused(run: RunRecord, t: Translate, kind: keyof typeof IMPOSTORS): CheckOutcome {
  const impostor = IMPOSTORS[kind];
  const visit = visitOf(run, impostor.peer);
  const port = impostor.port;
  const what = t(impostor.what);
  if (!visit.connected)
    return fail(
      t({
        en: `Your client never connected to localhost:${port}, a server ${what}. Connect to it as to the real one — and refuse it: catch ssl.SSLCertVerificationError.${endNote(run, t)}`,
        zh: `你的客户端没有连接 localhost:${port}，${what}。像连接真正的服务器那样连接它——然后拒绝它：捕获 ssl.SSLCertVerificationError。${endNote(run, t)}`,
      }),
    );
  if (visit.failed?.reason === 'not-tls')
    return fail(
      t({
        en: `Your client spoke plain TCP to port ${port}: it sent ${quote(String(visit.failed.data))} in clear text, to a server ${what} — anyone on the path could read it. Wrap the socket with a verifying context first.`,
        zh: `你的客户端对端口 ${port} 说的是普通 TCP：它以明文把 ${quote(String(visit.failed.data))} 发给了一个服务器——${what}，路上的任何人都能读到。请先用会验证证书的上下文包装套接字。`,
      }),
    );
  if (visit.handshake) {
    const sent = visit.received
      ? t({
          en: `, and then sent it ${quote(visit.received)}`,
          zh: `，然后把 ${quote(visit.received)} 发给了它`,
        })
      : '';
    return fail(
      t({
        en: `Your client finished the TLS handshake with port ${port}, a server ${what}${sent}. ${acceptedBy(run, kind, t)}`,
        zh: `你的客户端和端口 ${port} 完成了 TLS 握手——${what}${sent}。${acceptedBy(run, kind, t)}`,
      }),
    );
  }
  if (visit.failed?.reason === 'error' && !visit.received)
    return pass(
      t({
        en: `Your client refused port ${port}, a server ${what}: it closed the connection during the handshake, without a TLS alert (asyncio's streams close that way), and sent nothing.`,
        zh: `你的客户端拒绝了端口 ${port}——${what}：它在握手途中关闭了连接（没有发 TLS 警报，asyncio 的流就是这样关闭的），什么也没发送。`,
      }),
    );
  const alert = visit.failed?.alert;
  if (visit.failed?.reason === 'alert' && alert === impostor.alert)
    return pass(
      t({
        en: `Your client refused port ${port}, a server ${what}: it ended the handshake with the TLS alert ${alert} and sent nothing.`,
        zh: `你的客户端拒绝了端口 ${port}——${what}：它用 TLS 警报 ${alert} 中止了握手，什么也没发送。`,
      }),
    );
  if (alert === 'unknown_ca')
    return fail(
      t({
        en: `Your client refused port ${port} (TLS alert unknown_ca), but not for its name: it trusts no CA of this run, so it refuses the real server just the same. Load ca.pem: ssl.create_default_context(cafile="ca.pem").`,
        zh: `你的客户端拒绝了端口 ${port}（TLS 警报 unknown_ca），但不是因为名字不对：它不信任本次运行的任何 CA，所以连真正的服务器也一样拒绝。请加载 ca.pem：ssl.create_default_context(cafile="ca.pem")。`,
      }),
    );
  if (alert)
    return fail(
      t({
        en: `Your client ended the handshake with port ${port} with the TLS alert ${alert}, where a client that verifies certificates sends ${impostor.alert}.`,
        zh: `你的客户端用 TLS 警报 ${alert} 中止了和端口 ${port} 的握手，而会验证证书的客户端发的是 ${impostor.alert}。`,
      }),
    );
  return fail(
    t({
      en: `Your client connected to port ${port} but never got as far as judging its certificate (no TLS handshake was refused there).${endNote(run, t)}`,
      zh: `你的客户端连上了端口 ${port}，却没有走到判断证书那一步（那里没有一次被拒绝的 TLS 握手）。${endNote(run, t)}`,
    }),
  );
}

/** " (how the server ended)" when it died, for the end of a failure message. */
function serverEnd(run: RunRecord, t: Translate): string {
  const proc = run.processes[SERVER];
  return proc && proc.end !== 'stopped' && proc.exitCode !== 0
    ? t({ en: ' ', zh: '' }) + explainEnd(run, SERVER, t)
    : '';
}

/** Why the checker's handshake with the learner's server failed, from its error. */
function serverHandshakeProblem(run: RunRecord, failed: PeerReport, t: Translate): string {
  const said = (run.processes[SERVER]?.stdout ?? '') + (run.processes[SERVER]?.stderr ?? '');
  if (
    failed.error === 'ERR_SSL_UNEXPECTED_MESSAGE' ||
    failed.error === 'ERR_SSL_WRONG_VERSION_NUMBER'
  )
    return t({
      en: `The checker's TLS handshake got bytes that were not a TLS server's answer: your server speaks plain TCP (an echo server sends the ClientHello straight back). Wrap each accepted connection: context.wrap_socket(conn, server_side=True).${serverEnd(run, t)}`,
      zh: `检查程序的 TLS 握手收到的不是 TLS 服务器的应答：你的服务器说的是普通 TCP（回显服务器会把 ClientHello 原样发回去）。请包装每个接受的连接：context.wrap_socket(conn, server_side=True)。${serverEnd(run, t)}`,
    });
  if (failed.alert === 'handshake_failure' || said.includes('NO_SHARED_CIPHER'))
    return t({
      en: 'Your server ended the handshake with the alert handshake_failure ("no shared cipher"): it has no certificate to show. Load it before serving: context.load_cert_chain(certfile="server.pem", keyfile="server.key").',
      zh: '你的服务器用警报 handshake_failure 中止了握手（“no shared cipher”）：它没有证书可出示。开始服务之前先加载证书：context.load_cert_chain(certfile="server.pem", keyfile="server.key")。',
    });
  if (said.includes('PROTOCOL_TLS_SERVER'))
    return t({
      en: 'Your server wrapped the connection as a client ("Cannot create a client socket with a PROTOCOL_TLS_SERVER context") and closed it. A server answers the ClientHello: context.wrap_socket(conn, server_side=True).',
      zh: '你的服务器把连接当作客户端来包装（“Cannot create a client socket with a PROTOCOL_TLS_SERVER context”），然后关闭了它。服务器要应答 ClientHello：context.wrap_socket(conn, server_side=True)。',
    });
  return t({
    en: `The checker's TLS handshake with your server failed: ${String(failed.error)} (${String(failed.message)}).${serverEnd(run, t)}`,
    zh: `检查程序和你的服务器的 TLS 握手失败了：${String(failed.error)}（${String(failed.message)}）。${serverEnd(run, t)}`,
  });
}

function checkServer(run: RunRecord, t: Translate): CheckOutcome {
  if (
    reportsOf(run, CHECKER, 'connect-failed').length > 0 ||
    !reportsOf(run, CHECKER, 'connected')[0]
  )
    return fail(
      t({
        en: `The checker could not connect to 127.0.0.1:${SERVER_PORT}: nothing listened there.${serverEnd(run, t)}`,
        zh: `检查程序连不上 127.0.0.1:${SERVER_PORT}：那里没有程序在监听。${serverEnd(run, t)}`,
      }),
    );
  const failed = reportsOf(run, CHECKER, 'handshake-failed')[0];
  if (failed) return fail(serverHandshakeProblem(run, failed, t));
  const mismatch = reportsOf(run, CHECKER, 'reply-mismatch')[0];
  const matched = reportsOf(run, CHECKER, 'reply-matched').length;
  if (!mismatch && matched === SERVER_LINES.length)
    return pass(
      t({
        en: `The checker trusted only ca.pem, asked for localhost, and your server proved it was localhost; it echoed all ${matched} lines over TLS.`,
        zh: `检查程序只信任 ca.pem，要找的是 localhost，而你的服务器证明了自己就是 localhost；它通过 TLS 回显了全部 ${matched} 行。`,
      }),
    );
  const expected = quote(String(mismatch?.expected ?? ''));
  if (mismatch && !mismatch.got)
    return fail(
      t({
        en: `The handshake worked, but the checker's line ${expected} never came back (${matched} of ${SERVER_LINES.length} echoed): read and echo in a loop until recv() returns b"", not once.${serverEnd(run, t)}`,
        zh: `握手成功了，但检查程序发的 ${expected} 一直没有回来（${SERVER_LINES.length} 行中回显了 ${matched} 行）：要循环地读取并回显，直到 recv() 返回 b""，而不是只读一次。${serverEnd(run, t)}`,
      }),
    );
  return fail(
    t({
      en: `The checker sent ${expected} but got ${quote(String(mismatch?.got ?? ''))} back: echo the bytes exactly as they came.${serverEnd(run, t)}`,
      zh: `检查程序发送了 ${expected}，收回来的却是 ${quote(String(mismatch?.got ?? ''))}：请把收到的字节原样发回。${serverEnd(run, t)}`,
    }),
  );
}

const tlsServer = (name: string, port: number, certificate: string) => ({
  peer: 'tls-server' as const,
  name,
  port,
  options: {
    certificate: certificate as 'trusted' | 'wrong-host' | 'untrusted',
    reply: '{token} {zh}，{word}\n',
    chunkBytes: CHUNK_BYTES,
  },
});

export default defineLesson({
  processes: [
    tlsServer(BANK, BANK_PORT, 'trusted'),
    tlsServer(IMPOSTOR, IMPOSTOR_PORT, 'wrong-host'),
    tlsServer(STRANGER, STRANGER_PORT, 'untrusted'),
    { file: SERVER },
    {
      peer: 'tls-client',
      name: CHECKER,
      port: SERVER_PORT,
      options: { lines: SERVER_LINES },
    },
    { file: FILE },
  ],
  limits: { wallSeconds: 5 },
  checks: [
    {
      id: 'printed-reply',
      title: {
        en: 'You printed the real server’s whole reply',
        zh: '你打印出了真正服务器的完整回复',
      },
      run: checkReply,
    },
    {
      id: 'sent-sni',
      title: {
        en: 'Your ClientHello named localhost (SNI)',
        zh: '你的 ClientHello 带上了 localhost（SNI）',
      },
      run: checkSni,
    },
    {
      id: 'refused-wrong-host',
      title: {
        en: 'You refused the certificate made out to another name',
        zh: '你拒绝了开给别的名字的证书',
      },
      run: (run, t) => checkRefused(run, t, 'wrong-host'),
    },
    {
      id: 'refused-untrusted',
      title: {
        en: 'You refused the certificate from an unknown CA',
        zh: '你拒绝了由未知 CA 签发的证书',
      },
      run: (run, t) => checkRefused(run, t, 'untrusted'),
    },
    {
      id: 'server-echoed-over-tls',
      title: {
        en: 'Your TLS server proved it was localhost and echoed every line',
        zh: '你的 TLS 服务器证明了自己是 localhost，并回显了每一行',
      },
      run: checkServer,
    },
    {
      id: 'client-finished',
      title: { en: 'Your client finished without an error', zh: '你的客户端正常结束，没有报错' },
      run: (run, t) => processFinished(run, FILE, t),
    },
  ],
});
