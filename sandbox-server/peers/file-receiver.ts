/**
 * file-receiver: listens on 127.0.0.1:PORT; on each connection reads one file as file-header.ts
 * frames it (a JSON header line, then exactly `size` bytes), hashing the bytes as they come (a
 * file is never held in memory), and answers `OK <sha256>\n` when the hash matches the header,
 * or `ERROR <reason>\n`. It reports the header, its progress, and what it received: the byte
 * count, the hash, and the time from the header's first byte to the file's last (so the
 * checks can compare the learner's measured time and throughput with its own).
 */
import { createHash, type Hash } from 'node:crypto';
import net from 'node:net';
import type { FileReceiverOptions, PeerConfig, PeerGo } from './config.ts';
import {
  isHeaderError,
  MAX_HEADER_BYTES,
  parseHeader,
  type FileHeader,
  type HeaderError,
} from './file-header.ts';
import { listenOrExit, trackConnection } from './listen.ts';
import type { PeerIo } from './peer-io.ts';

/** Progress is reported each time another quarter of the file has arrived. */
const PROGRESS_STEPS = 4;

/** Runs the receiver until the run stops it. */
export function runFileReceiver(config: PeerConfig, io: PeerIo, _go: Promise<PeerGo>): void {
  const options = config.options as unknown as FileReceiverOptions;
  // The client may shut down its side after the file and still read the answer.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const from = trackConnection(socket, io);
    new Reception(socket, from, options, io);
  });
  listenOrExit(server, config.port, io);
}

/** Why a file was not received whole and intact. */
type Failure = 'short' | 'timeout' | 'sha256-mismatch';

/** One connection's file, from its header to the answer. */
class Reception {
  private stage: 'header' | 'body' | 'answered' = 'header';
  private head = Buffer.alloc(0);
  private header: FileHeader | null = null;
  private hash: Hash = createHash('sha256');
  private bytes = 0;
  private extra = 0;
  private progress = 0;
  private firstAt = 0;
  private lastAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly socket: net.Socket;
  private readonly from: string;
  private readonly options: FileReceiverOptions;
  private readonly io: PeerIo;

  constructor(socket: net.Socket, from: string, options: FileReceiverOptions, io: PeerIo) {
    this.socket = socket;
    this.from = from;
    this.options = options;
    this.io = io;
    this.arm();
    socket.on('data', (data: Buffer) => this.take(data));
    socket.on('end', () => this.ended());
    socket.on('close', () => this.disarm());
  }

  private take(data: Buffer): void {
    const now = performance.now();
    if (this.firstAt === 0) this.firstAt = now;
    if (this.stage === 'answered') {
      this.extra += data.length;
      return;
    }
    this.arm();
    this.lastAt = now;
    if (this.stage === 'header') {
      const rest = this.takeHeader(data);
      if (rest && rest.length > 0) this.takeBody(rest);
    } else this.takeBody(data);
  }

  /** Collects the header line; returns the bytes after it once it is complete. */
  private takeHeader(data: Buffer): Buffer | null {
    this.head = Buffer.concat([this.head, data]);
    const end = this.head.indexOf(0x0a);
    if (end < 0) {
      if (this.head.length >= MAX_HEADER_BYTES)
        this.refuse({ reason: 'too-long', max: MAX_HEADER_BYTES });
      return null;
    }
    const parsed = parseHeader(this.head.subarray(0, end), this.options.maxBytes);
    if (isHeaderError(parsed)) {
      this.refuse(parsed);
      return null;
    }
    this.header = parsed;
    this.stage = 'body';
    this.io.report('header', { from: this.from, ...parsed });
    this.io.say({ code: 'peer-file-header', params: parsed });
    const rest = this.head.subarray(end + 1);
    this.head = Buffer.alloc(0);
    if (parsed.size === 0) this.finish();
    return rest;
  }

  private takeBody(data: Buffer): void {
    const size = this.header!.size;
    const used = data.subarray(0, size - this.bytes);
    this.hash.update(used);
    this.bytes += used.length;
    this.extra += data.length - used.length;
    while (
      this.progress < PROGRESS_STEPS - 1 &&
      this.bytes >= (size * (this.progress + 1)) / PROGRESS_STEPS
    ) {
      this.progress += 1;
      const ms = Math.round(performance.now() - this.firstAt);
      this.io.report('progress', { from: this.from, bytes: this.bytes, size, ms });
      this.io.say({ code: 'peer-file-progress', params: { bytes: this.bytes, size, ms } });
    }
    if (this.bytes === size) this.finish();
  }

