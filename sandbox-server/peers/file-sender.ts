/**
 * file-sender: listens on 127.0.0.1:PORT; on each connection sends its files one after another,
 * each a JSON header line (file-header.ts) then exactly `size` seeded bytes (seeded-file.ts),
 * and then closes its side. The header and the first bytes leave in one write, so a reader that
 * takes one recv() for the header gets file bytes with it; each file's bytes run straight into
 * the next header, so a reader must stop at exactly `size`. It reports what it sent (name,
 * size, sha256) before sending it, so the checks know it even if the connection breaks.
 */
import net from 'node:net';
import type { FileSenderOptions, PeerConfig, PeerGo } from './config.ts';
import { encodeHeader } from './file-header.ts';
import { listenOrExit, trackConnection } from './listen.ts';
import { expanderOf, type Expand } from './payload.ts';
import type { PeerIo } from './peer-io.ts';
import { fileChunks, fileSha256 } from './seeded-file.ts';

/** Files of one connection are numbered from this times the connection's number. */
const FILES_PER_CONNECTION = 100;

/** Runs the sender until the run stops it. */
export function runFileSender(config: PeerConfig, io: PeerIo, go: Promise<PeerGo>): void {
  const options = config.options as unknown as FileSenderOptions;
  const ready = Promise.all([go, expanderOf(go)]);
  let connections = 0;
  const server = net.createServer((socket) => {
    const from = trackConnection(socket, io);
    connections += 1;
    const number = connections;
    // What the client sends back (an acknowledgement, say) is read and dropped.
    socket.resume();
    void ready.then(([{ seed }, draw]) => {
      if (socket.destroyed) return;
      void sendFiles(socket, { from, number, seed, draw, options, io });
    });
  });
  listenOrExit(server, config.port, io);
}

interface Sending {
  from: string;
  number: number;
  seed: number;
  draw: Expand;
  options: FileSenderOptions;
  io: PeerIo;
}

/** Sends every file on `socket`, waiting for the socket to drain, then ends it. */
async function sendFiles(socket: net.Socket, sending: Sending): Promise<void> {
  const began = performance.now();
  for (const data of writes(sending)) if (!(await write(socket, data))) return;
  const { from, options, io } = sending;
  const ms = Math.round(performance.now() - began);
  io.report('done', { from, files: options.sizes.length, ms });
  io.say({ code: 'peer-files-sent', params: { count: options.sizes.length, ms } });
  socket.end();
}

/**
 * The writes of a connection: each header goes out with the bytes around it — the first file's
 * first chunk after it, the previous file's last chunk before it — so a reader that asks for
 * a whole chunk at a file's end takes the next header with it.
 */
function* writes(sending: Sending): Generator<Buffer> {
  const { from, number, seed, draw, options, io } = sending;
  let pending: Buffer[] = [];
  for (const [index, size] of options.sizes.entries()) {
    const file = number * FILES_PER_CONNECTION + index;
    const header = { name: draw(options.name), size, sha256: fileSha256(seed, file, size) };
    io.report('sent', { from, index: index + 1, ...header });
    io.say({ code: 'peer-file-sending', params: { index: index + 1, ...header } });
    pending.push(encodeHeader(header));
    const chunks = fileChunks(seed, file, size);
    const first = chunks.next();
    if (!first.done) pending.push(first.value);
    for (const chunk of chunks) {
      yield Buffer.concat(pending);
      pending = [chunk];
    }
  }
  if (pending.length > 0) yield Buffer.concat(pending);
}

/** Writes `data`; resolves once the socket can take more (false if it closed meanwhile). */
function write(socket: net.Socket, data: Buffer): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(false);
  if (socket.write(data)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      socket.off('drain', drained);
      socket.off('close', closed);
      resolve(ok);
    };
    const drained = done(true);
    const closed = done(false);
    socket.once('drain', drained);
    socket.once('close', closed);
  });
}
