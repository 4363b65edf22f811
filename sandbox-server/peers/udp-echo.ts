/**
 * udp-echo: bound to HOST:PORT (127.0.0.1, or 0.0.0.0 to also receive broadcasts sent to
 * 127.255.255.255), sends every datagram back to where it came from, or, with `reply: false`,
 * only reports it.
 */
import dgram from 'node:dgram';
import type { PeerConfig, UdpEchoOptions } from './config.ts';
import { quote, type PeerIo } from './peer-io.ts';

/** Runs the UDP echo server until the run stops it. */
export function runUdpEcho(config: PeerConfig, io: PeerIo): void {
  const { host, reply } = config.options as unknown as UdpEchoOptions;
  const address = `${host}:${config.port}`;
  const socket = dgram.createSocket('udp4');
  let bound = false;
  socket.on('error', (error) => {
    if (bound) return io.say({ code: 'peer-socket-error', params: { error: error.message } });
    io.say({ code: 'peer-bind-failed', params: { address, error: error.message } });
    io.report('listen-failed', { port: config.port, error: error.message });
    process.exit(1);
  });
  socket.on('message', (message, remote) => {
    const from = `${remote.address}:${remote.port}`;
    const text = message.toString('utf8');
    const received = { data: quote(text), bytes: message.length, from };
    io.report('received', { from, data: text, bytes: message.length });
    if (!reply) return io.say({ code: 'peer-datagram-received', params: received });
    io.say({ code: 'peer-datagram-echoing', params: received });
    // A send error (the sender's port gone) is the sender's problem, not this peer's crash.
    socket.send(message, remote.port, remote.address, (error) => {
      if (error) io.say({ code: 'peer-socket-error', params: { error: error.message } });
    });
    io.report('sent', { to: from, data: text });
  });
  socket.bind(config.port, host, () => {
    bound = true;
    io.say({ code: 'peer-bound-udp', params: { address } });
    io.report('listening', { port: config.port, host });
  });
}
