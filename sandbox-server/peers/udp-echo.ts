/** udp-echo: bound to 127.0.0.1:PORT, sends every datagram back to where it came from. */
import dgram from 'node:dgram';
import type { PeerConfig } from './config.ts';
import { PEER_HOST } from './listen.ts';
import { quote, type PeerIo } from './peer-io.ts';

/** Runs the UDP echo server until the run stops it. */
export function runUdpEcho(config: PeerConfig, io: PeerIo): void {
  const socket = dgram.createSocket('udp4');
  socket.on('error', (error) => {
    const address = `${PEER_HOST}:${config.port}`;
    io.say({ code: 'peer-bind-failed', params: { address, error: error.message } });
    io.report('listen-failed', { port: config.port, error: error.message });
    process.exit(1);
  });
  socket.on('message', (message, remote) => {
    const from = `${remote.address}:${remote.port}`;
    const text = message.toString('utf8');
    const received = { data: quote(text), bytes: message.length, from };
    io.say({ code: 'peer-datagram-echoing', params: received });
    io.report('received', { from, data: text, bytes: message.length });
    socket.send(message, remote.port, remote.address);
  });
  socket.bind(config.port, PEER_HOST, () => {
    io.say({ code: 'peer-bound-udp', params: { address: `${PEER_HOST}:${config.port}` } });
    io.report('listening', { port: config.port });
  });
}
