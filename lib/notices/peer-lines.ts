/**
 * What the built-in peers write in their terminals (`echo: listening on 127.0.0.1:8080`), as
 * codes and parameters worded here in every language: the learner reads these lines, and the
 * test client's are the feedback on their server. They never travel as notices (a peer's stdout
 * is output), so they are typed here rather than in lib/protocol.ts. What the fault peers did
 * (FaultNote) is both: a fault event and a line. Parameters are data: addresses, quoted bytes,
 * the system's own error text.
 */
import type { FaultNote, Lang } from '../protocol.ts';
import { FAULT_WORDING } from './fault-wording.ts';
import { formatBytes, formatSeconds, plural } from './units.ts';

/** How an HTTP body is delimited (sandbox-server/peers/http-head.ts). */
export type HttpFraming = 'content-length' | 'chunked' | 'close';

/** The parameters of each line a peer writes, by code. */
export interface PeerLineParams {
  'peer-listening': { address: string };
  'peer-listen-failed': { address: string; error: string };
  'peer-bound-udp': { address: string };
  'peer-bind-failed': { address: string; error: string };
  'peer-socket-error': { error: string };
  'peer-connection-from': { from: string };
  'peer-connection-failed': { from: string; error: string };
  'peer-closed-by': { from: string };
  'peer-received-echoing': { data: string; bytes: number };
  'peer-received-waiting': { data: string; bytes: number };
  'peer-request-too-long': { max: number };
  'peer-echoing-request': { bytes: number };
  'peer-datagram-echoing': { data: string; bytes: number; from: string };
  'peer-greeted': { data: string };
  'peer-greeter-stalling': { seconds: number };
  'peer-greeter-down': { seconds: number };
  'peer-faults-seed': { seed: number };
  'peer-relay-bound': { address: string; target: string };
  'peer-new-client': { client: string; target: string; via: string };
  'peer-too-many-clients': { max: number; client: string };
  'peer-relay-socket-error': { client: string; error: string };
  'peer-relay-failed': { index: number; from: string; error: string };
  'peer-proxy-connection': { number: number; from: string };
  'peer-proxy-connect-failed': { number: number; target: string; error: string; from: string };
  'peer-proxy-gone': { number: number; from: string };
  'peer-proxy-forwarding': { number: number; target: string; via: string };
  'peer-proxy-closed': { number: number };
  'peer-proxy-error': { number: number; who: string; error: string };
  'peer-fault-lines-capped': { max: number };
  'peer-connect-retrying': { address: string; refused: boolean; error: string; seconds: number };
  'peer-connect-timeout': { address: string; seconds: number; port: number };
  'peer-connected': { address: string };
  'peer-sent': { data: string };
  'peer-echo-ok': { data: string };
  'peer-echo-missing': { expected: string; seconds: number };
  'peer-echo-wrong': { expected: string; got: string };
  'peer-echo-short': { got: number; expected: number; matched: number };
  'peer-closing': Record<string, never>;
  'peer-server-kept-open': { seconds: number };
  'peer-server-reset': Record<string, never>;
  'peer-server-extra': { data: string };
  'peer-clean-close': Record<string, never>;
  'peer-sent-banner': { data: string };
  'peer-datagram-received': { data: string; bytes: number; from: string };
  'peer-request': { data: string };
  'peer-tls-presenting': { certificate: 'trusted' | 'wrong-host' | 'untrusted' };
  'peer-tls-handshake': { from: string; sni: string; protocol: string; cipher: string };
  'peer-tls-alert': { from: string; alert: string };
  'peer-tls-failed': { from: string; error: string };
  'peer-tls-plaintext': { from: string; data: string };
  'peer-tls-no-hello': { from: string };
  'peer-tls-client-done': { protocol: string; cipher: string };
  'peer-tls-client-failed': { error: string };
  'peer-request-partial': { data: string; bytes: number };
  'peer-request-unfinished': { data: string };
  'peer-connection-number': { number: number; count: number };
  'peer-half-closed': Record<string, never>;
  'peer-aborted': Record<string, never>;
  'peer-reply-ok': { data: string };
  'peer-reply-wrong': { expected: string; got: string };
  'peer-reply-too-long': { max: number };
  'peer-datagram-sent': { index: number; data: string; to: string };
  'peer-datagram-reply': { index: number; data: string; from: string };
  'peer-datagram-timeout': { index: number; seconds: number };
  'peer-datagram-refused': { address: string };
  'peer-framing': { framing: 'line' | 'length' };
  'peer-message-sent': { data: string; bytes: number };
  'peer-message-received': { data: string };
  'peer-messages-capped': { max: number };
  'peer-frame-length-too-long': { announced: number; max: number };
  'peer-frame-line-too-long': { max: number };
  'peer-frame-incomplete': { bytes: number };
  'peer-frame-not-utf8': { hex: string };
  'peer-framer-done': { count: number };
  'peer-http-request': { line: string; bytes: number };
  'peer-http-response': {
    status: number;
    reason: string;
    framing: HttpFraming;
    bytes: number;
    keepAlive: boolean;
  };
  'peer-http-no-route': { method: string; path: string; routes: string };
  'peer-http-wrong-method': { method: string; path: string; allowed: string };
  'peer-http-bad-request': { error: string; raw: string };
  'peer-http-missing-host': Record<string, never>;
  'peer-http-head-partial': { data: string; bytes: number };
  'peer-http-head-timeout': { seconds: number };
  'peer-http-body-too-large': { max: number };
  'peer-http-bare-lf': { line: number; text: string };
  'peer-http-bad-start-line': { kind: 'request' | 'response'; text: string };
  'peer-http-bad-header-line': { line: number; text: string };
  'peer-http-head-too-large': { max: number };
  'peer-http-head-incomplete': Record<string, never>;
  'peer-http-sent': { line: string; bytes: number };
  'peer-http-received': {
    version: string;
    status: number;
    reason: string;
    framing: HttpFraming;
    bytes: number;
    body: string;
  };
  'peer-http-parse-error': { error: string; raw: string };
  'peer-http-no-response': { seconds: number };
  'peer-http-head-unfinished': { seconds: number; data: string };
  'peer-http-body-timeout-close': { seconds: number; bytes: number };
  'peer-http-body-timeout-short': { seconds: number; bytes: number; announced: number };
  'peer-http-body-timeout-chunked': { seconds: number; bytes: number };
  'peer-http-closed-early': { bytes: number; announced: number };
  'peer-http-closed-no-response': Record<string, never>;
  'peer-http-failed': { error: string };
  'peer-http-done': { answered: number; count: number };
  'peer-crowd-stalled': { count: number; data: string };
  'peer-crowd-stalled-closed': { connection: number; seconds: number; reset: boolean };
  'peer-crowd-opening': { count: number; lines: number; gapMs: number };
  'peer-crowd-progress': { finished: number; count: number; served: number };
  'peer-crowd-connection': { connection: number; line: PeerLine };
  'peer-crowd-connect-slow': { seconds: number };
  'peer-crowd-connect-failed': { error: string };
  'peer-crowd-closed-early': { expected: string; reset: boolean };
  'peer-crowd-more-failures': { count: number };
  'peer-crowd-closing-stalled': { count: number };
  'peer-crowd-summary': {
    served: number;
    count: number;
    servedWhileStalled: number;
    stalled: number;
    maxInFlight: number;
  };
  'peer-crowd-one-at-a-time': { stalled: number };
  'peer-crowd-reports-capped': { max: number };
  'peer-file-sending': { index: number; name: string; size: number; sha256: string };
  'peer-files-sent': { count: number; ms: number };
  'peer-file-header': { name: string; size: number; sha256: string };
  'peer-file-progress': { bytes: number; size: number; ms: number };
  'peer-file-received': { bytes: number; sha256: string; elapsedMs: number; throughput: number };
  'peer-file-failed': {
    reason: 'short' | 'timeout' | 'sha256-mismatch';
    bytes: number;
    size: number;
    sha256: string;
    expected: string;
  };
  'peer-file-bad-header':
    | { reason: 'too-long'; max: number }
    | { reason: 'not-json'; text: string }
    | { reason: 'fields'; text: string }
    | { reason: 'too-large'; size: number; max: number };
  'peer-file-no-header': { bytes: number };
  'peer-file-idle': { seconds: number; bytes: number; stage: 'header' | 'body' };
  'peer-chat-connect-failed': { nick: string; address: string };
  'peer-chat-joined': { nick: string };
  'peer-chat-joined-slow': { nick: string };
  'peer-chat-flood': { nick: string; slow: string; lines: number; mib: number };
  'peer-chat-flood-stuck': { nick: string; got: number; lines: number; seconds: number };
  'peer-chat-said': { nick: string; lines: string };
  'peer-chat-dropped': { nick: string; reset: boolean };
  'peer-chat-echoed': { nick: string; line: string };
  'peer-chat-unattributed': { nick: string; from: string; line: string };
  'peer-chat-missing': { nick: string; from: string; data: string; seconds: number };
  'peer-chat-left': { nick: string; reset: boolean; noticed: number; stayed: number };
  'peer-chat-leave-unseen': { nick: string; missed: string; seconds: number };
  'peer-chat-summary': {
    delivered: number;
    expected: number;
    maxLatencyMs: number;
    deliveredWhileSlow: number;
    slow: boolean;
    leavesNoticed: number;
    leavesExpected: number;
  };
}

