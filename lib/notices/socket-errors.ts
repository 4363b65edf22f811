/**
 * One sentence, in each language, on what a common socket exception means in the learner's run
 * (shown under the traceback). The browser finds the kind and the address (lib/client/
 * socket-error-context.ts); this is the only place that words it. Framework-free, like catalog.ts.
 */
import type { Lang } from '../protocol.ts';

export const SOCKET_ERROR_KINDS = [
  'refused',
  'address-in-use',
  'reset',
  'broken-pipe',
  'timeout',
] as const;
export type SocketErrorKind = (typeof SOCKET_ERROR_KINDS)[number];

/** What the run tells about the failed socket; every field is optional. */
export interface SocketErrorParams {
  /** The address the socket used, like `127.0.0.1`. */
  host?: string;
  port?: number;
  /** The learner file that binds that port (the server the client needed), if there is one. */
  listener?: string;
}

type Wording = Record<Lang, (p: SocketErrorParams) => string>;

const at = (p: SocketErrorParams): string => `${p.host ?? '127.0.0.1'}:${p.port}`;

/** Every kind's sentence in every language: a kind or a language missing is a type error. */
export const SOCKET_ERROR_WORDING: Record<SocketErrorKind, Wording> = {
  refused: {
    en: (p) =>
      p.port === undefined
        ? 'The connection was refused: nothing listens on that address and port yet — start the server first, or check the address.'
        : p.listener
          ? `Nothing listens on ${at(p)} yet — is ${p.listener} running, and did it call listen() before this program connected?`
          : `Nothing listens on ${at(p)}: the other side answered the SYN with a RST — start the server first, or check the port.`,
    zh: (p) =>
      p.port === undefined
        ? '连接被拒绝：这个地址和端口上还没有程序在监听——先启动服务器，或检查地址。'
        : p.listener
          ? `${at(p)} 上还没有程序在监听——${p.listener} 在运行吗？它在这个程序连接之前调用 listen() 了吗？`
          : `${at(p)} 上没有程序在监听：对方用 RST 回应了 SYN——先启动服务器，或检查端口。`,
  },
  'address-in-use': {
    en: (p) =>
      `${p.port === undefined ? 'That port' : `Port ${p.port}`} is already taken by another socket (another program of this run, or an earlier socket still in TIME_WAIT) — pick a free port, or set SO_REUSEADDR before bind().`,
    zh: (p) =>
      `${p.port === undefined ? '这个端口' : `端口 ${p.port} `}已被另一个套接字占用（本次运行的另一个程序，或仍处于 TIME_WAIT 的旧套接字）——换一个空闲端口，或在 bind() 之前设置 SO_REUSEADDR。`,
  },
  reset: {
    en: (p) =>
      `The other side${p.port === undefined ? '' : ` (${at(p)})`} reset the connection with a RST: it closed its socket while data was still unread or on its way, or it crashed.`,
    zh: (p) =>
      `对方${p.port === undefined ? '' : `（${at(p)}）`}用 RST 重置了连接：它在数据尚未读完或仍在途中时关闭了套接字，或者它崩溃了。`,
  },
  'broken-pipe': {
    en: () =>
      'This program sent on a connection the other side had already closed — recv() returning b"" is the sign that it has gone.',
    zh: () => '这个程序在对方已经关闭的连接上发送了数据——recv() 返回 b"" 就表示对方已经关闭。',
  },
  timeout: {
    en: (p) =>
      `The socket waited longer than its timeout (settimeout) and gave up: nothing arrived in time${p.port === undefined ? '' : ` from ${at(p)}`}.`,
    zh: (p) =>
      `套接字等待超过了它的超时时间（settimeout），于是放弃了：${p.port === undefined ? '' : `来自 ${at(p)} 的`}数据没有按时到达。`,
  },
};

/** The kind of a Python exception line (`ConnectionRefusedError: [Errno 111] …`), if common. */
export function socketErrorKind(exception: string): SocketErrorKind | undefined {
  if (/^ConnectionRefusedError\b|\[Errno 111\]/.test(exception)) return 'refused';
  if (/\[Errno 98\]|Address already in use/.test(exception)) return 'address-in-use';
  if (/^ConnectionResetError\b|\[Errno 104\]/.test(exception)) return 'reset';
  if (/^BrokenPipeError\b|\[Errno 32\]/.test(exception)) return 'broken-pipe';
  if (/^(TimeoutError|socket\.timeout)\b/.test(exception)) return 'timeout';
  return undefined;
}

/** The sentence for a kind of socket error in `lang`. */
export function socketErrorSentence(
  kind: SocketErrorKind,
  params: SocketErrorParams,
  lang: Lang,
): string {
  return SOCKET_ERROR_WORDING[kind][lang](params);
}
