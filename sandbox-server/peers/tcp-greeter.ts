/** tcp-greeter: for every connection, sends one greeting line and closes the connection. */
import net from 'node:net';
import type { PeerConfig, TcpGreeterOptions } from './config.ts';
import { listenOrExit } from './listen.ts';
import { quote, type PeerIo } from './peer-io.ts';

/** Runs the greeter until the run stops it. */
export function runTcpGreeter(config: PeerConfig, io: PeerIo): void {
  const { greeting } = config.options as unknown as TcpGreeterOptions;
  const server = net.createServer((socket) => {
    const from = `${socket.remoteAddress}:${socket.remotePort}`;
    io.say({ code: 'peer-connection-from', params: { from } });
    io.report('connection', { from });
    socket.on('error', (error) =>
      io.say({ code: 'peer-connection-failed', params: { from, error: error.message } }),
    );
    socket.end(greeting, () => {
      io.say({ code: 'peer-greeted', params: { data: quote(greeting) } });
      io.report('sent', { from, data: greeting });
    });
    socket.on('close', (hadError) => io.report('closed', { from, clean: !hadError }));
  });
  listenOrExit(server, config.port, io);
}
