/** The run's captured packets, sorted into TCP connections and UDP datagrams. */
import type { RecordedPacket, RunRecord } from '../lessons/define.ts';

/** The flags checks ask about. */
export type CheckedFlag = 'SYN' | 'ACK' | 'FIN' | 'RST' | 'PSH';

/** One end of a TCP connection: its port, and the process owning it when the capture knew. */
export interface Endpoint {
  port: number;
  /** A process name of the record, e.g. `client.py` or `peer:echo`. */
  owner?: string;
}

/** One TCP connection of the capture, its handshake, teardown and data counted. */
export interface TcpConnection {
  /** The side that sent the SYN (when the SYN was not captured: the higher, ephemeral port). */
  client: Endpoint;
  server: Endpoint;
  /** The client's SYN, the server's SYN-ACK and the client's ACK that completes the handshake. */
  syn?: RecordedPacket;
  synAck?: RecordedPacket;
  ack?: RecordedPacket;
  /** Packets with FIN, and with RST, from either side, in order. */
  fins: RecordedPacket[];
  rsts: RecordedPacket[];
  /** Payload bytes each way, retransmissions not counted twice. */
  bytesToServer: number;
  bytesToClient: number;
  /** All its packets, in capture order. */
  packets: RecordedPacket[];
}

/** The run's TCP packets, in capture order (none when nothing was captured). */
export function tcpPackets(run: RunRecord): RecordedPacket[] {
  return (run.packets ?? []).filter((packet) => packet.proto === 'tcp');
}

/** The run's UDP packets, in capture order (none when nothing was captured). */
export function udpPackets(run: RunRecord): RecordedPacket[] {
  return (run.packets ?? []).filter((packet) => packet.proto === 'udp');
}

/** True when the TCP packet has `flag` set. */
export function hasFlag(packet: RecordedPacket, flag: CheckedFlag): boolean {
  return packet.flags?.includes(flag) ?? false;
}

/** True for a connection request: SYN without ACK. */
export function isSyn(packet: RecordedPacket): boolean {
  return hasFlag(packet, 'SYN') && !hasFlag(packet, 'ACK');
}

/** True when `packet` went from the connection's client to its server. */
export function fromClient(connection: TcpConnection, packet: RecordedPacket): boolean {
  return packet.sport === connection.client.port && packet.dport === connection.server.port;
}

/** The same key for both directions of a 4-tuple. */
function tupleKey(packet: RecordedPacket): string {
  const ends = [`${packet.src}:${packet.sport}`, `${packet.dst}:${packet.dport}`].sort();
  return ends.join(' ');
}

/** A new connection whose first captured packet is `first`: it tells who is the client. */
function openConnection(first: RecordedPacket): TcpConnection {
  const sport = first.sport!;
  const dport = first.dport!;
  const clientSent =
    isSyn(first) || (!(hasFlag(first, 'SYN') && hasFlag(first, 'ACK')) && sport > dport);
  return {
    client: { port: clientSent ? sport : dport },
    server: { port: clientSent ? dport : sport },
    fins: [],
    rsts: [],
    bytesToServer: 0,
    bytesToClient: 0,
    packets: [],
  };
}

/** Files `packet` into its connection: handshake, teardown, owners and byte counts. */
function addPacket(connection: TcpConnection, packet: RecordedPacket): void {
  connection.packets.push(packet);
  const up = fromClient(connection, packet);
  const [sender, receiver] = up
    ? [connection.client, connection.server]
    : [connection.server, connection.client];
  sender.owner ??= packet.srcOwner;
  receiver.owner ??= packet.dstOwner;
  if (up && isSyn(packet)) connection.syn ??= packet;
  if (!up && hasFlag(packet, 'SYN') && hasFlag(packet, 'ACK')) connection.synAck ??= packet;
  if (up && connection.synAck && !connection.ack && completesHandshake(packet))
    connection.ack = packet;
  if (hasFlag(packet, 'FIN')) connection.fins.push(packet);
  if (hasFlag(packet, 'RST')) connection.rsts.push(packet);
  if (packet.retrans) return;
  if (up) connection.bytesToServer += packet.len;
  else connection.bytesToClient += packet.len;
}

const completesHandshake = (packet: RecordedPacket): boolean =>
  hasFlag(packet, 'ACK') && !hasFlag(packet, 'SYN') && !hasFlag(packet, 'RST');

/** True when a new SYN on a finished connection's 4-tuple opens another connection. */
const reopens = (connection: TcpConnection, packet: RecordedPacket): boolean =>
  isSyn(packet) && connection.fins.length + connection.rsts.length > 0;

/** The run's TCP connections, grouped by 4-tuple, in the order of their first packet. */
export function tcpConnections(run: RunRecord): TcpConnection[] {
  const current = new Map<string, TcpConnection>();
  const all: TcpConnection[] = [];
  for (const packet of tcpPackets(run)) {
    if (packet.sport === undefined || packet.dport === undefined) continue;
    const key = tupleKey(packet);
    let connection = current.get(key);
    if (!connection || reopens(connection, packet)) {
      connection = openConnection(packet);
      current.set(key, connection);
      all.push(connection);
    }
    addPacket(connection, packet);
  }
  return all;
}

/** The first connection whose server listened on `port`. */
export function connectionTo(run: RunRecord, port: number): TcpConnection | undefined {
  return tcpConnections(run).find((connection) => connection.server.port === port);
}

/** The UDP datagrams (each with its payload length `len`), only those to and/or from a port. */
export function datagrams(
  run: RunRecord,
  { to, from }: { to?: number; from?: number } = {},
): RecordedPacket[] {
  return udpPackets(run).filter(
    (packet) =>
      (to === undefined || packet.dport === to) && (from === undefined || packet.sport === from),
  );
}
