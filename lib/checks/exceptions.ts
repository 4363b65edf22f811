/**
 * The sentence on a Python exception a process died of, and for the common socket errors one
 * more sentence on what usually causes them.
 */
import type { RunRecord } from '../lessons/define.ts';
import { tcpConnections } from './packets.ts';
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
  switch (exceptionName(line)) {
    case 'ConnectionRefusedError':
      return refused(run, name);
    case 'ConnectionResetError':
      return RESET;
    case 'BrokenPipeError':
      return BROKEN_PIPE;
    case 'TimeoutError':
    case 'timeout':
      return TIMEOUT;
    case 'UnicodeDecodeError':
      return line.includes("'utf-8'") ? SPLIT_CHARACTER : NOT_UTF8;
    case 'gaierror':
      return NO_INTERNET;
    case 'EOFError':
      return NO_INPUT;
    default:
      return osErrorCause(line);
  }
}

/** OSError and its subclasses say what went wrong in their message, not their class. */
function osErrorCause(line: string): LocalizedText | undefined {
  if (/Address already in use|\[Errno 98\]/.test(line)) return ADDRESS_IN_USE;
  if (/Network is unreachable|\[Errno 101\]/.test(line)) return NO_INTERNET;
  return undefined;
}

/**
 * Names the address that refused: the server end of the last connection attempt of `name` that
 * the kernel answered with RST instead of SYN-ACK (the SYN's owner may be unknown when the
 * process died before the capture could name it).
 */
function refused(run: RunRecord, name: string): LocalizedText {
  const attempt = tcpConnections(run)
    .filter(
      (connection) =>
        connection.syn !== undefined &&
        connection.synAck === undefined &&
        connection.rsts.some((rst) => rst.sport === connection.server.port) &&
        (connection.client.owner === undefined || connection.client.owner === name),
    )
    .at(-1);
  if (!attempt?.syn) {
    return {
      en: 'Nothing listens on the address it connected to — is the server running?',
      zh: '它连接的地址上没有程序在监听——服务器在运行吗？',
    };
  }
  const address = `${attempt.syn.dst}:${attempt.server.port}`;
  return {
    en: `Nothing listens on ${address} — is the server running?`,
    zh: `${address} 上没有程序在监听——服务器在运行吗？`,
  };
}

const RESET: LocalizedText = {
  en: 'The peer reset the connection (RST): it closed its socket with data still unread in it, or it was stopped.',
  zh: '对方重置了连接（RST）：它在套接字里还有数据没读时就关闭了套接字，或者它被停止了。',
};

const BROKEN_PIPE: LocalizedText = {
  en: 'It wrote to a connection the peer had already closed.',
  zh: '它向一个对方已经关闭的连接写入了数据。',
};

const TIMEOUT: LocalizedText = {
  en: 'A socket call waited longer than the timeout set with settimeout() and gave up: what it waited for did not come in time.',
  zh: '某个套接字调用等待的时间超过了 settimeout() 设定的超时，于是放弃了：它等待的东西没有及时到来。',
};

const ADDRESS_IN_USE: LocalizedText = {
  en: 'Another socket already holds that address, and only one can listen on a port: is another server of this run already using it?',
  zh: '另一个套接字已经占用了这个地址，而一个端口上只能有一个套接字监听：是不是这次运行里的另一个服务器已经在用它了？',
};

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
