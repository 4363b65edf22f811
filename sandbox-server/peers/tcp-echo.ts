/**
 * tcp-echo: listens on 127.0.0.1:PORT and sends every byte it receives straight back, or, with
 * `waitForEnd`, the whole request at once after the client's FIN (then it closes its side).
 */
import net from 'node:net';
import type { PeerConfig, TcpEchoOptions } from './config.ts';
import { quote, type PeerIo } from './peer-io.ts';
import { listenOrExit } from './listen.ts';

/** The most a request may hold while the echo waits for its end. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Runs the TCP echo server until the run stops it. */
export function runTcpEcho(config: PeerConfig, io: PeerIo): void {
  const { waitForEnd } = config.options as unknown as TcpEchoOptions;
  const server = net.createServer({ allowHalfOpen: waitForEnd }, (socket) => {
    const from = `${socket.remoteAddress}:${socket.remotePort}`;
    io.log(`connection from ${from}`);
    io.report('connection', { from });
    const request: Buffer[] = [];
    let requestBytes = 0;
    socket.on('data', (data) => {
      const text = data.toString('utf8');
      io.report('received', { from, data: text, bytes: data.length });
      if (!waitForEnd) return echoNow(socket, data, text);
      io.log(`received ${quote(text)} (${data.length} bytes), waiting for the end of the request`);
      requestBytes += data.length;
      if (requestBytes <= MAX_REQUEST_BYTES) return void request.push(data);
      io.log(`the request passed ${MAX_REQUEST_BYTES} bytes without ending: closing`);
      socket.destroy();
    });
    socket.on('end', () => {
      io.log(`${from} closed the connection`);
      if (!waitForEnd) return;
      io.report('request-ended', { from, bytes: requestBytes });
      io.log(`echoing the whole request (${requestBytes} bytes), then closing`);
      socket.end(Buffer.concat(request));
    });
    socket.on('error', (error) => io.log(`connection from ${from} failed: ${error.message}`));
    socket.on('close', (hadError) => io.report('closed', { from, clean: !hadError }));
  });

  function echoNow(socket: net.Socket, data: Buffer, text: string): void {
    io.log(`received ${quote(text)} (${data.length} bytes), echoing`);
    // A client that sends without reading the echoes back must not grow this peer's memory:
    // stop reading until it has taken what is already queued.
    if (!socket.write(data)) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  }

  listenOrExit(server, config.port, io);
}