type PeerOwnLine = {
  [C in keyof PeerLineParams]: { code: C; params: PeerLineParams[C] };
}[keyof PeerLineParams];

/** One line a peer writes: one of its own, or what a fault peer did. */
export type PeerLine = PeerOwnLine | FaultNote;
export type PeerLineCode = PeerLine['code'];
type ParamsOf<C extends PeerLineCode> = Extract<PeerLine, { code: C }>['params'];

/** Every peer line's wording in every language: a code or a language missing is a type error. */
export type PeerWording = { [C in PeerLineCode]: Record<Lang, (params: ParamsOf<C>) => string> };

const s = (seconds: number, lang: Lang) => formatSeconds(seconds, lang);
const b = (bytes: number, lang: Lang) => formatBytes(bytes, lang);

const FRAMING_EN: Record<HttpFraming, string> = {
  'content-length': 'Content-Length',
  chunked: 'chunked',
  close: 'ended by closing the connection',
};
const FRAMING_ZH: Record<HttpFraming, string> = {
  'content-length': 'Content-Length',
  chunked: '分块传输',
  close: '以关闭连接结束',
};

export const PEER_WORDING: PeerWording = {
  'peer-listening': {
    en: (p) => `listening on ${p.address}`,
    zh: (p) => `正在 ${p.address} 上监听`,
  },
  'peer-listen-failed': {
    en: (p) => `could not listen on ${p.address}: ${p.error}`,
    zh: (p) => `无法在 ${p.address} 上监听：${p.error}`,
  },
  'peer-bound-udp': {
    en: (p) => `bound to ${p.address} (UDP)`,
    zh: (p) => `已绑定到 ${p.address}（UDP）`,
  },
  'peer-bind-failed': {
    en: (p) => `could not bind ${p.address}: ${p.error}`,
    zh: (p) => `无法绑定 ${p.address}：${p.error}`,
  },
  'peer-socket-error': {
    en: (p) => `socket error: ${p.error}`,
    zh: (p) => `套接字出错：${p.error}`,
  },
  'peer-connection-from': {
    en: (p) => `connection from ${p.from}`,
    zh: (p) => `来自 ${p.from} 的连接`,
  },
  'peer-connection-failed': {
    en: (p) => `connection from ${p.from} failed: ${p.error}`,
    zh: (p) => `来自 ${p.from} 的连接出错：${p.error}`,
  },
  'peer-closed-by': {
    en: (p) => `${p.from} closed the connection`,
    zh: (p) => `${p.from} 关闭了连接`,
  },
  'peer-received-echoing': {
    en: (p) => `received ${p.data} (${p.bytes} bytes), echoing`,
    zh: (p) => `收到 ${p.data}（${p.bytes} 字节），原样发回`,
  },
  'peer-received-waiting': {
    en: (p) => `received ${p.data} (${p.bytes} bytes), waiting for the end of the request`,
    zh: (p) => `收到 ${p.data}（${p.bytes} 字节），等待请求结束`,
  },
  'peer-request-too-long': {
    en: (p) => `the request passed ${p.max} bytes without ending: closing`,
    zh: (p) => `请求超过 ${p.max} 字节仍未结束：关闭连接`,
  },
  'peer-echoing-request': {
    en: (p) => `echoing the whole request (${p.bytes} bytes), then closing`,
    zh: (p) => `把整个请求（${p.bytes} 字节）原样发回，然后关闭连接`,
  },
  'peer-datagram-echoing': {
    en: (p) => `received ${p.data} (${p.bytes} bytes) from ${p.from}, echoing`,
    zh: (p) => `收到来自 ${p.from} 的 ${p.data}（${p.bytes} 字节），原样发回`,
  },
  'peer-greeted': {
    en: (p) => `sent ${p.data} and closed the connection`,
    zh: (p) => `发送了 ${p.data}，并关闭了连接`,
  },
  'peer-greeter-stalling': {
    en: (p) => `stalling: the greeting waits ${s(p.seconds, 'en')} (a hung server)`,
    zh: (p) => `卡住了：问候要等 ${s(p.seconds, 'zh')} 才发送（模拟一台挂起的服务器）`,
  },
  'peer-greeter-down': {
    en: (p) =>
      `not listening for ${s(p.seconds, 'en')} (a restarting server): connections are refused`,
    zh: (p) => `暂停监听 ${s(p.seconds, 'zh')}（模拟正在重启的服务器）：期间的连接会被拒绝`,
  },
  'peer-faults-seed': {
    en: (p) => `faults drawn from seed ${p.seed}`,
    zh: (p) => `故障由种子 ${p.seed} 决定`,
  },
  'peer-relay-bound': {
    en: (p) => `bound to ${p.address} (UDP), relaying to ${p.target}`,
    zh: (p) => `已绑定到 ${p.address}（UDP），转发到 ${p.target}`,
  },
  'peer-new-client': {
    en: (p) => `new client ${p.client}: relayed to ${p.target} from ${p.via}`,
    zh: (p) => `新客户端 ${p.client}：从 ${p.via} 转发到 ${p.target}`,
  },
  'peer-too-many-clients': {
    en: (p) => `more than ${p.max} clients: ${p.client} is not relayed`,
    zh: (p) => `客户端超过 ${p.max} 个：不转发 ${p.client}`,
  },
  'peer-relay-socket-error': {
    en: (p) => `${p.client}: relay socket error: ${p.error}`,
    zh: (p) => `${p.client}：中继套接字出错：${p.error}`,
  },
  'peer-relay-failed': {
    en: (p) => `could not relay datagram #${p.index} from ${p.from}: ${p.error}`,
    zh: (p) => `无法转发来自 ${p.from} 的第 ${p.index} 个数据报：${p.error}`,
  },
  'peer-proxy-connection': {
    en: (p) => `connection #${p.number} from ${p.from}`,
    zh: (p) => `第 ${p.number} 个连接，来自 ${p.from}`,
  },
  'peer-proxy-connect-failed': {
    en: (p) =>
      `connection #${p.number}: could not connect to ${p.target} (${p.error}): resetting ${p.from}`,
    zh: (p) => `第 ${p.number} 个连接：无法连接到 ${p.target}（${p.error}）：重置 ${p.from}`,
  },
  'peer-proxy-gone': {
    en: (p) => `connection #${p.number}: ${p.from} went away before it was connected`,
    zh: (p) => `第 ${p.number} 个连接：${p.from} 在连接建立之前就离开了`,
  },
  'peer-proxy-forwarding': {
    en: (p) => `connection #${p.number}: forwarding to ${p.target} from ${p.via}`,
    zh: (p) => `第 ${p.number} 个连接：从 ${p.via} 转发到 ${p.target}`,
  },
  'peer-proxy-closed': {
    en: (p) => `connection #${p.number} closed`,
    zh: (p) => `第 ${p.number} 个连接已关闭`,
  },
  'peer-proxy-error': {
    en: (p) => `connection #${p.number}: ${p.who}: ${p.error}; resetting the other side too`,
    zh: (p) => `第 ${p.number} 个连接：${p.who}：${p.error}；另一端也一并重置`,
  },
  'peer-fault-lines-capped': {
    en: (p) => `more faults follow; only the first ${p.max} are written here`,
    zh: (p) => `后面还有更多故障；这里只写出前 ${p.max} 个`,
  },
  'peer-connect-retrying': {
    en: (p) =>
      `${p.address}: ${p.refused ? 'connection refused' : p.error}; retrying for up to ${s(p.seconds, 'en')}`,
    zh: (p) =>
      `${p.address}：${p.refused ? '连接被拒绝' : p.error}；将在 ${s(p.seconds, 'zh')}内继续重试`,
  },
  'peer-connect-timeout': {
    en: (p) =>
      `could not connect to ${p.address} within ${s(p.seconds, 'en')}: is your server listening on port ${p.port}?`,
    zh: (p) =>
      `${s(p.seconds, 'zh')}内无法连接到 ${p.address}：你的服务器在 ${p.port} 端口上监听了吗？`,
  },
  'peer-connected': {
    en: (p) => `connected to ${p.address}`,
    zh: (p) => `已连接到 ${p.address}`,
  },
  'peer-sent': {
    en: (p) => `sent ${p.data}`,
    zh: (p) => `发送了 ${p.data}`,
  },
  'peer-echo-ok': {
    en: (p) => `received ${p.data}: echo ok`,
    zh: (p) => `收到 ${p.data}：回显正确`,
  },
  'peer-echo-missing': {
    en: (p) => `expected ${p.expected} back, but nothing came within ${s(p.seconds, 'en')}`,
    zh: (p) => `期望收到回显 ${p.expected}，但 ${s(p.seconds, 'zh')}内什么也没收到`,
  },
  'peer-echo-wrong': {
    en: (p) => `expected ${p.expected} back, but received ${p.got}`,
    zh: (p) => `期望收到回显 ${p.expected}，但收到的是 ${p.got}`,
  },
  'peer-echo-short': {
    en: (p) =>
      `expected ${p.expected} bytes back, but received ${p.got} (the first ${p.matched} of them right)`,
    zh: (p) =>
      `期望收回 ${p.expected} 字节，却只收到 ${p.got} 字节（其中前 ${p.matched} 字节正确）`,
  },
  'peer-closing': {
    en: () => 'closing the connection',
    zh: () => '正在关闭连接',
  },
  'peer-server-kept-open': {
    en: (p) => `the server did not close the connection within ${s(p.seconds, 'en')}`,
    zh: (p) => `服务器没有在 ${s(p.seconds, 'zh')}内关闭连接`,
  },
  'peer-server-reset': {
    en: () => 'the server reset the connection instead of closing it',
    zh: () => '服务器重置了连接，而不是正常关闭它',
  },
  'peer-server-extra': {
    en: (p) => `the server sent unexpected data: ${p.data}`,
    zh: (p) => `服务器发来了意料之外的数据：${p.data}`,
  },
  'peer-clean-close': {
    en: () => 'the server closed the connection too: clean close',
    zh: () => '服务器也关闭了连接：正常关闭',
  },
  'peer-sent-banner': {
    en: (p) => `sent the banner ${p.data}`,
    zh: (p) => `发送了欢迎语 ${p.data}`,
  },
  'peer-datagram-received': {
    en: (p) => `received ${p.data} (${p.bytes} bytes) from ${p.from}; not replying`,
    zh: (p) => `收到来自 ${p.from} 的 ${p.data}（${p.bytes} 字节）；不回复`,
  },
  'peer-request': {
    en: (p) => `received the request ${p.data}`,
    zh: (p) => `收到请求 ${p.data}`,
  },
  'peer-tls-presenting': {
    en: (p) =>
      ({
        trusted: "presents a certificate for localhost, signed by this run's CA (ca.pem)",
        'wrong-host':
          "presents a certificate for impostor.invalid — not localhost — signed by this run's CA (ca.pem)",
        untrusted: 'presents a certificate for localhost, signed by a CA that is not in ca.pem',
      })[p.certificate],
    zh: (p) =>
      ({
        trusted: '出示的证书属于 localhost，由本次运行的 CA（ca.pem）签发',
        'wrong-host':
          '出示的证书属于 impostor.invalid（不是 localhost），由本次运行的 CA（ca.pem）签发',
        untrusted: '出示的证书属于 localhost，但签发它的 CA 不在 ca.pem 里',
      })[p.certificate],
  },
  'peer-tls-handshake': {
    en: (p) =>
      `TLS handshake with ${p.from} done: ${p.sni ? `SNI "${p.sni}"` : 'no SNI'}, ${p.protocol}, ${p.cipher}`,
    zh: (p) =>
      `与 ${p.from} 的 TLS 握手完成：${p.sni ? `SNI 为 "${p.sni}"` : '没有 SNI'}，${p.protocol}，${p.cipher}`,
  },
  'peer-tls-alert': {
    en: (p) =>
      `${p.from} ended the handshake with the TLS alert ${p.alert}: it refused our certificate`,
    zh: (p) => `${p.from} 用 TLS 警报 ${p.alert} 中止了握手：它拒绝了我们的证书`,
  },
  'peer-tls-failed': {
    en: (p) => `TLS handshake with ${p.from} failed: ${p.error}`,
    zh: (p) => `与 ${p.from} 的 TLS 握手失败：${p.error}`,
  },
  'peer-tls-plaintext': {
    en: (p) => `${p.from} sent plain text, not TLS: ${p.data}`,
    zh: (p) => `${p.from} 发来的是明文，不是 TLS：${p.data}`,
  },
  'peer-tls-no-hello': {
    en: (p) => `${p.from} closed the connection without starting a TLS handshake`,
    zh: (p) => `${p.from} 没有开始 TLS 握手就关闭了连接`,
  },
  'peer-tls-client-done': {
    en: (p) =>
      `TLS handshake done: the certificate is for localhost and signed by this run's CA (${p.protocol}, ${p.cipher})`,
    zh: (p) =>
      `TLS 握手完成：证书属于 localhost，由本次运行的 CA 签发（${p.protocol}，${p.cipher}）`,
  },
  'peer-tls-client-failed': {
    en: (p) => `TLS handshake failed: ${p.error}`,
    zh: (p) => `TLS 握手失败：${p.error}`,
  },
  'peer-request-partial': {
    en: (p) =>
      `received ${p.data} (${p.bytes} bytes); waiting for the rest of the line, up to "\\n"`,
    zh: (p) => `收到 ${p.data}（${p.bytes} 字节）；等待这一行的其余部分，直到 "\\n"`,
  },
  'peer-request-unfinished': {
    en: (p) => `the client ended its request ${p.data} without a "\\n"; answering anyway`,
    zh: (p) => `客户端结束了请求 ${p.data}，但没有以 "\\n" 结尾；仍然回复`,
  },
  'peer-connection-number': {
    en: (p) => `connection ${p.number} of ${p.count}`,
    zh: (p) => `第 ${p.number} 个连接（共 ${p.count} 个）`,
  },
  'peer-half-closed': {
    en: () => 'sent everything; shut down the sending side (FIN), reading the reply until EOF',
    zh: () => '全部发送完毕；关闭发送方向（FIN），读取回复直到 EOF',
  },
  'peer-aborted': {
    en: () => 'reset the connection (RST) without waiting for a reply, like a client that crashed',
    zh: () => '不等回复就重置了连接（RST），就像一个崩溃了的客户端',
  },
  'peer-reply-ok': {
    en: (p) => `received ${p.data} before the server closed: the reply matches`,
    zh: (p) => `服务器关闭前收到 ${p.data}：回复正确`,
  },
  'peer-reply-wrong': {
    en: (p) => `expected ${p.expected} back, but received ${p.got} before the server closed`,
    zh: (p) => `期望收到 ${p.expected}，但服务器关闭前收到的是 ${p.got}`,
  },
  'peer-reply-too-long': {
    en: (p) => `the server sent more than ${p.max} bytes: stopped reading`,
    zh: (p) => `服务器发来的数据超过 ${p.max} 字节：停止读取`,
  },
  'peer-datagram-sent': {
    en: (p) => `sent datagram #${p.index} ${p.data} to ${p.to}`,
    zh: (p) => `向 ${p.to} 发送了第 ${p.index} 个数据报 ${p.data}`,
  },
  'peer-datagram-reply': {
    en: (p) => `reply to datagram #${p.index} from ${p.from}: ${p.data}`,
    zh: (p) => `收到来自 ${p.from} 的第 ${p.index} 个数据报的回复：${p.data}`,
  },
  'peer-datagram-timeout': {
    en: (p) => `no reply to datagram #${p.index} within ${s(p.seconds, 'en')}`,
    zh: (p) => `第 ${p.index} 个数据报在 ${s(p.seconds, 'zh')}内没有收到回复`,
  },
  'peer-datagram-refused': {
    en: (p) =>
      `nothing receives on ${p.address} (UDP): the kernel answered "port unreachable". Is your server bound to that port?`,
    zh: (p) =>
      `${p.address}（UDP）上没有程序接收：内核回复了"端口不可达"。你的服务器绑定了这个端口吗？`,
  },
  'peer-framing': {
    en: (p) =>
      p.framing === 'line'
        ? 'messages are framed as UTF-8 lines, each ending in "\\n"'
        : 'messages are framed with a 4-byte big-endian length before each UTF-8 payload',
    zh: (p) =>
      p.framing === 'line'
        ? '消息按行分帧：每条是一行 UTF-8 文本，以 "\\n" 结尾'
        : '消息按长度分帧：每条 UTF-8 内容之前是 4 字节大端序的长度',
  },
  'peer-message-sent': {
    en: (p) => `sent the message ${p.data} (${p.bytes} bytes with its framing)`,
    zh: (p) => `发送了消息 ${p.data}（连同分帧共 ${p.bytes} 字节）`,
  },
  'peer-message-received': {
    en: (p) => `received the message ${p.data}`,
    zh: (p) => `收到消息 ${p.data}`,
  },
  'peer-messages-capped': {
    en: (p) => `more messages follow; only the first ${p.max} are written here`,
    zh: (p) => `后面还有更多消息；这里只写出前 ${p.max} 条`,
  },
  'peer-frame-length-too-long': {
    en: (p) =>
      `a length prefix announced ${p.announced} bytes, more than the ${p.max} accepted: closing`,
    zh: (p) => `长度前缀声明了 ${p.announced} 字节，超过允许的 ${p.max} 字节：关闭连接`,
  },
  'peer-frame-line-too-long': {
    en: (p) => `a line passed ${p.max} bytes without a "\\n": closing`,
    zh: (p) => `一行超过 ${p.max} 字节仍没有 "\\n"：关闭连接`,
  },
  'peer-frame-incomplete': {
    en: (p) => `the connection ended in the middle of a message: ${p.bytes} bytes left over`,
    zh: (p) => `连接在一条消息的中间结束了：剩下 ${p.bytes} 字节不成一条消息`,
  },
  'peer-frame-not-utf8': {
    en: (p) => `a message is not valid UTF-8: bytes ${p.hex}`,
    zh: (p) => `有一条消息不是合法的 UTF-8：字节 ${p.hex}`,
  },
  'peer-framer-done': {
    en: (p) => `the client closed its side after ${p.count} messages: closing`,
    zh: (p) => `客户端在发送 ${p.count} 条消息后关闭了它那一端：关闭连接`,
  },
  'peer-http-request': {
    en: (p) => `request ${p.line}${p.bytes > 0 ? ` with a ${p.bytes}-byte body` : ''}`,
    zh: (p) => `收到请求 ${p.line}${p.bytes > 0 ? `，带 ${p.bytes} 字节的正文` : ''}`,
  },
  'peer-http-response': {
    en: (p) =>
      `answered ${p.status} ${p.reason} (${FRAMING_EN[p.framing]}, ${p.bytes}-byte body); ${
        p.keepAlive ? 'keeping the connection open for another request' : 'closing the connection'
      }`,
    zh: (p) =>
      `回复 ${p.status} ${p.reason}（${FRAMING_ZH[p.framing]}，正文 ${p.bytes} 字节）；${
        p.keepAlive ? '保持连接打开，等待下一个请求' : '关闭连接'
      }`,
  },
  'peer-http-no-route': {
    en: (p) => `nothing is served at ${p.path} (${p.method}); paths served: ${p.routes}`,
    zh: (p) => `${p.path} 上没有内容（${p.method}）；提供的路径：${p.routes}`,
  },
  'peer-http-wrong-method': {
    en: (p) => `${p.path} does not answer ${p.method}; it answers ${p.allowed}`,
    zh: (p) => `${p.path} 不响应 ${p.method}；它只响应 ${p.allowed}`,
  },
  'peer-http-bad-request': {
    en: (p) => `could not parse the request (${p.error}); received ${p.raw}`,
    zh: (p) => `无法解析请求（${p.error}）；收到的是 ${p.raw}`,
  },
  'peer-http-missing-host': {
    en: () => 'an HTTP/1.1 request needs a Host header: answering 400 Bad Request',
    zh: () => 'HTTP/1.1 请求必须带 Host 头：回复 400（错误请求）',
  },
  'peer-http-head-partial': {
    en: (p) =>
      `received ${p.data} (${p.bytes} bytes) so far; waiting for the empty line ("\\r\\n\\r\\n") that ends the request's head`,
    zh: (p) => `目前收到 ${p.data}（${p.bytes} 字节）；等待结束请求头的空行（"\\r\\n\\r\\n"）`,
  },
  'peer-http-head-timeout': {
    en: (p) =>
      `the request did not arrive whole within ${s(p.seconds, 'en')}: answering 408 Request Timeout and closing`,
    zh: (p) => `请求没有在 ${s(p.seconds, 'zh')}内完整到达：回复 408（请求超时）并关闭连接`,
  },
  'peer-http-body-too-large': {
    en: (p) =>
      `the request's body passed ${p.max} bytes: answering 413 Content Too Large and closing`,
    zh: (p) => `请求正文超过 ${p.max} 字节：回复 413（正文过大）并关闭连接`,
  },
  'peer-http-bare-lf': {
    en: (p) =>
      `line ${p.line} ${p.text} ends with "\\n" alone: every line of an HTTP head must end with "\\r\\n"`,
    zh: (p) => `第 ${p.line} 行 ${p.text} 只以 "\\n" 结尾：HTTP 头部的每一行都必须以 "\\r\\n" 结尾`,
  },
  'peer-http-bad-start-line': {
    en: (p) =>
      p.kind === 'request'
        ? `the request line ${p.text} is not "METHOD /path HTTP/1.1" (one space between the parts, the method in capitals)`
        : `the status line ${p.text} is not "HTTP/1.1 CODE REASON" (e.g. "HTTP/1.1 200 OK")`,
    zh: (p) =>
      p.kind === 'request'
        ? `请求行 ${p.text} 不符合 "METHOD /path HTTP/1.1"（各部分之间一个空格，方法名大写）`
        : `状态行 ${p.text} 不符合 "HTTP/1.1 状态码 原因"（例如 "HTTP/1.1 200 OK"）`,
  },
  'peer-http-bad-header-line': {
    en: (p) => `line ${p.line} ${p.text} is not a header "Name: value"`,
    zh: (p) => `第 ${p.line} 行 ${p.text} 不是 "Name: value" 形式的头部`,
  },
  'peer-http-head-too-large': {
    en: (p) => `the head passed ${p.max} bytes without ending`,
    zh: (p) => `头部超过 ${p.max} 字节仍未结束`,
  },
  'peer-http-head-incomplete': {
    en: () => 'the head never ended: an HTTP head ends with an empty line ("\\r\\n\\r\\n")',
    zh: () => '头部始终没有结束：HTTP 头部以一个空行（"\\r\\n\\r\\n"）结束',
  },
  'peer-http-sent': {
    en: (p) => `sent ${p.line}${p.bytes > 0 ? ` with a ${p.bytes}-byte body` : ''}`,
    zh: (p) => `发送了 ${p.line}${p.bytes > 0 ? `，带 ${p.bytes} 字节的正文` : ''}`,
  },
  'peer-http-received': {
    en: (p) =>
      `received HTTP/${p.version} ${p.status} ${p.reason} (${FRAMING_EN[p.framing]}, ${p.bytes}-byte body): ${p.body}`,
    zh: (p) =>
      `收到 HTTP/${p.version} ${p.status} ${p.reason}（${FRAMING_ZH[p.framing]}，正文 ${p.bytes} 字节）：${p.body}`,
  },
  'peer-http-parse-error': {
    en: (p) => `could not parse the response (${p.error}); received ${p.raw}`,
    zh: (p) => `无法解析响应（${p.error}）；收到的是 ${p.raw}`,
  },
  'peer-http-no-response': {
    en: (p) => `no response came within ${s(p.seconds, 'en')}`,
    zh: (p) => `${s(p.seconds, 'zh')}内没有收到任何响应`,
  },
  'peer-http-head-unfinished': {
    en: (p) =>
      `the response's head did not end within ${s(p.seconds, 'en')}: received ${p.data}; a head ends with an empty line ("\\r\\n\\r\\n")`,
    zh: (p) =>
      `响应头没有在 ${s(p.seconds, 'zh')}内结束：收到 ${p.data}；头部以一个空行（"\\r\\n\\r\\n"）结束`,
  },
  'peer-http-body-timeout-close': {
    en: (p) =>
      `the body did not end within ${s(p.seconds, 'en')} (${p.bytes} bytes came): the response has neither Content-Length nor Transfer-Encoding: chunked, so its body ends only when the server closes the connection, and the server kept it open`,
    zh: (p) =>
      `正文没有在 ${s(p.seconds, 'zh')}内结束（收到 ${p.bytes} 字节）：响应既没有 Content-Length，也没有 Transfer-Encoding: chunked，所以正文要到服务器关闭连接才算结束，而服务器一直没有关闭连接`,
  },
  'peer-http-body-timeout-short': {
    en: (p) =>
      `Content-Length announced ${p.announced} bytes, but only ${p.bytes} came within ${s(p.seconds, 'en')}`,
    zh: (p) =>
      `Content-Length 声明了 ${p.announced} 字节，但 ${s(p.seconds, 'zh')}内只收到 ${p.bytes} 字节`,
  },
  'peer-http-body-timeout-chunked': {
    en: (p) =>
      `the chunked body did not end within ${s(p.seconds, 'en')} (${p.bytes} bytes came): it ends with a chunk of size zero ("0\\r\\n\\r\\n")`,
    zh: (p) =>
      `分块正文没有在 ${s(p.seconds, 'zh')}内结束（收到 ${p.bytes} 字节）：分块正文以大小为零的块（"0\\r\\n\\r\\n"）结束`,
  },
  'peer-http-closed-early': {
    en: (p) =>
      `the server closed the connection after ${p.bytes} of the ${p.announced} body bytes its Content-Length announced`,
    zh: (p) =>
      `服务器在发送了 Content-Length 所声明的 ${p.announced} 字节正文中的 ${p.bytes} 字节之后就关闭了连接`,
  },
  'peer-http-closed-no-response': {
    en: () => 'the server closed the connection without sending a response',
    zh: () => '服务器没有发送响应就关闭了连接',
  },
  'peer-http-failed': {
    en: (p) => `the connection failed before the response was complete: ${p.error}`,
    zh: (p) => `响应完整到达之前连接就出错了：${p.error}`,
  },
  'peer-http-done': {
    en: (p) => `${p.answered} of ${p.count} requests answered`,
    zh: (p) => `${p.count} 个请求中有 ${p.answered} 个得到了响应`,
  },
  'peer-crowd-stalled': {
    en: (p) =>
      `opened ${p.count === 1 ? 'a stalled connection' : `${p.count} stalled connections`} first: ${p.count === 1 ? 'it sends' : 'each sends'} only the start of a line, like ${p.data}, then nothing (a slow client), and stays open until the end`,
    zh: (p) =>
      `先打开了 ${p.count} 个卡住的连接：每个只发送一行的开头（例如 ${p.data}），之后什么也不发（一个很慢的客户端），并一直保持打开到最后`,
  },
  'peer-crowd-stalled-closed': {
    en: (p) =>
      `the server ${p.reset ? 'reset' : 'closed'} stalled connection ${p.connection} after ${s(p.seconds, 'en')}`,
    zh: (p) =>
      `服务器在 ${s(p.seconds, 'zh')}后${p.reset ? '重置' : '关闭'}了卡住的第 ${p.connection} 个连接`,
  },
  'peer-crowd-opening': {
    en: (p) =>
      `opening ${plural(p.count, 'connection')} ${p.gapMs > 0 ? `${p.gapMs} ms apart` : 'at once'}; each sends ${plural(p.lines, 'line')} and waits for each echo`,
    zh: (p) =>
      `${p.gapMs > 0 ? `每隔 ${p.gapMs} 毫秒` : '同时'}打开 ${p.count} 个连接；每个连接发送 ${p.lines} 行，并等待每一行的回显`,
  },
  'peer-crowd-progress': {
    en: (p) => `${p.finished} of ${p.count} connections finished: ${p.served} answered`,
    zh: (p) => `${p.count} 个连接中已结束 ${p.finished} 个：${p.served} 个得到了应答`,
  },
  'peer-crowd-connection': {
    en: (p) => `connection ${p.connection}: ${renderPeerLine(p.line, 'en')}`,
    zh: (p) => `第 ${p.connection} 个连接：${renderPeerLine(p.line, 'zh')}`,
  },
  'peer-crowd-connect-slow': {
    en: (p) =>
      `not connected within ${s(p.seconds, 'en')}: the server's queue of connections waiting for accept() stayed full`,
    zh: (p) => `${s(p.seconds, 'zh')}内没能建立连接：服务器等待 accept() 的连接队列一直是满的`,
  },
  'peer-crowd-connect-failed': {
    en: (p) => `could not connect: ${p.error}`,
    zh: (p) => `无法连接：${p.error}`,
  },
  'peer-crowd-closed-early': {
    en: (p) =>
      `the server ${p.reset ? 'reset' : 'closed'} the connection before echoing ${p.expected}`,
    zh: (p) => `服务器在回显 ${p.expected} 之前就${p.reset ? '重置' : '关闭'}了连接`,
  },
  'peer-crowd-more-failures': {
    en: (p) =>
      `${p.count === 1 ? '1 more connection' : `${p.count} more connections`} failed; only the first ones are written here`,
    zh: (p) => `另有 ${p.count} 个连接失败；这里只写出了前几个`,
  },
  'peer-crowd-closing-stalled': {
    en: (p) =>
      `closing ${p.count === 1 ? 'the stalled connection' : `the ${p.count} stalled connections`}`,
    zh: (p) => `正在关闭 ${p.count} 个卡住的连接`,
  },
  'peer-crowd-summary': {
    en: (p) =>
      `answered ${p.served} of ${p.count} connections` +
      (p.stalled > 0
        ? `, ${p.servedWhileStalled} of them while a stalled connection was still open`
        : '') +
      `; at most ${p.maxInFlight} waited for an echo at the same moment`,
    zh: (p) =>
      `${p.count} 个连接中有 ${p.served} 个得到了应答` +
      (p.stalled > 0 ? `，其中 ${p.servedWhileStalled} 个是在卡住的连接仍然打开时应答的` : '') +
      `；同一时刻最多有 ${p.maxInFlight} 个连接在等待回显`,
  },
  'peer-crowd-one-at-a-time': {
    en: (p) =>
      `no connection was answered while ${p.stalled === 1 ? 'the stalled connection was' : 'stalled connections were'} open: the server seems to serve one client at a time, and a client that goes quiet holds up all the others`,
    zh: () =>
      '卡住的连接打开期间，没有任何连接得到应答：服务器似乎一次只服务一个客户端，一个不再说话的客户端就会挡住其他所有客户端',
  },
  'peer-crowd-reports-capped': {
    en: (p) => `more than ${p.max} reports: only the final summary is reported from here on`,
    zh: (p) => `报告已超过 ${p.max} 条：此后只报告最后的汇总`,
  },
  'peer-file-sending': {
    en: (p) =>
      `file ${p.index}: sending ${JSON.stringify(p.name)}, ${b(p.size, 'en')}, sha256 ${p.sha256}`,
    zh: (p) =>
      `第 ${p.index} 个文件：正在发送 ${JSON.stringify(p.name)}，${b(p.size, 'zh')}，sha256 ${p.sha256}`,
  },
  'peer-files-sent': {
    en: (p) => `sent ${plural(p.count, 'file')} in ${p.ms} ms: closing my side`,
    zh: (p) => `${p.ms} 毫秒内发完了 ${p.count} 个文件：关闭我这一端`,
  },
  'peer-file-header': {
    en: (p) => `header: ${JSON.stringify(p.name)}, ${b(p.size, 'en')}, sha256 ${p.sha256}`,
    zh: (p) => `收到头部：${JSON.stringify(p.name)}，${b(p.size, 'zh')}，sha256 ${p.sha256}`,
  },
  'peer-file-progress': {
    en: (p) => `${p.bytes} of ${p.size} bytes after ${p.ms} ms`,
    zh: (p) => `${p.ms} 毫秒后已收到 ${p.bytes} / ${p.size} 字节`,
  },
  'peer-file-received': {
    en: (p) =>
      `received all ${p.bytes} bytes in ${p.elapsedMs} ms (${rate(p.throughput, 'en')}); sha256 ${p.sha256} matches: answering OK`,
    zh: (p) =>
      `${p.elapsedMs} 毫秒内收齐了全部 ${p.bytes} 字节（${rate(p.throughput, 'zh')}）；sha256 ${p.sha256} 与头部一致：回复 OK`,
  },
  'peer-file-failed': {
    en: (p) =>
      p.reason === 'sha256-mismatch'
        ? `all ${p.bytes} bytes arrived, but they hash to ${p.sha256}, not ${p.expected} as the header said: answering ERROR`
        : `only ${p.bytes} of ${p.size} bytes arrived before the connection ${p.reason === 'short' ? 'ended' : 'went quiet'}: answering ERROR`,
    zh: (p) =>
      p.reason === 'sha256-mismatch'
        ? `${p.bytes} 字节全部到了，但它们的 sha256 是 ${p.sha256}，不是头部说的 ${p.expected}：回复 ERROR`
        : `连接${p.reason === 'short' ? '结束' : '没了动静'}之前只收到 ${p.bytes} / ${p.size} 字节：回复 ERROR`,
  },
  'peer-file-bad-header': {
    en: (p) => `cannot read the header: ${badHeader(p, 'en')}: answering ERROR`,
    zh: (p) => `无法读取头部：${badHeader(p, 'zh')}：回复 ERROR`,
  },
  'peer-file-no-header': {
    en: (p) => `the client closed its side after ${p.bytes} bytes, before a whole header line`,
    zh: (p) => `客户端只发了 ${p.bytes} 字节、还没发完一整行头部，就关闭了它那一端`,
  },
  'peer-file-idle': {
    en: (p) =>
      `nothing arrived for ${s(p.seconds, 'en')} ${p.stage === 'header' ? 'before the header line ended' : `after ${p.bytes} bytes of the file`}`,
    zh: (p) =>
      `${p.stage === 'header' ? '头部那一行还没结束' : `收到文件的 ${p.bytes} 字节之后`}，${s(p.seconds, 'zh')}内什么也没再收到`,
  },
  'peer-chat-connect-failed': {
    en: (p) =>
      `${p.nick} could not connect to ${p.address}: no chat server accepted the connection`,
    zh: (p) => `${p.nick} 无法连接 ${p.address}：没有聊天服务器接受这个连接`,
  },
  'peer-chat-joined': {
    en: (p) => `${p.nick} connected and sent NICK ${p.nick}`,
    zh: (p) => `${p.nick} 已连接，并发送了 NICK ${p.nick}`,
  },
  'peer-chat-joined-slow': {
    en: (p) =>
      `${p.nick} connected and sent NICK ${p.nick}, and from now on reads nothing: a slow consumer, whose receive window will fill`,
    zh: (p) =>
      `${p.nick} 已连接并发送了 NICK ${p.nick}，此后不再读取任何数据：一个慢消费者，它的接收窗口会被填满`,
  },
  'peer-chat-flood': {
    en: (p) =>
      `${p.nick} sends ${p.lines} filler lines (${p.mib.toFixed(1)} MiB) so that ${p.slow}'s window fills up; the others must still get them`,
    zh: (p) =>
      `${p.nick} 发送 ${p.lines} 行填充数据（${p.mib.toFixed(1)} MiB），好把 ${p.slow} 的接收窗口塞满；其他人仍然必须收到它们`,
  },
  'peer-chat-flood-stuck': {
    en: (p) =>
      `${p.nick} got only ${p.got} of the ${p.lines} filler lines within ${s(p.seconds, 'en')}: the server seems stuck writing to the slow bot`,
    zh: (p) =>
      `${p.nick} 在 ${s(p.seconds, 'zh')}内只收到了 ${p.lines} 行填充数据中的 ${p.got} 行：服务器似乎卡在给那个慢的机器人写数据上`,
  },
  'peer-chat-dropped': {
    en: (p) =>
      `the server ${p.reset ? 'reset' : 'closed'} ${p.nick}'s connection while ${p.nick} was still in the chat`,
    zh: (p) => `${p.nick} 还在聊天室里，服务器就${p.reset ? '重置' : '关闭'}了它的连接`,
  },
  'peer-chat-said': {
    en: (p) => `${p.nick} said ${p.lines}`,
    zh: (p) => `${p.nick} 说了 ${p.lines}`,
  },
  'peer-chat-echoed': {
    en: (p) =>
      `${p.nick} got its own line back: ${p.line}; the sender should not get its own message`,
    zh: (p) => `${p.nick} 收到了自己发出的那一行：${p.line}；发送者不应该再收到自己的消息`,
  },
  'peer-chat-unattributed': {
    en: (p) =>
      `${p.nick} got ${p.line}, a line of ${p.from}'s, but without the name ${p.from} on it`,
    zh: (p) =>
      `${p.nick} 收到了 ${p.line}，这是 ${p.from} 说的话，但这一行里没有 ${p.from} 这个名字`,
  },
  'peer-chat-missing': {
    en: (p) => `${p.nick} never got ${p.from}'s line ${p.data} (waited ${s(p.seconds, 'en')})`,
    zh: (p) => `${p.nick} 一直没收到 ${p.from} 说的 ${p.data}（等了 ${s(p.seconds, 'zh')}）`,
  },
  'peer-chat-left': {
    en: (p) =>
      `${p.nick} left by ${p.reset ? 'a reset (RST)' : 'a clean close (FIN)'}` +
      (p.stayed > 0 ? `; ${p.noticed} of the ${p.stayed} still here saw a line naming it` : ''),
    zh: (p) =>
      `${p.nick} 以${p.reset ? '重置（RST）' : '正常关闭（FIN）'}的方式离开` +
      (p.stayed > 0 ? `；留下的 ${p.stayed} 个里有 ${p.noticed} 个看到了提到它的那一行` : ''),
  },
  'peer-chat-leave-unseen': {
    en: (p) =>
      `after ${p.nick} left, ${p.missed} saw no line naming it within ${s(p.seconds, 'en')}: the others should be told who left`,
    zh: (p) =>
      `${p.nick} 离开后，${p.missed} 在 ${s(p.seconds, 'zh')}内没有看到任何提到它的行：应该告诉其他人是谁离开了`,
  },
  'peer-chat-summary': {
    en: (p) =>
      `${p.delivered} of ${p.expected} lines delivered` +
      (p.delivered > 0 ? `, the slowest after ${p.maxLatencyMs} ms` : '') +
      (p.slow ? `, ${p.deliveredWhileSlow} while the slow bot was not reading` : '') +
      `; ${p.leavesNoticed} of ${p.leavesExpected} leave notices seen`,
    zh: (p) =>
      `应送达 ${p.expected} 行，送达了 ${p.delivered} 行` +
      (p.delivered > 0 ? `，最慢的用了 ${p.maxLatencyMs} 毫秒` : '') +
      (p.slow ? `，其中 ${p.deliveredWhileSlow} 行是在慢机器人不读数据时送达的` : '') +
      `；应看到 ${p.leavesExpected} 条离开通知，看到了 ${p.leavesNoticed} 条`,
  },
  ...FAULT_WORDING,
};

