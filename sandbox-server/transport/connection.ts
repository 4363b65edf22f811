/**
 * One browser connection: says hello first, then validates every message it receives (size,
 * JSON, schema) and answers anything bad with an `error` while staying usable. Runs are handled
 * by the connection's RunSession; everything sent goes through its Outbox (backpressure).
 */
import type { RawData, WebSocket } from 'ws';
import {
  RunId,
  parseClientMessage,
  type ClientMessage,
  type Notice,
  type ServerMessage,
} from '../../lib/protocol.ts';
import type { LessonViewers } from './lesson-viewers.ts';
import { Outbox, type OutboxOptions } from './outbox.ts';
import { RunSession, type SessionContext } from './run-session.ts';

type ErrorCode = Extract<ServerMessage, { type: 'error' }>['code'];
type Hello = Extract<ServerMessage, { type: 'hello' }>;

export interface ConnectionOptions {
  hello: Hello;
  /** Messages larger than this are answered with `too-large`. */
  maxMessageBytes: number;
  outbox: OutboxOptions;
}

/**
 * Replies waiting beyond this mean the client sends faster than it reads: stop reading from it
 * until the replies are out, so a flood is slowed by TCP instead of growing server memory.
 */
const MAX_PENDING_REPLIES = 256;

/** What a connection shares with the server: the run context, and who shows which lesson. */
export type ConnectionContext = Omit<SessionContext, 'send'> & { viewers: LessonViewers };

export class Connection {
  readonly session: RunSession;
  private readonly outbox: Outbox;
  private readonly ws: WebSocket;
  private readonly options: ConnectionOptions;
  private readonly ctx: ConnectionContext;
  private readonly logFault: SessionContext['logFault'];
  /** Counts `viewing` messages, so a slow lesson load cannot overwrite a later choice. */
  private viewings = 0;

  constructor(ws: WebSocket, ctx: ConnectionContext, options: ConnectionOptions) {
    this.ws = ws;
    this.options = options;
    this.ctx = ctx;
    this.logFault = ctx.logFault;
    this.outbox = new Outbox(ws, options.outbox);
    this.outbox.onDrain = () => {
      if (ws.isPaused) ws.resume();
    };
    this.session = new RunSession({ ...ctx, send: (message) => this.send(message) });
  }

  /** Greets the browser and starts listening. */
  start(): void {
    this.send(this.options.hello);
    this.ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.ws.on('close', () => this.onClose());
    this.ws.on('error', (error) => this.logFault('websocket', error));
  }

  /** Stops this connection's runs and closes it with the given code. */
  close(code: number, reason: string): void {
    this.session.stopAll();
    this.ws.close(code, reason);
  }

  private send(message: ServerMessage): void {
    this.outbox.push(message);
    if (this.outbox.pendingControl > MAX_PENDING_REPLIES && !this.ws.isPaused) this.ws.pause();
  }

  private onClose(): void {
    this.viewings += 1;
    this.ctx.viewers.show(this, null);
    this.outbox.close();
    this.session.stopAll();
  }

  /** Records the lesson this browser shows; an unknown one is answered, not recorded. */
  private async view(slug: string | null): Promise<void> {
    const viewing = ++this.viewings;
    let lesson = null;
    try {
      lesson = slug === null ? null : ((await this.ctx.engine.loadLesson(slug)) ?? null);
    } catch (error) {
      // A broken lesson is reported when it is run; nothing is got ready for it.
      this.logFault(`loading lesson ${slug} for a viewer`, error);
    }
    if (viewing !== this.viewings) return;
    this.ctx.viewers.show(this, slug !== null && lesson ? { slug, lesson } : null);
    if (slug !== null && lesson === null)
      this.error('unknown-lesson', { code: 'unknown-lesson', params: { lesson: slug } });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    try {
      const text = this.readText(data, isBinary);
      if (text === null) return;
      const parsed = parseClientMessage(text);
      if (parsed.ok) this.dispatch(parsed.message);
      else {
        const code = parsed.notice.code === 'file-too-large' ? 'too-large' : 'bad-message';
        this.error(code, parsed.notice, runIdOf(text));
      }
    } catch (error) {
      this.logFault('handling a message', error);
      this.error('internal', { code: 'internal', params: {} });
    }
  }

  /** The message as text, or null (after replying) when it is binary or too large. */
  private readText(data: RawData, isBinary: boolean): string | null {
    const buffer = toBuffer(data);
    if (buffer.length > this.options.maxMessageBytes) {
      const params = { bytes: buffer.length, maxBytes: this.options.maxMessageBytes };
      this.error('too-large', { code: 'message-too-large', params });
      return null;
    }
    if (isBinary) {
      this.error('bad-message', { code: 'binary-message', params: {} });
      return null;
    }
    return buffer.toString('utf8');
  }

  private dispatch(message: ClientMessage): void {
    switch (message.type) {
      case 'run':
        return this.session.run(message);
      case 'stop':
        return this.session.stop(message.runId);
      case 'viewing':
        return void this.view(message.lesson);
      default:
        return this.session.input(message);
    }
  }

  private error(code: ErrorCode, notice: Notice, runId?: string): void {
    this.send({ type: 'error', code, notice, ...(runId ? { runId } : {}) });
  }
}

function toBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/** The runId of a rejected message when it has a valid one, so the browser can tell which run. */
function runIdOf(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    const runId =
      typeof value === 'object' && value !== null
        ? (value as { runId?: unknown }).runId
        : undefined;
    return RunId.safeParse(runId).success ? (runId as string) : undefined;
  } catch {
    return undefined;
  }
}
