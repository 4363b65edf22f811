import {
  crowdOf,
  defineLesson,
  fail,
  lastException,
  pass,
  serverClosedEach,
  stdoutLines,
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
const STALLED: number = 2;
/** What each normal connection sends, one line at a time: new text on every connection. */
const LINES = ['{word} {token}', '{zh}，{word} {number}', '{token} {zh}'];
/** How long the crowd waits for each echo: a served connection needs a few milliseconds. */
const REPLY_TIMEOUT_MS = 2000;
/** How long after the client's FIN the server's may come. */
const CLOSE_WITHIN_MS = 500;

const quote = (text: string): string => JSON.stringify(text);
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Why the crowd's connection in `miss` got a wrong echo. */
function describeMismatch(t: Translate, miss: PeerReport): string {
  const k = Number(miss.connection);
  const expected = String(miss.expected ?? '');
  const got = String(miss.got ?? '');
  if (got !== '' && expected.startsWith(got))
    return t({
      en: `Connection ${k} sent ${quote(expected)} and got back only its first ${bytes(got)} of ${bytes(expected)} bytes before your server stopped answering: keep calling recv() and sendall() until recv() returns b''.`,
      zh: `第 ${k} 个连接发送了 ${quote(expected)}，只收回了 ${bytes(expected)} 字节中的前 ${bytes(got)} 字节，你的服务器就不再回复了：要一直调用 recv() 和 sendall()，直到 recv() 返回 b''。`,
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
      en: `Connection ${k} sent its line and waited ${REPLY_TIMEOUT_MS / 1000} s for the echo in vain, like every other connection: your server was still inside the first, stalled connection.`,
      zh: `第 ${k} 个连接发出了它的一行，白白等了 ${REPLY_TIMEOUT_MS / 1000} 秒也没等到回显，其他连接也都一样：你的服务器还困在第一个、停住的连接里。`,
    });
  return t({
    en: `Connection ${k} sent a line and got no echo within ${REPLY_TIMEOUT_MS / 1000} s.`,
    zh: `第 ${k} 个连接发出一行之后，${REPLY_TIMEOUT_MS / 1000} 秒内没有收到回显。`,
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
    en: `Your server ${how} connection ${k} after echoing ${crowd.matchedOn(k)} of its ${LINES.length} lines: the client sends them one at a time, each after the previous came back, so one recv() holds only the first. Keep calling recv() and sendall() until recv() returns b''.`,
    zh: `你的服务器只回显了第 ${k} 个连接 ${LINES.length} 行中的 ${crowd.matchedOn(k)} 行，就把它${how}了：客户端是一行一行发的，上一行回来了才发下一行，所以一次 recv() 只拿到第一行。要一直调用 recv() 和 sendall()，直到 recv() 返回 b''。`,
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
  if (matched < CONNECTIONS * LINES.length)
    return fail(
      withEnd(
        run,
        t,
        SERVER,
        t({
          en: `Only ${matched} of the ${CONNECTIONS * LINES.length} lines (${LINES.length} on each of ${CONNECTIONS} connections) came back.`,
          zh: `${CONNECTIONS} 个连接、每个 ${LINES.length} 行，共 ${CONNECTIONS * LINES.length} 行，只回来了 ${matched} 行。`,
        }),
      ),
      details,
    );
  return pass(
    t({
      en: `All ${CONNECTIONS} connections got each of their ${LINES.length} lines back.`,
      zh: `全部 ${CONNECTIONS} 个连接都收回了各自的 ${LINES.length} 行。`,
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
        en: `None of the ${CONNECTIONS} connections was answered while the stalled client held its connection open: it connected first, sent 3 bytes and then nothing, and your server waited in its recv() while everyone else queued behind it. A server that serves one connection at a time is blocked by one slow client: serve each connection in its own thread (and do not join() it in the accept loop).`,
        zh: `在那个停住的客户端占着连接的时候，${CONNECTIONS} 个连接一个都没有得到回复：它最先连上，发了 3 个字节就不再发了，你的服务器就在它的 recv() 里一直等，其他所有人都排在后面。一次只服务一个连接的服务器，会被一个慢客户端挡住：把每个连接放到自己的线程里（而且不要在 accept 循环里 join() 它）。`,
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
      en: `Only ${whileStalled} of the ${CONNECTIONS} connections were answered while the stalled ones were open: every connection needs its own thread, so none waits for another.`,
      zh: `在停住的连接开着的时候，${CONNECTIONS} 个连接中只有 ${whileStalled} 个得到了回复：每个连接都需要自己的线程，这样谁也不用等谁。`,
    }),
  );
}

/** True when `line` holds `n` as a whole number (not part of a longer one). */
const holdsNumber = (line: string, n: number): boolean =>
  new RegExp(`(?<!\\d)${n}(?!\\d)`).test(line);

function checkCounted(run: RunRecord, t: Translate): CheckOutcome {
  const total = crowdOf(run)
    .normal('sent')
    .reduce((sum, r) => sum + bytes(String(r.data ?? '')), 0);
  const lines = stdoutLines(run, SERVER);
  // When the crowd closes its stalled connections at the end, a server may count them too:
  // each is one more connection and the 3 bytes it sent.
  const counts = Array.from({ length: STALLED + 1 }, (_, s) => [CONNECTIONS + s, total + 3 * s]);
  const counted = (line: string) =>
    counts.some(([n, b]) => holdsNumber(line, n!) && holdsNumber(line, b!));
  if (lines.some(counted))
    return pass(
      t({
        en: `Your server printed ${CONNECTIONS} connections and ${total} bytes: exactly what the crowd's connections sent this run.`,
        zh: `你的服务器打印出了 ${CONNECTIONS} 个连接和 ${total} 字节：正是这次运行里人群的各个连接发送的量。`,
      }),
    );
  const error = lastException(run, SERVER);
  if (error)
    return fail(
      t({
        en: `No line of your server's output holds ${CONNECTIONS} and ${total}: its threads raised ${error}.${error.startsWith('UnboundLocalError') ? ' A function that assigns a module-level variable needs `global` for it.' : ''}`,
        zh: `你的服务器的输出里没有一行同时包含 ${CONNECTIONS} 和 ${total}：它的线程抛出了 ${error}。${error.startsWith('UnboundLocalError') ? '函数里要给模块级变量赋值，就得先用 `global` 声明它。' : ''}`,
      }),
    );
  const last = [...lines].reverse().find((line) => /\d/.test(line));
  return fail(
    t({
      en: `The crowd's ${CONNECTIONS} connections sent ${total} bytes in all this run; no line of your server's output holds both ${CONNECTIONS} and ${total}. ${last ? `Its last line with a number: ${quote(last)}.` : 'It printed no number at all.'} After each connection, add 1 and its byte count to counters shared by all threads, under a Lock, and print both.`,
      zh: `这次运行里，人群的 ${CONNECTIONS} 个连接一共发送了 ${total} 字节；你的服务器的输出里没有一行同时包含 ${CONNECTIONS} 和 ${total}。${last ? `它最后一行带数字的输出是：${quote(last)}。` : '它一个数字也没有打印。'}每服务完一个连接，就在锁内把 1 和它的字节数加到所有线程共享的计数器上，并把两者都打印出来。`,
    }),
  );
}

function checkClosed(run: RunRecord, t: Translate): CheckOutcome {
  return serverClosedEach(run, t, {
    server: SERVER,
    port: PORT,
    withinMs: CLOSE_WITHIN_MS,
    advice: {
      en: "when recv() returns b'', close the connection (with conn: …)",
      zh: "recv() 返回 b'' 时就关闭连接（with conn: …）",
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
      id: 'counted-every-connection',
      title: {
        en: 'Counted every connection and byte, over all threads',
        zh: '在所有线程之间数对了连接数和字节数',
      },
      run: checkCounted,
    },
    {
      id: 'closed-each-connection',
      title: { en: 'Each connection was closed by the server', zh: '每个连接都由服务器关闭' },
      run: checkClosed,
    },
  ],
});
