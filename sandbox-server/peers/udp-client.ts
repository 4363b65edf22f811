/**
 * udp-client: sends each configured line (placeholders drawn from the seed) as one datagram to
 * the learner's server on 127.0.0.1:PORT, waiting up to `replyTimeoutMs` for a reply before the
 * next. Its socket is connected, so the kernel's "port unreachable" for a port nothing is bound
 * to comes back as an error, and only replies from that address are taken. Exit status 0 means
 * every datagram got a reply.
 */
import dgram from 'node:dgram';
import type { PeerConfig, PeerGo, UdpClientOptions } from './config.ts';
import { PEER_HOST } from './listen.ts';
import { expanderOf } from './payload.ts';
import { quote, type PeerIo } from './peer-io.ts';

/** What came while waiting for one datagram's reply. */
type Outcome = { reply: Buffer } | { refused: true } | { timeout: true };

/** Runs the client once and sets the exit status. */
export async function runUdpClient(
  config: PeerConfig,
  io: PeerIo,
  go: Promise<PeerGo>,
): Promise<void> {
  const options = config.options as unknown as UdpClientOptions;
  const expand = await expanderOf(go);
  const to = `${PEER_HOST}:${config.port}`;
  const socket = await connected(config.port);
  const waiter = new ReplyWaiter(socket);
  let replies = 0;
  for (const [offset, template] of options.lines.entries()) {
    const index = offset + 1;
    const text = expand(template);
    const outcome = waiter.next(options.replyTimeoutMs);
    socket.send(text);
    io.say({ code: 'peer-datagram-sent', params: { index, data: quote(text), to } });
    io.report('sent', { index, data: text, to });
    const got = await outcome;
    if ('refused' in got) {
      io.say({ code: 'peer-datagram-refused', params: { address: to } });
      io.report('refused', { index, to });
      break;
    }
    if ('timeout' in got) {
      const seconds = options.replyTimeoutMs / 1000;
      io.say({ code: 'peer-datagram-timeout', params: { index, seconds } });
      io.report('timeout', { index, seconds });
      continue;
    }
    replies += 1;
    const data = got.reply.toString('utf8');
    io.say({ code: 'peer-datagram-reply', params: { index, data: quote(data), from: to } });
    io.report('received', { index, data, from: to, bytes: got.reply.length });
  }
  socket.close();
  const ok = replies === options.lines.length;
  io.report('done', { ok, replies });
  process.exitCode = ok ? 0 : 1;
}

function connected(port: number): Promise<dgram.Socket> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.connect(port, PEER_HOST, () => resolve(socket));
  });
}

/**
 * Hands the first datagram (or "refused") that arrives while one waits to that waiter; what
 * comes while nobody waits (a late or duplicated reply) is dropped, so a flood costs nothing.
 */
class ReplyWaiter {
  private waiting: ((outcome: Outcome) => void) | null = null;

  constructor(socket: dgram.Socket) {
    socket.on('message', (reply) => this.settle({ reply }));
    // On a connected socket an ICMP "port unreachable" comes back as ECONNREFUSED.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') this.settle({ refused: true });
    });
  }

  /** The outcome of the next wait, at most `timeoutMs` from now. */
  next(timeoutMs: number): Promise<Outcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle({ timeout: true }), timeoutMs);
      this.waiting = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
    });
  }

  private settle(outcome: Outcome): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(outcome);
  }
}
