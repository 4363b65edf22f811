/**
 * What a process killed at the wall-time limit was doing: from the snapshot of its blocked
 * threads when there is one, otherwise read from its packets (who sent last, who never closed).
 */
import type { ProcessRecord, RecordedPacket, RunRecord } from '../lessons/define.ts';
import { blockedText, tellingThread } from './blocked.ts';
import { tcpConnections, udpPackets, type TcpConnection } from './packets.ts';
import type { LocalizedText } from './text.ts';

/**
 * The kill at the limit closes every socket at once: a FIN sent this close to the capture's
 * last packet is the kill's doing, not the program's.
 */
const KILL_WINDOW_MS = 300;

/** One sentence on what process `name` was waiting for when the time limit stopped it. */
export function timeLimitText(run: RunRecord, name: string, proc: ProcessRecord): LocalizedText {
  const thread = tellingThread(proc.blocked ?? []);
  if (thread) return blockedText(run, name, thread);
  return tcpHangText(run, name) ?? udpHangText(run, name) ?? stillRunning(name);
}

function stillRunning(name: string): LocalizedText {
  return {
    en: `${name} was still running when the time limit stopped it: it did not finish in time (an endless loop, or a wait for something that never came).`,
    zh: `时间限制把 ${name} 停掉时，它还在运行：它没能按时结束（可能是死循环，或者在等待始终没有到来的东西）。`,
  };
}

/** The prefix every packet-based explanation shares. */
const stopped = (name: string) => ({
  en: `${name} was still running when the time limit stopped it:`,
  zh: `时间限制把 ${name} 停掉时，它还在运行：`,
});

/** From the last TCP connection of `name`: who sent the last data, and whether the peer closed. */
function tcpHangText(run: RunRecord, name: string): LocalizedText | undefined {
  const connection = tcpConnections(run)
    .filter((c) => c.client.owner === name || c.server.owner === name)
    .at(-1);
  if (!connection) return undefined;
  const mine = connection.client.owner === name ? connection.client : connection.server;
  const theirs = mine === connection.client ? connection.server : connection.client;
  const why =
    peerClosedText(run, connection, theirs.port) ?? dataText(connection, mine.port, theirs.port);
  const prefix = stopped(name);
  return { en: `${prefix.en} ${why.en}`, zh: `${prefix.zh}${why.zh}` };
}

/** The peer's FIN, if it closed before the kill: then the process waited for something else. */
function peerClosedText(
  run: RunRecord,
  connection: TcpConnection,
  peerPort: number,
): LocalizedText | undefined {
  const end = Math.max(...(run.packets ?? []).map((packet) => packet.t));
  const fin = connection.fins.find(
    (packet) => packet.sport === peerPort && packet.t < end - KILL_WINDOW_MS,
  );
  if (!fin) return undefined;
  return {
    en: `port ${peerPort} had closed the connection (FIN, packet #${fin.n}), so it was waiting for something else.`,
    zh: `${peerPort} 端口早已关闭了连接（FIN，第 ${fin.n} 个包），所以它是在等别的东西。`,
  };
}

/** Who sent the last data on a connection the peer never closed. */
function dataText(connection: TcpConnection, myPort: number, peerPort: number): LocalizedText {
  const last = connection.packets.filter((packet) => packet.len > 0 && !packet.retrans).at(-1);
  if (!last) {
    return {
      en: `no data went either way on its connection with port ${peerPort}: each side was waiting for the other to send first.`,
      zh: `它与 ${peerPort} 端口的连接上双方都没有发送任何数据：每一方都在等对方先发。`,
    };
  }
  if (last.sport === myPort) {
    const sent =
      myPort === connection.client.port ? connection.bytesToServer : connection.bytesToClient;
    return {
      en: `it had sent ${sent} bytes to port ${peerPort} (the last in packet #${last.n}) and nothing came back, so it was most likely waiting in recv() while the peer waited for more, e.g. for the end of the request (sock.shutdown(socket.SHUT_WR)).`,
      zh: `它向 ${peerPort} 端口发送了 ${sent} 字节（最后一段是第 ${last.n} 个包），却什么也没收到，所以它很可能在 recv() 里等待，而对方在等更多数据，例如等请求结束（sock.shutdown(socket.SHUT_WR)）。`,
    };
  }
  return {
    en: `the last data came from port ${peerPort} (packet #${last.n}) and that side never closed the connection (no FIN), so a recv() loop waiting for b"" waited forever: stop reading once the whole message is in.`,
    zh: `最后的数据来自 ${peerPort} 端口（第 ${last.n} 个包），而那一端从未关闭连接（没有 FIN），所以等待 b"" 的 recv() 循环会一直等下去：收到完整的消息后就该停止读取。`,
  };
}

/** From the UDP datagrams of `name`: a last datagram that got no reply. */
function udpHangText(run: RunRecord, name: string): LocalizedText | undefined {
  const packets = udpPackets(run);
  const last = packets.filter((packet) => packet.srcOwner === name).at(-1);
  if (!last || packets.some((packet) => answers(packet, last))) return undefined;
  const prefix = stopped(name);
  return {
    en: `${prefix.en} its last datagram to port ${last.dport} (packet #${last.n}) got no reply, so it was most likely waiting for one that never came: UDP does not resend a lost datagram, so set a timeout with sock.settimeout() and send again when it expires.`,
    zh: `${prefix.zh}它发往 ${last.dport} 端口的最后一个数据报（第 ${last.n} 个包）没有得到回复，所以它很可能在等一个始终没有到来的回复：UDP 不会重发丢失的数据报，所以请用 sock.settimeout() 设置超时，超时后再发送一次。`,
  };
}

/** True when `packet` came back to the sender of `sent`, after it. */
const answers = (packet: RecordedPacket, sent: RecordedPacket): boolean =>
  packet.n > sent.n && packet.dport === sent.sport && packet.sport === sent.dport;
