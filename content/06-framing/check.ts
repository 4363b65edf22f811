import {
  defineLesson,
  explainEnd,
  fail,
  lastException,
  pass,
  printedLine,
  processFinished,
  reportsOf,
  type CheckOutcome,
  type RunRecord,
  type Translate,
} from '@handshake/lesson';

const PORT = 8080; // the chunking proxy the client talks to
const FRAMER_PORT = 8081;
const CLIENT = 'client.py';
const FRAMER = 'framer';
const CHUNK_BYTES = 3;

/** The messages the framer sent this run (each drawn anew from the run's seed), in order. */
const sentMessages = (run: RunRecord): string[] =>
  reportsOf(run, FRAMER, 'sent').map((report) => String(report.data));

/** What the client's reply to `message` must be: its characters in reverse order. */
const reversed = (message: string): string => [...message].reverse().join('');

/** True when client.py ended by itself with exit code 0. */
const finished = (run: RunRecord): boolean => {
  const client = run.processes[CLIENT];
  return client?.end === 'exited' && client.exitCode === 0;
};

/** The reading mistake behind the client's crash, named, or undefined for another ending. */
function readingMistake(run: RunRecord, t: Translate): string | undefined {
  const error = lastException(run, CLIENT) ?? '';
  if (error.startsWith('struct.error')) {
    return t({
      en: `Your client stopped with ${error}: recv(4) returned fewer than 4 bytes. recv(n) returns at most n bytes, and here the proxy delivers ${CHUNK_BYTES} at a time. Loop until you have all 4 header bytes, then all the payload bytes.`,
      zh: `你的客户端以 ${error} 结束：recv(4) 返回的不足 4 个字节。recv(n) 最多返回 n 个字节，而这里的代理每次只递送 ${CHUNK_BYTES} 个。请循环读取，直到凑齐 4 个字节的头部，再凑齐全部内容字节。`,
    });
  }
  if (error.startsWith('UnicodeDecodeError')) {
    return t({
      en: `Your client stopped with ${error}: it decoded a chunk that ended in the middle of a character (a Chinese character is 3 bytes in UTF-8, and the proxy cuts every ${CHUNK_BYTES}). Collect the message's bytes first, and decode once it is whole.`,
      zh: `你的客户端以 ${error} 结束：它解码的那一块数据在某个字符的中间断开了（一个汉字在 UTF-8 里占 3 个字节，而代理每 ${CHUNK_BYTES} 个字节切一刀）。先把整条消息的字节收齐，再一次性解码。`,
    });
  }
  const client = run.processes[CLIENT];
  if (client && client.end !== 'exited') {
    return t({
      en: `${explainEnd(run, CLIENT, t)} If it was waiting for a newline: length-prefixed messages have none. Read the 4-byte length, then exactly that many bytes.`,
      zh: `${explainEnd(run, CLIENT, t)} 如果它在等换行符：带长度前缀的消息里没有换行符。先读 4 个字节的长度，再恰好读那么多字节。`,
    });
  }
  return undefined;
}

/** Every message the framer sent is on a line of the client's output. */
function printedEveryMessage(run: RunRecord, t: Translate): CheckOutcome {
  const messages = sentMessages(run);
  if (messages.length === 0) {
    return fail(
      t({
        en: `The server sent no messages: your client never connected to 127.0.0.1:${PORT}. ${explainEnd(run, CLIENT, t)}`,
        zh: `服务器一条消息也没发出：你的客户端从未连接 127.0.0.1:${PORT}。${explainEnd(run, CLIENT, t)}`,
      }),
    );
  }
  const stdout = run.processes[CLIENT]?.stdout || undefined;
  const missing = messages.findIndex((message) => !printedLine(run, CLIENT, message));
  if (missing < 0) {
    return pass(
      t({
        en: `All ${messages.length} messages of this run were printed, each read whole: ${messages.map((m) => JSON.stringify(m)).join(', ')}.`,
        zh: `这次运行的 ${messages.length} 条消息都打印出来了，每条都读完整了：${messages.map((m) => JSON.stringify(m)).join('、')}。`,
      }),
    );
  }
  const mistake = readingMistake(run, t);
  const which = t({
    en: `Message ${missing + 1} of ${messages.length} was ${JSON.stringify(messages[missing])} this run (the messages change every run), and no line of your output contains it.`,
    zh: `这次运行的第 ${missing + 1} 条消息（共 ${messages.length} 条）是 ${JSON.stringify(messages[missing])}（消息每次运行都不一样），而你的输出里没有哪一行包含它。`,
  });
  return fail(
    mistake ??
      `${which} ${t({
        en: 'Print each message as you decode it, on a line of its own.',
        zh: '每解码出一条消息，就把它单独打印成一行。',
      })}`,
    stdout,
  );
}

