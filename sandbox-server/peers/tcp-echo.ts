/**
 * tcp-echo: listens on 127.0.0.1:PORT and sends every byte it receives straight back, or, with
 * `waitForEnd`, the whole request at once after the client's FIN (then it closes its side).
 * With a `banner`, each connection first gets that text, its placeholders drawn from the seed.
 */
import net from 'node:net';
import type { PeerConfig, PeerGo, TcpEchoOptions } from './config.ts';
import { quote, type PeerIo } from './peer-io.ts';
import { listenOrExit, trackConnection } from './listen.ts';
import { expanderOf } from './payload.ts';

/** The most a request may hold while the echo waits for its end. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** Runs the TCP echo server until the run stops it. */
export function runTcpEcho(config: PeerConfig, io: PeerIo, go: Promise<PeerGo>): void {
  const { waitForEnd, banner } = config.options as unknown as TcpEchoOptions;
  const expand = expanderOf(go);
  const server = net.createServer({ allowHalfOpen: waitForEnd }, (socket) => {
    const from = trackConnection(socket, io);
    // Until the handlers below are attached the socket does not read: what the client sends
    // meanwhile waits in the kernel, so the banner goes out before any echo.
    void expand.then((draw) => {
      if (socket.destroyed) return;
      if (banner !== undefined) sendBanner(socket, from, draw(banner));
      echo(socket, from);
    });
  });

  function sendBanner(socket: net.Socket, from: string, text: string): void {
    socket.write(text);
    io.say({ code: 'peer-sent-banner', params: { data: quote(text) } });
    io.report('sent', { from, data: text, kind: 'banner' });
  }

  function echo(socket: net.Socket, from: string): void {
    const request: Buffer[] = [];
    let requestBytes = 0;
    socket.on('data', (data) => {
      const text = data.toString('utf8');
      io.report('received', { from, data: text, bytes: data.length });
      if (!waitForEnd) return echoNow(socket, from, data, text);
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
      const whole = Buffer.concat(request);
      socket.end(whole);
      io.report('sent', { from, data: whole.toString('utf8'), kind: 'echo' });
    });
  }

  function echoNow(socket: net.Socket, from: string, data: Buffer, text: string): void {
    io.say({ code: 'peer-received-echoing', params: { data: quote(text), bytes: data.length } });
    io.report('sent', { from, data: text, kind: 'echo' });
    // A client that sends without reading the echoes back must not grow this peer's memory:
    // stop reading until it has taken what is already queued.
    if (!socket.write(data)) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  }

  listenOrExit(server, config.port, io);
}
