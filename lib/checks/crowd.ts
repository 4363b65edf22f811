/**
 * Judging a server against the `tcp-crowd` peer: its reports about the normal (not stalled)
 * connections, and those connections as the capture saw them.
 */
import type {
  CheckOutcome,
  PeerReport,
  RecordedPacket,
  RunRecord,
  Translate,
} from '../lessons/define.ts';
import { withEnd } from './explain-end.ts';
import { fail, noCapture, pass } from './outcomes.ts';
import { hasFlag, tcpConnections, type TcpConnection } from './packets.ts';
import { reportsOf } from './reports.ts';
import type { LocalizedText } from './text.ts';

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

/** What `serverClosedEach` judges: the learner's server, its port, and what to do when it fails. */
export interface ServerClosedOptions {
  server: string;
  port: number;
  /** How soon after a client's FIN the server's must follow. */
  withinMs: number;
  /** The lesson's way to close (e.g. "when recv() returns b'', close the connection"). */
  advice: LocalizedText;
}

/**
 * The whole "your server closed each connection once its client was done" check against a crowd
 * on `port`: no capture, no client that got to send a line, a connection left open after its
 * client's FIN (with the lesson's advice), or a pass.
 */
export function serverClosedEach(
  run: RunRecord,
  t: Translate,
  { server, port, withinMs, advice }: ServerClosedOptions,
): CheckOutcome {
  const missing = noCapture(run, t);
  if (missing) return missing;
  if (crowdConnections(run, port).length === 0)
    return fail(
      withEnd(
        run,
        t,
        server,
        t({
          en: `No client got to send a line to your server on 127.0.0.1:${port}.`,
          zh: `没有任何客户端向你在 127.0.0.1:${port} 上的服务器发出过一行。`,
        }),
      ),
    );
  const open = unclosedAfterFin(run, port, withinMs);
  if (open) {
    const client = open.client.port;
    return fail(
      t({
        en: `The client on port ${client} shut down its side, and your server did not close that connection within ${withinMs} ms: ${advice.en}.`,
        zh: `端口 ${client} 上的客户端关闭了它的发送方向，你的服务器却没有在 ${withinMs} 毫秒内关闭这个连接：${advice.zh}。`,
      }),
    );
  }
  return pass(
    t({
      en: `Your server closed each connection once its client was done (a FIN from port ${port}).`,
      zh: `每个客户端结束后，你的服务器都关闭了对应的连接（端口 ${port} 发出了 FIN）。`,
    }),
  );
}