/** A transfer rate: 1.2 MB/s (decimal megabytes: how rates are quoted). */
function rate(bytesPerSecond: number, lang: Lang): string {
  const mb = (bytesPerSecond / 1e6).toFixed(2);
  return lang === 'zh' ? `${mb} MB/秒` : `${mb} MB/s`;
}

/** Why a file header could not be read. */
function badHeader(p: PeerLineParams['peer-file-bad-header'], lang: Lang): string {
  const en = lang === 'en';
  switch (p.reason) {
    case 'too-long':
      return en ? `no "\\n" within ${p.max} bytes` : `${p.max} 字节内没有 "\\n"`;
    case 'not-json':
      return en ? `the line is not JSON: ${p.text}` : `这一行不是 JSON：${p.text}`;
    case 'fields':
      return en
        ? `it needs "name" (a string), "size" (a whole number) and "sha256" (a string): ${p.text}`
        : `需要 "name"（字符串）、"size"（整数）和 "sha256"（字符串）：${p.text}`;
    case 'too-large':
      return en
        ? `size ${p.size} is above the ${p.max} bytes accepted`
        : `大小 ${p.size} 超过了允许的 ${p.max} 字节`;
  }
}

/** The line as the peer's terminal shows it (without the peer's name), in `lang`. */
export function renderPeerLine(line: PeerLine, lang: Lang): string {
  const wording = PEER_WORDING[line.code] as PeerWording[PeerLineCode];
  return (wording[lang] as (params: unknown) => string)(line.params);
}
