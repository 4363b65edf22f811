/**
 * tcp-greeter: for every connection, sends one greeting (its placeholders drawn from the seed)
 * and closes the connection. With `waitForRequest`, it first reads one line from the client
 * (its request, up to "\n", or all it sent before its FIN) and reports it. Two options make it
 * a server that fails the way real ones do: `stallMs` holds the greeting (a stalled server, which
 * only a client with a timeout survives) and `downForMs` stops listening for a while once the run
 * begins (a restarting server, which refuses connections meanwhile).
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { PeerConfig, PeerGo, TcpGreeterOptions } from './config.ts';
import { listenOrExit, PEER_HOST, trackConnection } from './listen.ts';
import { expanderOf, type Expand } from './payload.ts';
import { quote, type PeerIo } from './peer-io.ts';

/** The most a request line may hold before its "\n". */
export const MAX_REQUEST_LINE_BYTES = 64 * 1024;

/** Runs the greeter until the run stops it. */
export function runTcpGreeter(config: PeerConfig, io: PeerIo, go: Promise<PeerGo>): void {
  const { greeting, waitForRequest, stallMs, downForMs } =
    config.options as unknown as TcpGreeterOptions;
  const expand = expanderOf(go);
  // A request may end with the client's FIN (shutdown(SHUT_WR)): the greeting still goes out.
  const server = net.createServer({ allowHalfOpen: waitForRequest }, (socket) => {
    const from = trackConnection(socket, io);
    let stall: NodeJS.Timeout | undefined;
    socket.on('close', () => clearTimeout(stall));
    const send = (): void =>
      void expand.then((draw) => {
        // A client that timed out and left gets nothing: writing to it would only be reset.
        if (!socket.destroyed && socket.writable) sendGreeting(socket, from, draw);
      });
    const greet = (): void => {
      if (stallMs === 0) return send();
      io.say({ code: 'peer-greeter-stalling', params: { seconds: stallMs / 1000 } });
      io.report('stalling', { from, ms: stallMs });
      stall = setTimeout(send, stallMs);
    };
    if (waitForRequest) readRequest(socket, from, greet);
    else greet();
  });

  function sendGreeting(socket: net.Socket, from: string, draw: Expand): void {
    const text = draw(greeting);
    socket.end(text, () => io.say({ code: 'peer-greeted', params: { data: quote(text) } }));
    io.report('sent', { from, data: text });
  }

  /** Reads up to the first "\n" (or the client's FIN), reports it, then calls `then`. */
  function readRequest(socket: net.Socket, from: string, then: () => void): void {
    let buffered = Buffer.alloc(0);
    let toldPartial = false;
    const finish = (request: Buffer, complete: boolean): void => {
      socket.removeAllListeners('data').removeAllListeners('end');
      // Whatever follows the request is read and dropped: it must not fill this peer's memory.
      socket.on('data', () => {}).on('end', () => socket.end());
      const text = request.toString('utf8');
      io.report('request', { from, data: text, bytes: request.length, complete });
      const code = complete ? 'peer-request' : 'peer-request-unfinished';
      io.say({ code, params: { data: quote(text) } });
      then();
    };
    socket.on('data', (data) => {
      buffered = Buffer.concat([buffered, data]);
      const newline = buffered.indexOf(0x0a);
      if (newline >= 0) return finish(buffered.subarray(0, newline + 1), true);
      if (buffered.length <= MAX_REQUEST_LINE_BYTES) {
        // Said once: a client trickling bytes must not flood the terminal.
        if (toldPartial) return;
        toldPartial = true;
        const params = { data: quote(buffered.toString('utf8')), bytes: buffered.length };
        return io.say({ code: 'peer-request-partial', params });
      }
      io.say({ code: 'peer-request-too-long', params: { max: MAX_REQUEST_LINE_BYTES } });
      io.report('request-too-long', { from, bytes: buffered.length });
      socket.destroy();
    });
    socket.on('end', () => finish(buffered, false));
  }

  // It listens at once even when it is to be down: the run starts the next process once this
  // one listens, and a warm sandbox needs it listening ahead of its run.
  listenOrExit(server, config.port, io);
  if (downForMs > 0) void go.then(() => goDown(server, config.port, downForMs, io));
}

/** Stops listening for `ms` (SYNs to the port are answered with RST meanwhile), then listens. */
async function goDown(server: net.Server, port: number, ms: number, io: PeerIo): Promise<void> {
  await new Promise((resolve) => server.close(resolve));
  io.say({ code: 'peer-greeter-down', params: { seconds: ms / 1000 } });
  io.report('down', { port, ms });
  await delay(ms);
  server.listen(port, PEER_HOST, () => {
    io.say({ code: 'peer-listening', params: { address: `${PEER_HOST}:${port}` } });
    io.report('up', { port });
  });
}