/** Why the framer could not parse the client's bytes, in words. */
function framingErrorText(report: Record<string, unknown>, t: Translate): string {
  switch (report.reason) {
    case 'not-utf8':
      return t({
        en: `a message's bytes were not valid UTF-8 (bytes ${String(report.hex)}): the length prefix cut a character in two. Count the bytes of text.encode("utf-8"), not the characters of text.`,
        zh: `某条消息的字节不是合法的 UTF-8（字节 ${String(report.hex)}）：长度前缀把一个字符切成了两半。请数 text.encode("utf-8") 的字节数，而不是 text 的字符数。`,
      });
    case 'length-too-long':
      return t({
        en: `a length prefix announced ${String(report.announced)} bytes: the server read something that was not a header as one. Every message must be exactly 4 length bytes (struct.pack("!I", len(payload))) and then that many bytes.`,
        zh: `某个长度前缀声称有 ${String(report.announced)} 个字节：服务器把不是头部的东西当成了头部来读。每条消息都必须恰好是 4 个长度字节（struct.pack("!I", len(payload)))，后面跟着同样多的字节。`,
      });
    case 'incomplete':
      return t({
        en: `your bytes ended in the middle of a message (${String(report.bytes)} bytes left over): the lengths did not match the payloads that followed.`,
        zh: `你的数据在一条消息的中间就结束了（剩下 ${String(report.bytes)} 个字节）：长度和后面的内容对不上。`,
      });
    default:
      return String(report.reason);
  }
}

/** The framer decoded the client's replies: each message reversed, framed by length. */
function repliesDecoded(run: RunRecord, t: Translate): CheckOutcome {
  const expected = sentMessages(run).map(reversed);
  const got = reportsOf(run, FRAMER, 'received-message').map((report) => String(report.data));
  const error = reportsOf(run, FRAMER, 'framing-error')[0];
  const wrong = expected.findIndex((reply, index) => got[index] !== reply);
  if (expected.length > 0 && wrong < 0 && !error) {
    return pass(
      t({
        en: `The server decoded all ${expected.length} of your framed replies, each its message reversed.`,
        zh: `服务器解码出了你发回的全部 ${expected.length} 条带帧回复，每条都是对应消息的反转。`,
      }),
    );
  }
  if (error) {
    return fail(
      t({
        en: `The server could not parse your replies after ${got.length} of them: ${framingErrorText(error, t)}`,
        zh: `服务器解析完你的 ${got.length} 条回复之后就解析不下去了：${framingErrorText(error, t)}`,
      }),
    );
  }
  if (wrong >= 0 && wrong < got.length) {
    return fail(
      t({
        en: `Reply ${wrong + 1} should be ${JSON.stringify(expected[wrong])} (message ${wrong + 1} reversed), but the server decoded ${JSON.stringify(got[wrong])}.`,
        zh: `第 ${wrong + 1} 条回复应当是 ${JSON.stringify(expected[wrong])}（第 ${wrong + 1} 条消息的反转），服务器解码出的却是 ${JSON.stringify(got[wrong])}。`,
      }),
    );
  }
  const mistake = finished(run) ? undefined : readingMistake(run, t);
  return fail(
    mistake ??
      t({
        en: `The server decoded ${got.length} of the ${expected.length} replies it expected. After printing the messages, send each one reversed (message[::-1]), framed: struct.pack("!I", len(payload)) + payload, then sock.shutdown(socket.SHUT_WR).`,
        zh: `服务器只解码出 ${got.length} 条回复，应有 ${expected.length} 条。打印完消息之后，把每条消息反转（message[::-1]）后加上帧头发回：struct.pack("!I", len(payload)) + payload，最后 sock.shutdown(socket.SHUT_WR)。`,
      }),
  );
}

export default defineLesson({
  // The framer sends five length-prefixed messages in one write; the proxy in front hands
  // them over 3 bytes per segment, so every recv() is short and most cuts fall inside a
  // Chinese character (3 bytes in UTF-8). The replies go back to the framer untouched.
  processes: [
    {
      peer: 'tcp-framer',
      name: FRAMER,
      port: FRAMER_PORT,
      options: {
        framing: 'length',
        messages: [
          '{zh}',
          'hello, {word}',
          '{zh}，{zh}！{number}',
          '{token}',
          '{word} {zh} {word} {zh} {word} {zh}',
        ],
      },
    },
    {
      peer: 'tcp-proxy',
      name: 'proxy',
      port: PORT,
      options: { target: FRAMER_PORT, chunkBytes: CHUNK_BYTES, direction: 'from-target' },
    },
    { file: CLIENT },
  ],
  limits: { wallSeconds: 6 },
  checks: [
    {
      id: 'printed-every-message',
      title: {
        en: 'Your client printed every message, each read whole',
        zh: '你的客户端打印了每一条消息，每条都读完整了',
      },
      run: printedEveryMessage,
    },
    {
      id: 'replies-decoded',
      title: {
        en: 'The server decoded your framed replies',
        zh: '服务器解码出了你发回的带帧回复',
      },
      run: repliesDecoded,
    },
    {
      id: 'client-finished',
      title: { en: 'Your client finished without an error', zh: '你的客户端正常结束，没有报错' },
      run: (run, t) => processFinished(run, CLIENT, t),
    },
  ],
});
