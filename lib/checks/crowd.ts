/**
 * Judging a server against the `tcp-crowd` peer: its reports about the normal (not stalled)
 * connections, and those connections as the capture saw them.
 */
import type { PeerReport, RecordedPacket, RunRecord } from '../lessons/define.ts';
import { hasFlag, tcpConnections, type TcpConnection } from './packets.ts';
import { reportsOf } from './reports.ts';

/** What a crowd reported, from the point of view of its normal connections. */
export interface Crowd {
  /** Numbers of its stalled connections (opened first, 3 bytes and then nothing). */
  stalled: ReadonlySet<number>;
  /** Its reports of `event` about normal connections, in order. */
  normal(event: string): PeerReport[];
  /** Its final summary (`served`, `servedWhileStalled`, `maxInFlight`…), when it got that far. */
  done: PeerReport | undefined;
  /** How many lines came back on normal connection `k`. */
  matchedOn(k: number): number;
}

/** The crowd peer `name` (`crowd` or `peer:crowd`) of the run, read once. */
export function crowdOf(run: RunRecord, name = 'crowd'): Crowd {
  const connected = reportsOf(run, name, 'connected').filter((r) => r.stalled === true);
  const stalled = new Set(connected.map((r) => Number(r.connection)));
  const normal = (event: string) =>
    reportsOf(run, name, event).filter((r) => !stalled.has(Number(r.connection)));
  const matched = normal('reply-matched');
  return {
    stalled,
    normal,
    done: reportsOf(run, name, 'done')[0],
    matchedOn: (k) => matched.filter((r) => Number(r.connection) === k).length,
  };
}

/**
 * The crowd's normal connections to `port` in the capture: answered handshakes whose client sent
 * more than the 3 bytes a stalled one sends.
 */
export function crowdConnections(run: RunRecord, port: number): TcpConnection[] {
  return tcpConnections(run).filter(
    (c) => c.server.port === port && c.synAck !== undefined && c.bytesToServer > 3,
  );
}

/** The first packet of `connection` sent from `port` with `flag`. */
export function firstFrom(
  connection: TcpConnection,
  port: number,
  flag: 'FIN' | 'RST',
): RecordedPacket | undefined {
  return connection.packets.find((p) => p.sport === port && hasFlag(p, flag));
}

/**
 * The first crowd connection to `port` whose client shut down its side (FIN) and whose server
 * did not close it within `withinMs`. A client reset soon after its FIN ended the connection
 * before the server had to; a later one (the client gave up waiting) does not excuse it.
 */
export function unclosedAfterFin(
  run: RunRecord,
  port: number,
  withinMs: number,
): TcpConnection | undefined {
  return crowdConnections(run, port).find((connection) => {
    const clientFin = firstFrom(connection, connection.client.port, 'FIN');
    if (!clientFin) return false;
    const soon = (packet: RecordedPacket | undefined) =>
      packet !== undefined && packet.t - clientFin.t <= withinMs;
    if (soon(firstFrom(connection, connection.client.port, 'RST'))) return false;
    return !soon(firstFrom(connection, port, 'FIN'));
  });
}
