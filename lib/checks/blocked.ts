/**
 * What a process killed at the wall-time limit was waiting for, from the snapshot of its
 * blocked threads (`ProcessRecord.blocked`) and the connection it was on.
 */
import type { BlockedCall, BlockedThread, RunRecord } from '../lessons/define.ts';
import { tcpConnections, udpPackets, type TcpConnection } from './packets.ts';
import { portOf, type LocalizedText } from './text.ts';

/** The most telling call first: a thread in recv() explains more than one asleep. */
const PRIORITY: BlockedCall[] = [
  'recv',
  'accept',
  'connect',
  'send',
  'input',
  'select',
  'sleep',
  'other',
];

/** The thread whose call best explains the hang. */
export function tellingThread(threads: BlockedThread[]): BlockedThread | undefined {
  return [...threads].sort((a, b) => PRIORITY.indexOf(a.call) - PRIORITY.indexOf(b.call))[0];
}

/** One sentence on what thread `thread` of process `name` was blocked in at the time limit. */
export function blockedText(run: RunRecord, name: string, thread: BlockedThread): LocalizedText {
  const socket = thread.socket;
  const local = socket?.local ?? '?';
  const remote = socket?.remote ?? '?';
  switch (thread.call) {
    case 'recv':
      return socket?.proto === 'udp'
        ? udpRecvText(run, name, local)
        : tcpRecvText(run, name, thread);
    case 'accept':
      return {
        en: `${name} waited in accept() on ${local} for a client that never connected, until the time limit stopped it.`,
        zh: `${name} 一直在 ${local} 上的 accept() 里等待一个始终没有连上来的客户端，直到时间限制把它停掉。`,
      };
    case 'connect':
      return {
        en: `${name} waited in connect() to ${remote} for an answer that never came, until the time limit stopped it.`,
        zh: `${name} 一直在连接 ${remote} 的 connect() 里等待一个始终没有到来的回应，直到时间限制把它停掉。`,
      };
    case 'send':
      return {
        en: `${name} waited in send() on ${local} → ${remote} until the time limit stopped it: the peer stopped reading, so its receive buffer filled up and nothing more could go out.`,
        zh: `${name} 一直在 ${local} → ${remote} 的 send() 里等待，直到时间限制把它停掉：对方不再读取，它的接收缓冲区满了，数据再也发不出去。`,
      };
    case 'input':
      return {
        en: `${name} waited for keyboard input (input()) that nobody typed, until the time limit stopped it.`,
        zh: `${name} 一直在等待键盘输入（input()），却没有人输入，直到时间限制把它停掉。`,
      };
    case 'select':
      return {
        en: `${name} waited in ${thread.syscall}() for a socket to become ready, and none did before the time limit stopped it.`,
        zh: `${name} 一直在 ${thread.syscall}() 里等待某个套接字就绪，直到时间限制把它停掉也没有一个就绪。`,
      };
    case 'sleep':
      return {
        en: `${name} was sleeping (time.sleep()) when the time limit stopped it: it needed more time than the run allows.`,
        zh: `时间限制把 ${name} 停掉时，它正在休眠（time.sleep()）：它需要的时间超过了这次运行允许的时长。`,
      };
    default:
      return {
        en: `${name} was blocked in the system call ${thread.syscall}() when the time limit stopped it.`,
        zh: `时间限制把 ${name} 停掉时，它正阻塞在系统调用 ${thread.syscall}() 里。`,
      };
  }
}

/** The connection between two local ports, as the capture saw it. */
function connectionBetween(run: RunRecord, local?: number, remote?: number) {
  return tcpConnections(run).find(
    (connection) =>
      (connection.client.port === local && connection.server.port === remote) ||
      (connection.client.port === remote && connection.server.port === local),
  );
}

/** The last data packet on `connection` that is not a retransmission. */
function lastData(connection: TcpConnection) {
  return connection.packets.filter((packet) => packet.len > 0 && !packet.retrans).at(-1);
}

/** recv() on a TCP connection: why no data came, told by who sent the last data on it. */
function tcpRecvText(run: RunRecord, name: string, thread: BlockedThread): LocalizedText {
  const { local, remote = '?', state } = thread.socket!;
  const connection = connectionBetween(run, portOf(local), portOf(remote));
  const last = connection && lastData(connection);
  const waiting = {
    en: `${name} waited in recv() on ${local} → ${remote} (${state}) for data that never came, until the time limit stopped it:`,
    zh: `${name} 一直在 ${local} → ${remote}（${state}）的 recv() 里等待始终没有到来的数据，直到时间限制把它停掉：`,
  };
  const why = !connection
    ? {
        en: 'the peer sent nothing more and did not close the connection.',
        zh: '对方没有再发送任何数据，也没有关闭连接。',
      }
    : !last
      ? {
          en: 'nothing was sent either way: the peer was waiting for you to send first.',
          zh: '双方都没有发送任何数据：对方在等你先发送。',
        }
      : last.sport === portOf(local)
        ? {
            en: 'the peer was waiting for you to send more, or to end your request with sock.shutdown(socket.SHUT_WR).',
            zh: '对方在等你继续发送，或者等你用 sock.shutdown(socket.SHUT_WR) 结束请求。',
          }
        : {
            en: 'the peer had sent everything and was waiting for you; recv() returns b"" only once the peer closes, so stop reading when the whole message is in.',
            zh: '对方已经发完了所有数据，正在等你；只有对方关闭连接后 recv() 才会返回 b""，所以收到完整的消息后就该停止读取。',
          };
  return { en: `${waiting.en} ${why.en}`, zh: `${waiting.zh}${why.zh}` };
}

/** recv() on a UDP socket: a datagram that never came is lost or was never sent. */
function udpRecvText(run: RunRecord, name: string, local: string): LocalizedText {
  const port = portOf(local);
  const sentSome = udpPackets(run).some((packet) => packet.sport === port);
  const waiting = {
    en: `${name} waited for a datagram on ${local} that never came, until the time limit stopped it:`,
    zh: `${name} 一直在 ${local} 上等待一个始终没有到来的数据报，直到时间限制把它停掉：`,
  };
  const why = sentSome
    ? {
        en: 'UDP does not resend a lost datagram, so set a timeout with sock.settimeout() and send again when it expires.',
        zh: 'UDP 不会重发丢失的数据报，所以请用 sock.settimeout() 设置超时，超时后再发送一次。',
      }
    : {
        en: 'no datagram was sent to it.',
        zh: '没有任何数据报发给它。',
      };
  return { en: `${waiting.en} ${why.en}`, zh: `${waiting.zh}${why.zh}` };
}
