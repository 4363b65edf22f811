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
    io.say({ code: 'peer-connection-from', params: { from } });
    io.report('connection', { from });
    const request: Buffer[] = [];
    let requestBytes = 0;
    socket.on('data', (data) => {
      const text = data.toString('utf8');
      io.report('received', { from, data: text, bytes: data.length });
      if (!waitForEnd) return echoNow(socket, data, text);
      const received = { data: quote(text), bytes: data.length };
      io.say({ code: 'peer-received-waiting', params: received });
      requestBytes += data.length;
      if (requestBytes <= MAX_REQUEST_BYTES) return void request.push(data);
      io.say({ code: 'peer-request-too-long', params: { max: MAX_REQUEST_BYTES } });
      socket.destroy();
    });
    socket.on('end', () => {
      io.say({ code: 'peer-closed-by', params: { from } });
      if (!waitForEnd) return;
      io.report('request-ended', { from, bytes: requestBytes });
      io.say({ code: 'peer-echoing-request', params: { bytes: requestBytes } });
      socket.end(Buffer.concat(request));
    });
    socket.on('error', (error) =>
      io.say({ code: 'peer-connection-failed', params: { from, error: error.message } }),
    );
    socket.on('close', (hadError) => io.report('closed', { from, clean: !hadError }));
  });

  function echoNow(socket: net.Socket, data: Buffer, text: string): void {
    io.say({ code: 'peer-received-echoing', params: { data: quote(text), bytes: data.length } });
    // A client that sends without reading the echoes back must not grow this peer's memory:
    // stop reading until it has taken what is already queued.
    if (!socket.write(data)) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  }

  listenOrExit(server, config.port, io);
}
