/**
 * A small Node client of the wire protocol, as a browser would use it: for the transport tests,
 * the integration tests and `npm run bench`. Every message received is validated with the
 * protocol's schema; each is stamped with the time it arrived.
 */
import { WebSocket } from 'ws';
import { parseServerMessage, type ServerMessage } from '../../lib/protocol.ts';

/** A received message and when it arrived (performance.now()). */
export type Received = ServerMessage & { receivedAt: number };
/** A received message of one type. */
export type Of<K extends ServerMessage['type']> = Extract<Received, { type: K }>;

export interface ClientOptions {
  origin?: string;
  /** Milliseconds `next` waits before failing. */
  timeoutMs?: number;
}

/** Resolves with the close code once the server closes the socket. */
export class ProtocolClient {
  readonly ws: WebSocket;
  readonly received: Received[] = [];
  /** Messages that failed the protocol's schema (should stay empty). */
  readonly invalid: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly timeoutMs: number;
  private waiters: Array<() => void> = [];

  constructor(url: string, options: ClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.ws = new WebSocket(url, {
      origin: options.origin ?? 'http://localhost:3000',
      perMessageDeflate: false,
    });
    this.ws.on('message', (data) => this.onMessage(data.toString()));
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
    this.ws.on('error', () => {});
  }

  /** Connects and waits for the server's hello. */
  static async connect(url: string, options?: ClientOptions): Promise<ProtocolClient> {
    const client = new ProtocolClient(url, options);
    await client.next('hello');
    return client;
  }

  /** Sends a message (anything: tests send malformed ones on purpose). */
  send(message: unknown): void {
    this.ws.send(
      typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message),
    );
  }

  /** Waits for the first not-yet-consumed message of this type matching `match`, and consumes it. */
  async next<K extends ServerMessage['type']>(
    type: K,
    match: (message: Of<K>) => boolean = () => true,
  ): Promise<Of<K>> {
    const deadline = performance.now() + this.timeoutMs;
    const what = `a ${type} message`;
    for (;;) {
      const found = this.received.find(
        (m): m is Of<K> => m.type === type && !consumed.has(m) && match(m as Of<K>),
      );
      if (found) {
        consumed.add(found);
        return found;
      }
      if (this.ws.readyState === WebSocket.CLOSED)
        throw new Error(`socket closed while waiting for ${what}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the run's run-finished and returns every message of that run, in order. */
  async finished(runId: string): Promise<Received[]> {
    await this.next('run-finished', (m) => m.runId === runId);
    return this.received.filter((m) => 'runId' in m && m.runId === runId);
  }

  /** Everything a process of a run printed to a stream, joined. */
  output(runId: string, process?: string, stream: 'stdout' | 'stderr' = 'stdout'): string {
    return this.received
      .filter(
        (m) =>
          m.type === 'output' &&
          m.runId === runId &&
          m.stream === stream &&
          (!process || m.process === process),
      )
      .map((m) => (m.type === 'output' ? m.data : ''))
      .join('');
  }

  close(): void {
    this.ws.close();
  }

  private onMessage(text: string): void {
    const message = parseServerMessage(text);
    if (message) this.received.push({ ...message, receivedAt: performance.now() });
    else this.invalid.push(text.slice(0, 200));
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private describe(): string {
    const last = this.received.slice(-5).map((m) => JSON.stringify(m).slice(0, 160));
    return `${this.received.length} messages, last: ${last.join(' | ') || 'none'}`;
  }
}

const consumed = new WeakSet<object>();

/** A fresh run id, valid by the protocol's rules. */
export function newRunId(prefix = 'run'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
}
