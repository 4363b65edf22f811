/** udp-echo: bound to 127.0.0.1:PORT, sends every datagram back to where it came from. */
import dgram from 'node:dgram';
import type { PeerConfig } from './config.ts';
import { PEER_HOST } from './listen.ts';
import { quote, type PeerIo } from './peer-io.ts';

/** Runs the UDP echo server until the run stops it. */
export function runUdpEcho(config: PeerConfig, io: PeerIo): void {
  const socket = dgram.createSocket('udp4');
  socket.on('error', (error) => {
    io.log(`could not bind ${PEER_HOST}:${config.port}: ${error.message}`);
    io.report('listen-failed', { port: config.port, error: error.message });
    process.exit(1);
  });
  socket.on('message', (message, remote) => {
    const from = `${remote.address}:${remote.port}`;
    const text = message.toString('utf8');
    io.log(`received ${quote(text)} (${message.length} bytes) from ${from}, echoing`);
    io.report('received', { from, data: text, bytes: message.length });
    socket.send(message, remote.port, remote.address);
  });
  socket.bind(config.port, PEER_HOST, () => {
    io.log(`bound to ${PEER_HOST}:${config.port} (UDP)`);
    io.report('listening', { port: config.port });
  });
}
