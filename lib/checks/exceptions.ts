/**
 * The sentence on a Python exception a process died of, and for the common socket errors one
 * more sentence on what usually causes them.
 */
import type { RunRecord } from '../lessons/define.ts';
import { tcpConnections } from './packets.ts';
import {
  socketErrorKind,
  socketErrorSentence,
  type SocketErrorKind,
  type SocketErrorParams,
} from '../notices/socket-errors.ts';
import { endSentence, joinText, type LocalizedText } from './text.ts';

/** What ended `name`, quoting the traceback's last line, with the likely cause when known. */
export function exceptionText(run: RunRecord, name: string, line: string): LocalizedText {
  const stopped = {
    en: endSentence(`${name} stopped with an exception: ${line}`, 'en'),
    zh: endSentence(`${name} 因异常而停止：${line}`, 'zh'),
  };
  return joinText(stopped, causeOf(run, name, line));
}

/** The exception's class name without its module (`socket.timeout` → `timeout`). */
function exceptionName(line: string): string {
  const head = line.split(':')[0] ?? line;
  return head.split('.').at(-1) ?? head;
}

/** One more sentence on why this kind of exception usually happens, for the common ones. */
function causeOf(run: RunRecord, name: string, line: string): LocalizedText | undefined {
  const kind = socketErrorKind(line);
  if (kind) return socketSentence(kind, kind === 'refused' ? refusedAddress(run, name) : {});
  const exception = exceptionName(line);
  if (exception === 'EOFError') return NO_INPUT;
  if (exception === 'UnicodeDecodeError')
    return line.includes("'utf-8'") ? SPLIT_CHARACTER : NOT_UTF8;
  if (/Network is unreachable|\[Errno 101\]|gaierror/.test(line)) return NO_INTERNET;
  return undefined;
}

/** A socket error's sentence in every language, worded once in lib/notices/socket-errors.ts. */
function socketSentence(kind: SocketErrorKind, params: SocketErrorParams): LocalizedText {
  return {
    en: socketErrorSentence(kind, params, 'en'),
    zh: socketErrorSentence(kind, params, 'zh'),
  };
}

/**
 * The address that refused: the server end of the last connection attempt of `name` that the
 * kernel answered with RST instead of SYN-ACK (the SYN's owner may be unknown when the process
 * died before the capture could name it). Empty when the capture does not show one.
 */
function refusedAddress(run: RunRecord, name: string): SocketErrorParams {
  const attempt = tcpConnections(run)
    .filter(
      (connection) =>
        connection.syn !== undefined &&
        connection.synAck === undefined &&
        connection.rsts.some((rst) => rst.sport === connection.server.port) &&
        (connection.client.owner === undefined || connection.client.owner === name),
    )
    .at(-1);
  return attempt?.syn ? { host: attempt.syn.dst, port: attempt.server.port } : {};
}

const SPLIT_CHARACTER: LocalizedText = {
  en: 'A chunk ended inside a multibyte character: decode after joining the chunks.',
  zh: '某一块数据在一个多字节字符的中间断开了：先把各块拼接起来，再解码。',
};

const NOT_UTF8: LocalizedText = {
  en: 'The bytes are not in that encoding: text on the network here is UTF-8, so decode with .decode("utf-8").',
  zh: '这些字节不是那种编码：这里网络上的文本都是 UTF-8，请用 .decode("utf-8") 解码。',
};

const NO_INTERNET: LocalizedText = {
  en: 'The sandbox has no Internet and no DNS, only 127.0.0.1: connect to a port on 127.0.0.1.',
  zh: '沙箱里没有互联网，也没有 DNS，只有 127.0.0.1：请连接 127.0.0.1 上的端口。',
};

const NO_INPUT: LocalizedText = {
  en: 'input() found no more input: its standard input was closed.',
  zh: 'input() 没有读到更多输入：它的标准输入已经关闭了。',
};
