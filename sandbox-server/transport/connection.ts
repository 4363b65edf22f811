/**
 * One browser connection: says hello first, then validates every message it receives (size,
 * JSON, schema) and answers anything bad with an `error` while staying usable. Runs are handled
 * by the connection's RunSession; everything sent goes through its Outbox (backpressure).
 * A page of a learner who joined a class sends its run token first (`auth`): while it is being
 * checked, later messages wait; a token that fails closes the connection with its close code,
 * one that passes tags the connection's lesson runs for recording (run-auth.ts).
 */
import type { RawData, WebSocket } from 'ws';
import {
  CLOSE_CODES,
  RunId,
  parseClientMessage,
  type ClientMessage,
  type Notice,
  type ServerMessage,
} from '../../lib/protocol.ts';
import type { LessonViewers } from './lesson-viewers.ts';
import { Outbox, type OutboxOptions } from './outbox.ts';
import type { ResultPoster } from './result-poster.ts';
import type { RunAuth } from './run-auth.ts';
import { RunSession, type SessionContext } from './run-session.ts';
import type { LearnerTag } from './run-transcript.ts';

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

/** Messages held while a run token is checked before the socket stops being read. */
const MAX_HELD_MESSAGES = 16;

/** Checking run tokens and posting recorded runs; absent when the server records nothing. */
export interface Recording {
  auth: Pick<RunAuth, 'check'>;
  poster: Pick<ResultPoster, 'submit'>;
  log(line: string): void;
}

/** What a connection shares with the server: the run context, and who shows which lesson. */
export type ConnectionContext = Omit<SessionContext, 'send' | 'results'> & {
  viewers: LessonViewers;
  recording?: Recording | undefined;
};

export class Connection {
  readonly session: RunSession;
  private readonly outbox: Outbox;
  private readonly ws: WebSocket;
  private readonly options: ConnectionOptions;
  private readonly ctx: ConnectionContext;
  private readonly logFault: SessionContext['logFault'];
  /** Counts `viewing` messages, so a slow lesson load cannot overwrite a later choice. */
  private viewings = 0;
  /** Messages handled so far: `auth` is accepted only as the first. */
  private handled = 0;
  /** Whom this connection's runs are recorded for, once its run token passed. */
  private learner: LearnerTag | null = null;
  /** Messages that arrived while the run token was being checked, in order. */
  private held: Array<[RawData, boolean]> | null = null;
  private closed = false;

  constructor(ws: WebSocket, ctx: ConnectionContext, options: ConnectionOptions) {
    this.ws = ws;
    this.options = options;
    this.ctx = ctx;
    this.logFault = ctx.logFault;
    this.outbox = new Outbox(ws, options.outbox);
    this.outbox.onDrain = () => {
      if (ws.isPaused) ws.resume();
    };
    const recording = ctx.recording;
    const results = recording && {
      learner: () => this.learner,
      submit: recording.poster.submit.bind(recording.poster),
    };
    this.session = new RunSession({ ...ctx, results, send: (message) => this.send(message) });
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
    this.closed = true;
    this.held = null;
    this.session.stopAll();
    this.ws.close(code, reason);
  }

  private send(message: ServerMessage): void {
    this.outbox.push(message);
    if (this.outbox.pendingControl > MAX_PENDING_REPLIES && !this.ws.isPaused) this.ws.pause();
  }

  private onClose(): void {
    this.closed = true;
    this.held = null;
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
    if (this.held) {
      this.held.push([data, isBinary]);
      if (this.held.length >= MAX_HELD_MESSAGES && !this.ws.isPaused) this.ws.pause();
      return;
    }
    this.handled += 1;
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
      case 'auth':
        return void this.authenticate(message.token);
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

  /** Checks the run token; holds later messages until it is decided. */
  private async authenticate(token: string): Promise<void> {
    if (this.handled !== 1) {
      const detail = 'auth must be the first message, and is accepted once';
      return this.error('bad-message', { code: 'bad-message', params: { detail } });
    }
    const recording = this.ctx.recording;
    if (!recording) return; // this server records nothing: the page runs as anonymous
    this.held = [];
    const result = await recording.auth.check(token).catch((error: unknown) => {
      this.logFault('checking a run token', error);
      return null;
    });
    if (this.closed) return;
    if (!result || !result.ok) {
      const why = result ? result.why : 'failed';
      recording.log(`refused a run token (${why}) from ${this.ctx.address}`);
      return this.close(result?.closeCode ?? CLOSE_CODES.runTokenUnchecked, 'run token refused');
    }
    this.learner = result.learner;
    const held = this.held;
    this.held = null;
    for (const [data, isBinary] of held) {
      if (this.closed) return;
      this.onMessage(data, isBinary);
    }
    if (this.ws.isPaused) this.ws.resume();
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
