/** tcp-echo: listens on 127.0.0.1:PORT and sends every byte it receives straight back. */
import net from 'node:net';
import type { PeerConfig } from './config.ts';
import { quote, type PeerIo } from './peer-io.ts';
import { listenOrExit } from './listen.ts';

/** Runs the TCP echo server until the run stops it. */
export function runTcpEcho(config: PeerConfig, io: PeerIo): void {
  const server = net.createServer((socket) => {
    const from = `${socket.remoteAddress}:${socket.remotePort}`;
    io.log(`connection from ${from}`);
    io.report('connection', { from });
    socket.on('data', (data) => {
      const text = data.toString('utf8');
      io.log(`received ${quote(text)} (${data.length} bytes), echoing`);
      io.report('received', { from, data: text, bytes: data.length });
      // A client that sends without reading the echoes back must not grow this peer's memory:
      // stop reading until it has taken what is already queued.
      if (!socket.write(data)) {
        socket.pause();
        socket.once('drain', () => socket.resume());
      }
    });
    socket.on('end', () => io.log(`${from} closed the connection`));
    socket.on('error', (error) => io.log(`connection from ${from} failed: ${error.message}`));
    socket.on('close', (hadError) => io.report('closed', { from, clean: !hadError }));
  });
  listenOrExit(server, config.port, io);
}