  /** The whole file is here: checks its hash and answers. */
  private finish(): void {
    const sha256 = this.hash.digest('hex');
    const ok = sha256 === this.header!.sha256;
    this.answer(ok ? null : 'sha256-mismatch', sha256);
  }

  /** Reports what arrived and answers OK or ERROR; `failure` null: the file is intact. */
  private answer(failure: Failure | null, sha256: string | null): void {
    if (this.stage === 'answered') return;
    this.stage = 'answered';
    const header = this.header!;
    const elapsedMs = Math.max(0, Math.round((this.lastAt - this.firstAt) * 10) / 10);
    const throughput = elapsedMs > 0 ? Math.round((this.bytes * 1000) / elapsedMs) : 0;
    const fields = {
      name: header.name,
      size: header.size,
      bytes: this.bytes,
      expected: header.sha256,
    };
    this.io.report('received', {
      from: this.from,
      ...fields,
      sha256,
      ok: failure === null,
      ...(failure ? { reason: failure } : {}),
      elapsedMs,
      throughput,
    });
    this.io.say(
      failure === null
        ? {
            code: 'peer-file-received',
            params: { bytes: this.bytes, sha256: sha256!, elapsedMs, throughput },
          }
        : {
            code: 'peer-file-failed',
            params: {
              reason: failure,
              bytes: this.bytes,
              size: header.size,
              sha256: sha256 ?? '',
              expected: header.sha256,
            },
          },
    );
    this.reply(
      failure === null ? `OK ${sha256}` : `ERROR ${errorText(failure, this.bytes, header)}`,
    );
  }

  /** A header that cannot be read: says why and closes. */
  private refuse(error: HeaderError): void {
    this.stage = 'answered';
    this.io.report('header-error', { from: this.from, ...error });
    this.io.say({ code: 'peer-file-bad-header', params: error });
    this.reply(`ERROR bad header: ${describeHeaderError(error)}`);
  }

  private reply(line: string): void {
    this.disarm();
    if (this.socket.destroyed) return;
    this.socket.write(`${line}\n`);
    this.socket.end();
  }

  /** The client closed its side: whatever was missing will not come. */
  private ended(): void {
    if (this.extra > 0) this.io.report('extra', { from: this.from, bytes: this.extra });
    if (this.stage === 'body') this.answer('short', null);
    else if (this.stage === 'header') {
      this.stage = 'answered';
      this.io.report('header-error', { from: this.from, reason: 'eof', bytes: this.head.length });
      this.io.say({ code: 'peer-file-no-header', params: { bytes: this.head.length } });
      this.socket.end();
    } else this.socket.end();
  }

  /** (Re)starts the idle timer: nothing for `idleTimeoutMs` and the file is given up on. */
  private arm(): void {
    this.disarm();
    this.timer = setTimeout(() => this.idle(), this.options.idleTimeoutMs);
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private idle(): void {
    const seconds = this.options.idleTimeoutMs / 1000;
    this.io.say({
      code: 'peer-file-idle',
      params: { seconds, bytes: this.bytes, stage: this.stage === 'header' ? 'header' : 'body' },
    });
    if (this.stage === 'body') this.answer('timeout', null);
    else if (this.stage === 'header') {
      this.stage = 'answered';
      this.io.report('header-error', {
        from: this.from,
        reason: 'timeout',
        bytes: this.head.length,
      });
      this.reply('ERROR no header line arrived');
    }
  }
}

/** The reason an ERROR answer gives, in the protocol's own words (English, like HTTP's). */
function errorText(failure: Failure, bytes: number, header: FileHeader): string {
  switch (failure) {
    case 'short':
      return `short: the connection ended after ${bytes} of ${header.size} bytes`;
    case 'timeout':
      return `short: nothing more came after ${bytes} of ${header.size} bytes`;
    case 'sha256-mismatch':
      return `sha256 mismatch: the bytes do not hash to ${header.sha256}, as the header said`;
  }
}

/** A header error as the ERROR answer and the log say it. */
function describeHeaderError(error: HeaderError): string {
  switch (error.reason) {
    case 'too-long':
      return `no "\\n" within ${error.max} bytes`;
    case 'not-json':
      return `not a JSON object: ${error.text}`;
    case 'fields':
      return `needs "name" (string), "size" (whole number) and "sha256" (string): ${error.text}`;
    case 'too-large':
      return `size ${error.size} is above the ${error.max} bytes accepted`;
  }
}
