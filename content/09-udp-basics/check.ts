import {
  datagrams,
  defineLesson,
  explainEnd,
  fail,
  noCapture,
  pass,
  reportsOf,
  type CheckOutcome,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

const PORT = 9000;
const SERVER = 'server.py';
const CLIENT = 'client';
/** recvfrom(1024), the seed's buffer: a datagram longer than this is cut short by it. */
const SEED_BUFFER = 1024;
/** A datagram longer than the seed's buffer even with the shortest {zh}: 200 × 2 × 3 bytes. */
const LONG = `{word} ${'{zh}'.repeat(200)} {word}`;
const LINES = ['{word}', '{word} {token}', '{zh}', '{number} {word} {zh}', LONG, '{token}'];

/** One datagram the client sent, numbered from 1, and the reply it got (if any). */
interface Exchange {
  number: number;
  sent: string;
  bytes: number;
  reply?: string;
}

const byteLength = (text: string): number => new TextEncoder().encode(text).length;
const quoted = (text: string, max = 40): string =>
  JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

/** The client's datagrams in order, each with the reply that came before its time ran out. */
function exchanges(run: RunRecord): Exchange[] {
  const list: Exchange[] = [];
  for (const report of reportsOf(run, CLIENT)) {
    const data = String(report.data ?? '');
    const last = list.at(-1);
    if (report.event === 'sent') {
      list.push({ number: list.length + 1, sent: data, bytes: byteLength(data) });
    } else if (report.event === 'received' && last && last.reply === undefined) {
      last.reply = data;
    }
  }
  return list;
}

/** What the server should have answered to `exchange`: its number and its text in capitals. */
function replyIsRight(exchange: Exchange): boolean {
  const upper = exchange.sent.toUpperCase();
  const reply = exchange.reply ?? '';
  if (!reply.includes(upper)) return false;
  const rest = reply.replace(upper, ' ');
  return new RegExp(`(^|\\D)${exchange.number}(\\D|$)`).test(rest);
}

/** Says that the client stopped because its datagram was refused, when it was. */
function refusedNote(run: RunRecord, lang: 'en' | 'zh'): string {
  if (reportsOf(run, CLIENT, 'refused').length === 0) return '';
  return lang === 'en'
    ? ` The client's socket then got an ICMP "port unreachable" (no UDP socket was bound to port ${PORT} at that moment) and stopped sending.`
    : `随后客户端的套接字收到 ICMP“端口不可达”（那时 ${PORT} 端口上没有绑定任何 UDP 套接字），于是停止发送。`;
}

/** Why the server stopped answering, from how it ended and where its replies went. */
function whyUnanswered(run: RunRecord, answered: number, t: Translate): string {
  const server = run.processes[SERVER];
  if (server && server.end === 'exited' && server.exitCode === 0) {
    return t({
      en: `server.py exited after answering ${answered} datagram(s). A UDP server never learns that a client is done: call recvfrom() in a loop (while True:) and let the run stop it.`,
      zh: `server.py 回复了 ${answered} 个数据报之后就退出了。UDP 服务器无从得知客户端是否发完：用循环（while True:）反复调用 recvfrom()，由运行结束时把它停掉。`,
    });
  }
  if (server && server.end !== 'stopped') return explainEnd(run, SERVER, t);
  const strayFrom = strayReplyPort(run);
  if (strayFrom !== undefined) {
    return t({
      en: `Your replies left from port ${strayFrom}, not from ${PORT}: you sent them from a new socket. The client connect()ed to port ${PORT}, so its kernel drops datagrams from any other port: reply with the socket the datagram came in on.`,
      zh: `你的回复是从端口 ${strayFrom} 而不是 ${PORT} 发出的：你用了一个新套接字来发送。客户端对 ${PORT} 调用了 connect()，它的内核会丢弃来自其他端口的数据报：请用收到数据报的那个套接字回复。`,
    });
  }
  const misplaced = misplacedReplies(run);
  if (misplaced) {
    return t({
      en: `Your replies went to port ${misplaced.sentTo}, but the client's port was ${misplaced.client}: send each reply to the address recvfrom() returned with the datagram.`,
      zh: `你的回复发到了端口 ${misplaced.sentTo}，而客户端的端口是 ${misplaced.client}：把回复发到 recvfrom() 随数据报一起返回的那个地址。`,
    });
  }
  if (reportsOf(run, CLIENT, 'refused').length > 0) {
    return t({
      en: `server.py kept running, but no UDP socket was bound to port ${PORT}: create it with socket.socket(socket.AF_INET, socket.SOCK_DGRAM), then bind(("127.0.0.1", ${PORT})).`,
      zh: `server.py 一直在运行，但 ${PORT} 端口上没有绑定 UDP 套接字：用 socket.socket(socket.AF_INET, socket.SOCK_DGRAM) 创建它，再 bind(("127.0.0.1", ${PORT}))。`,
    });
  }
  return t({
    en: 'server.py kept running but sent no reply to the client: answer each datagram with sendto(reply, addr), addr being what recvfrom() returned.',
    zh: 'server.py 一直在运行，却没有回复客户端：对每个数据报调用 sendto(reply, addr)，addr 是 recvfrom() 返回的地址。',
  });
}

/** The client's port and a port the server's datagrams went to instead, if they went astray. */
function misplacedReplies(run: RunRecord): { client: number; sentTo: number } | undefined {
  const client = datagrams(run, { to: PORT })[0]?.sport;
  if (client === undefined) return undefined;
  const astray = datagrams(run, { from: PORT }).find((packet) => packet.dport !== client);
  return astray?.dport === undefined ? undefined : { client, sentTo: astray.dport };
}

/** The port a reply to the client left from when it was not the server's port. */
function strayReplyPort(run: RunRecord): number | undefined {
  const client = datagrams(run, { to: PORT })[0]?.sport;
  if (client === undefined) return undefined;
  return datagrams(run, { to: client }).find((packet) => packet.sport !== PORT)?.sport;
}

/** The first answered datagram whose reply does not show it was read, explained. */
function wrongReply(exchange: Exchange, t: Translate): CheckOutcome {
  const expected = `${exchange.number} ${exchange.sent.toUpperCase()}`;
  const base = t({
    en: `Datagram ${exchange.number} was ${quoted(exchange.sent)} (${exchange.bytes} bytes): the reply should hold its number ${exchange.number} and its text in capitals, like ${quoted(expected)}, but it was ${quoted(exchange.reply ?? '')} (${byteLength(exchange.reply ?? '')} bytes).`,
    zh: `第 ${exchange.number} 个数据报是 ${quoted(exchange.sent)}（${exchange.bytes} 字节）：回复里应当有它的序号 ${exchange.number} 和转成大写的文本，比如 ${quoted(expected)}，实际回复是 ${quoted(exchange.reply ?? '')}（${byteLength(exchange.reply ?? '')} 字节）。`,
  });
  if (exchange.bytes <= SEED_BUFFER) return fail(base);
  return fail(
    `${base}${t({ en: ' ', zh: '' })}${t({
      en: `This datagram was longer than ${SEED_BUFFER} bytes: recvfrom(n) returns at most n bytes of a datagram and throws the rest away. Use recvfrom(65535), the largest a UDP datagram can be.`,
      zh: `这个数据报超过了 ${SEED_BUFFER} 字节：recvfrom(n) 最多返回一个数据报的前 n 个字节，其余部分直接丢弃。请用 recvfrom(65535)，这是 UDP 数据报可能的最大长度。`,
    })}`,
  );
}

/** Fails when the client sent nothing (the peer could not run); null otherwise. */
function nothingSent(list: Exchange[], t: Translate): CheckOutcome | null {
  if (list.length > 0) return null;
  return fail(
    t({
      en: 'The test client sent no datagram, so there is nothing to judge. Run it again.',
      zh: '测试客户端没有发出任何数据报，无从判断。请再运行一次。',
    }),
  );
}

export default defineLesson({
  processes: [
    { file: SERVER },
    {
      peer: 'udp-client',
      name: CLIENT,
      port: PORT,
      options: {
        // Per-run text: a server that answers a constant cannot match it. The long one is
        // longer than the seed's recvfrom(1024); {zh} is multibyte, so a cut can split a character.
        lines: LINES,
        replyTimeoutMs: 500,
      },
    },
  ],
  limits: { wallSeconds: 10 },
  checks: [
    {
      id: 'every-datagram-answered',
      title: { en: 'Every datagram got a reply', zh: '每个数据报都得到了回复' },
      run: (run, t) => {
        const list = exchanges(run);
        const none = nothingSent(list, t);
        if (none) return none;
        const missing = list.find((exchange) => exchange.reply === undefined);
        if (!missing) {
          return pass(
            t({
              en: `All ${list.length} datagrams were answered.`,
              zh: `${list.length} 个数据报都得到了回复。`,
            }),
          );
        }
        const answered = list.filter((exchange) => exchange.reply !== undefined).length;
        return fail(
          `${t({
            en: `Datagram ${missing.number} of ${LINES.length} (${quoted(missing.sent)}) got no reply.${refusedNote(run, 'en')}`,
            zh: `${LINES.length} 个数据报中的第 ${missing.number} 个（${quoted(missing.sent)}）没有得到回复。${refusedNote(run, 'zh')}`,
          })}${t({ en: ' ', zh: '' })}${whyUnanswered(run, answered, t)}`,
        );
      },
    },
    {
      id: 'replies-show-each-datagram-read',
      title: {
        en: 'Each reply holds its datagram’s number and text in capitals',
        zh: '每个回复都带有该数据报的序号和大写文本',
      },
      run: (run, t) => {
        const list = exchanges(run);
        const none = nothingSent(list, t);
        if (none) return none;
        const answered = list.filter((exchange) => exchange.reply !== undefined);
        if (answered.length === 0) {
          return fail(t({ en: 'No datagram was answered.', zh: '没有一个数据报得到回复。' }));
        }
        const wrong = answered.find((exchange) => !replyIsRight(exchange));
        if (wrong) return wrongReply(wrong, t);
        return pass(
          t({
            en: `All ${answered.length} replies match what was sent, the longest datagram (${Math.max(...answered.map((e) => e.bytes))} bytes) included.`,
            zh: `${answered.length} 个回复都与发送的内容一致，包括最长的那个数据报（${Math.max(...answered.map((e) => e.bytes))} 字节）。`,
          }),
        );
      },
    },
    {
      id: 'replies-from-server-port',
      title: {
        en: 'The replies left from port 9000 to the client’s own port',
        zh: '回复从 9000 端口发回客户端自己的端口',
      },
      run: (run, t) => {
        const missing = noCapture(run, t);
        if (missing) return missing;
        const requests = datagrams(run, { to: PORT });
        const client = requests[0]?.sport;
        if (client === undefined) {
          return fail(
            t({
              en: `No datagram reached port ${PORT} on the wire.`,
              zh: `抓包中没有任何数据报到达 ${PORT} 端口。`,
            }),
          );
        }
        const replies = datagrams(run, { to: client });
        if (strayReplyPort(run) !== undefined || replies.length === 0) {
          return fail(whyUnanswered(run, 0, t));
        }
        return pass(
          t({
            en: `${requests.length} datagram(s) came from the client's port ${client}, a port the kernel picked for it (the client never called bind()), and ${replies.length} reply(ies) went back from ${PORT} to ${client}.`,
            zh: `${requests.length} 个数据报来自客户端的端口 ${client}，这是内核为它挑选的端口（客户端从未调用 bind()）；${replies.length} 个回复从 ${PORT} 发回到 ${client}。`,
          }),
        );
      },
    },
  ],
});
