import {
  crowdOf,
  defineLesson,
  fail,
  pass,
  serverClosedEach,
  withEnd,
  type CheckOutcome,
  type PeerReport,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

const SERVER = 'server.py';
const CROWD = 'crowd';
const PORT = 8080;
/** Normal connections, opened all at once once the stalled ones are open. */
const CONNECTIONS = 24;
/** Connections opened first that send 3 bytes and then nothing until the end of the run. */
const STALLED: number = 1;
/**
 * What each normal connection sends, one line at a time: new text on every connection, the
 * middle one a long line of Chinese (about 2 KB of multibyte UTF-8).
 */
const LINES = ['{word} {zh}', '{zh}'.repeat(240), '{token}'];
/**
 * The last normal connection, once the others are over, also sends one line of 8 MiB whole
 * before reading its echo: more than loopback's socket buffers (about 4 MiB) hold, so the
 * server's send() takes only part. Its packets fill the capture, so its close is not judged.
 */
const BULK_BYTES = 8 * 1024 * 1024;
/** Lines the normal connections get back: the last also its bulk line. */
const LINES_BACK = CONNECTIONS * LINES.length + 1;
/** How long the crowd waits for each echo: a served connection needs a few milliseconds. */
const REPLY_TIMEOUT_MS = 2000;
/** How long after the client's FIN the server's may come. */
const CLOSE_WITHIN_MS = 500;

const quote = (text: string): string => JSON.stringify(text);
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Bytes the echo in `miss` brought and was to bring (a bulk line reports counts, not text). */
function echoBytes(miss: PeerReport): { got: number; expected: number } {
  if (typeof miss.expectedBytes === 'number')
    return { got: Number(miss.bytes ?? 0), expected: miss.expectedBytes };
  return { got: bytes(String(miss.got ?? '')), expected: bytes(String(miss.expected ?? '')) };
}

/** Why the crowd's connection in `miss` got a wrong echo. */
function describeMismatch(t: Translate, miss: PeerReport): string {
  const k = Number(miss.connection);
  const expected = String(miss.expected ?? '');
  const got = String(miss.got ?? '');
  const size = echoBytes(miss);
  if (size.got < size.expected && (miss.expectedBytes !== undefined || expected.startsWith(got)))
    return t({
      en: `Connection ${k} sent a line of ${size.expected} bytes, and your server sent only ${size.got} of the ${size.expected} bytes of the echo: a non-blocking send() takes what fits in the socket's buffer and returns how much that was; keep the rest and send it when the socket is writable.`,
      zh: `第 ${k} 个连接发送了 ${size.expected} 字节的一行，你的服务器却只发回了回显的 ${size.expected} 字节中的 ${size.got} 字节：非阻塞的 send() 只接收套接字缓冲区放得下的部分，并返回接收了多少；把剩下的保存起来，等套接字可写时再发。`,
    });
  return t({
    en: `Connection ${k} sent ${quote(expected)} and your server answered ${quote(got)}: send back exactly what each client sent.`,
    zh: `第 ${k} 个连接发送了 ${quote(expected)}，你的服务器却回复了 ${quote(got)}：每个客户端发来什么，就原样发回什么。`,
  });
}

/** Why connection `k` waited for an echo in vain. */
function describeTimeout(run: RunRecord, t: Translate, k: number): string {
  const answered = crowdOf(run).normal('reply-matched').length;
  if (answered === 0)
    return t({
      en: `Connection ${k} sent its line and waited ${REPLY_TIMEOUT_MS / 1000} s for the echo in vain, like every other connection: your server was still waiting on the first, stalled connection.`,
      zh: `第 ${k} 个连接发出了它的一行，白白等了 ${REPLY_TIMEOUT_MS / 1000} 秒也没等到回显，其他连接也都一样：你的服务器还在等第一个、停住的连接。`,
    });
  return t({
    en: `Connection ${k} sent a line and got no echo within ${REPLY_TIMEOUT_MS / 1000} s, while other connections were answered: your loop stopped coming back to it. Is it waiting somewhere other than select() — a blocking accept() at the top of the loop, a recv() or sendall() on one socket?`,
    zh: `第 ${k} 个连接发出一行之后，${REPLY_TIMEOUT_MS / 1000} 秒内没有收到回显，而别的连接得到了回复：你的循环不再回来处理它了。它是不是在 select() 以外的地方等待——循环开头一个阻塞的 accept()，或者某个套接字上的 recv()、sendall()？`,
  });
}

/** Which connection the server closed before echoing all its lines, said for the learner. */
function closedEarly(run: RunRecord, t: Translate): string | undefined {
  const crowd = crowdOf(run);
  const closed = crowd
    .normal('closed')
    .find((r) => r.by === 'server' && crowd.matchedOn(Number(r.connection)) < LINES.length);
  if (!closed) return undefined;
  const k = Number(closed.connection);
  const how =
    closed.state === 'reset' ? t({ en: 'reset', zh: '重置' }) : t({ en: 'closed', zh: '关闭' });
  return t({
    en: `Your server ${how} connection ${k} after echoing ${crowd.matchedOn(k)} of its ${LINES.length} lines: the client sends them one at a time, each after the previous came back, so a connection is done only when recv() returns b''.`,
    zh: `你的服务器只回显了第 ${k} 个连接 ${LINES.length} 行中的 ${crowd.matchedOn(k)} 行，就把它${how}了：客户端是一行一行发的，上一行回来了才发下一行，所以只有 recv() 返回 b'' 时，这个连接才算结束。`,
  });
}

function checkAnswered(run: RunRecord, t: Translate): CheckOutcome {
  const details = run.processes[`peer:${CROWD}`]?.stdout;
  const crowd = crowdOf(run);
  const miss = crowd.normal('reply-mismatch')[0];
  if (miss) return fail(withEnd(run, t, SERVER, describeMismatch(t, miss)), details);
  const late = crowd.normal('timeout').find((r) => r.phase !== 'close');
  if (late)
    return fail(withEnd(run, t, SERVER, describeTimeout(run, t, Number(late.connection))), details);
  const early = closedEarly(run, t);
  if (early) return fail(withEnd(run, t, SERVER, early), details);
  const matched = crowd.normal('reply-matched').length;
  if (matched < LINES_BACK)
    return fail(
      withEnd(
        run,
        t,
        SERVER,
        t({
          en: `Only ${matched} of the ${LINES_BACK} lines (${LINES.length} on each of ${CONNECTIONS} connections, and one long line on the last) came back.`,
          zh: `${CONNECTIONS} 个连接、每个 ${LINES.length} 行，再加最后一个连接上的一个长行，共 ${LINES_BACK} 行，只回来了 ${matched} 行。`,
        }),
      ),
      details,
    );
  return pass(
    t({
      en: `All ${CONNECTIONS} connections got each of their ${LINES.length} lines back, and the last also its line of ${BULK_BYTES} bytes.`,
      zh: `全部 ${CONNECTIONS} 个连接都收回了各自的 ${LINES.length} 行，最后一个连接还收回了它那 ${BULK_BYTES} 字节的一行。`,
    }),
  );
}

function checkWhileStalled(run: RunRecord, t: Translate): CheckOutcome {
  const done = crowdOf(run).done;
  if (!done)
    return fail(
      withEnd(
        run,
        t,
        SERVER,
        t({
          en: 'The crowd did not get to finish its connections before the run ended.',
          zh: '运行结束之前，人群没能完成它的全部连接。',
        }),
      ),
    );
  const whileStalled = Number(done.servedWhileStalled ?? 0);
  if (whileStalled === CONNECTIONS)
    return pass(
      t({
        en: `All ${CONNECTIONS} connections were answered while the stalled ${STALLED === 1 ? 'connection was' : `connections were`} still open (at most ${String(done.maxInFlight)} waited for an echo at the same moment).`,
        zh: `在 ${STALLED} 个停住的连接仍然开着的时候，全部 ${CONNECTIONS} 个连接都得到了回复（同一时刻最多有 ${String(done.maxInFlight)} 个在等回显）。`,
      }),
    );
  if (whileStalled === 0)
    return fail(
      t({
        en: `None of the ${CONNECTIONS} connections was answered while the stalled client held its connection open: it connected first, sent 3 bytes and then nothing, and your server waited in its recv() while everyone else queued behind it. A server that serves one connection at a time is blocked by one slow client: make every socket non-blocking and let one selector tell your loop which ones are ready.`,
        zh: `在那个停住的客户端占着连接的时候，${CONNECTIONS} 个连接一个都没有得到回复：它最先连上，发了 3 个字节就不再发了，你的服务器就在它的 recv() 里一直等，其他所有人都排在后面。一次只服务一个连接的服务器，会被一个慢客户端挡住：把每个套接字都设为非阻塞，让一个选择器告诉你的循环哪些套接字已经就绪。`,
      }),
    );
  const served = Number(done.served ?? 0);
  if (served < CONNECTIONS)
    return fail(
      t({
        en: `Only ${served} of the ${CONNECTIONS} connections were served in full (every line back, then closed by your server), ${whileStalled} of them while the stalled client held its connection open: see the other checks for what went wrong with the rest.`,
        zh: `${CONNECTIONS} 个连接中只有 ${served} 个得到了完整的服务（每一行都收回，然后由你的服务器关闭），其中 ${whileStalled} 个是在停住的客户端占着连接时完成的：其余连接出了什么问题，请看其他几项检查。`,
      }),
    );
  return fail(
    t({
      en: `Only ${whileStalled} of the ${CONNECTIONS} connections were answered while the stalled ones were open: your loop still waits somewhere (a blocking accept(), recv() or sendall()): wait only in select().`,
      zh: `在停住的连接开着的时候，${CONNECTIONS} 个连接中只有 ${whileStalled} 个得到了回复：你的循环仍在某个地方等待（阻塞的 accept()、recv() 或 sendall()）：只在 select() 里等待。`,
    }),
  );
}

function checkClosed(run: RunRecord, t: Translate): CheckOutcome {
  return serverClosedEach(run, t, {
    server: SERVER,
    port: PORT,
    withinMs: CLOSE_WITHIN_MS,
    advice: {
      en: "when recv() returns b'' and everything is sent, unregister the socket and close it",
      zh: "recv() 返回 b''、而且数据都发完之后，就注销这个套接字并关闭它",
    },
  });
}

export default defineLesson({
  processes: [
    { file: SERVER },
    {
      peer: 'tcp-crowd',
      name: CROWD,
      port: PORT,
      options: {
        connections: CONNECTIONS,
        stalled: STALLED,
        lines: LINES,
        halfClose: true,
        bulkBytes: BULK_BYTES,
        replyTimeoutMs: REPLY_TIMEOUT_MS,
      },
    },
  ],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'every-connection-answered',
      title: { en: 'Every connection got its lines back', zh: '每个连接都收回了自己的各行' },
      run: checkAnswered,
    },
    {
      id: 'served-while-stalled',
      title: {
        en: 'Served the others while a client stalled',
        zh: '有客户端停住时，照样服务其他客户端',
      },
      run: checkWhileStalled,
    },
    {
      id: 'closed-each-connection',
      title: { en: 'Each connection was closed by the server', zh: '每个连接都由服务器关闭' },
      run: checkClosed,
    },
  ],
});
