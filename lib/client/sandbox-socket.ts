/**
 * The browser's connection to the sandbox server: one WebSocket, reconnected with backoff when it
 * drops. It is `ready` only after the server's `hello`; every message received is validated with
 * the shared protocol and invalid ones are dropped, never acted on.
 */
import { parseServerMessage, PROTOCOL_VERSION } from '../protocol.ts';
import type { ClientMessage, RunLimits, ServerMessage } from '../protocol.ts';

export type ConnectionState =
  /** First attempt, no hello yet. */
  | 'connecting'
  /** Hello received: runs can be sent. */
  | 'ready'
  /** The socket dropped (or never opened); waiting to try again. */
  | 'reconnecting'
  /** The server speaks another protocol version (it was updated): only a reload helps. */
  | 'outdated'
  /** Closed on purpose (the page is leaving). */
  | 'closed';

export interface SandboxSocketOptions {
  url: string;
  onMessage: (message: ServerMessage) => void;
  onState: (
    state: ConnectionState,
    info: { limits: RunLimits | null; closeCode: number | null },
  ) => void;
  /**
   * Asked afresh before every connection (lib/client/run-token.ts): the run token of a learner
   * who joined a class (each is good once, for a minute), or null, sent as the first message
   * after hello — the socket is ready only then; and, when the app spreads pages over several
   * sandbox servers, which one to connect to. Without this option: anonymous, always at `url`.
   */
  connection?: (request: TicketRequest) => Promise<ConnectionTicket>;
  /**
   * Wait for `connection` to say where before opening (the app places pages on servers);
   * otherwise the socket opens at once at `url` while the token is asked for.
   */
  routed?: boolean;
  /** Injected in tests. */
  createSocket?: (url: string) => WebSocket;
  random?: () => number;
}

/** What the page asks the app before a connection (the body of POST /api/run-token). */
export interface TicketRequest {
  /** The server the page was last connected to, or null. */
  previous: string | null;
  /** The page's run waits in `previous`'s queue: move only to a server with a slot free now. */
  waiting?: true;
}

/** What the app says about the next connection. */
export interface ConnectionTicket {
  token: string | null;
  /** The server to connect to; null keeps the current one. */
  sandbox: string | null;
}

/** Delay before reconnect attempt `attempt` (0-based): 0.5 s doubling to 10 s, with ±20 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** True when `data` is a server's hello for a protocol version other than this page's. */
export function helloOfAnotherVersion(data: string): boolean {
  try {
    const message = JSON.parse(data) as { type?: unknown; protocol?: unknown } | null;
    return message?.type === 'hello' && message.protocol !== PROTOCOL_VERSION;
  } catch {
    return false;
  }
}

/** How long a connection must stay open after its run token before it counts as accepted. */
const TOKEN_STANDS_MS = 2000;

export class SandboxSocket {
  private readonly options: SandboxSocketOptions;
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private limits: RunLimits | null = null;
  private state: ConnectionState = 'connecting';
  /** The run token asked for as this connection opened (fetched while the socket connects). */
  private token: Promise<string | null> | null = null;
  /** Where the socket connects now. */
  private current: string;
  /** Where the last connection was open (null before the first). */
  private previous: string | null = null;

  constructor(options: SandboxSocketOptions) {
    this.options = options;
    this.current = options.url;
  }

  /** The server this socket is (or is about to be) connected to. */
  get url(): string {
    return this.current;
  }

  /** Opens the connection; call once. */
  connect(): void {
    this.open();
  }

  /** Sends a message if the sandbox is ready; returns whether it was sent. */
  send(message: ClientMessage): boolean {
    if (this.state !== 'ready' || this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Closes for good (no reconnect). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close(1000);
    this.setState('closed', null);
  }

  /**
   * For a run waiting in this server's queue: asks the app for a server with a slot free now and,
   * if `stillWaiting()` once it answers, moves there (its queue forgets the run when this socket
   * closes). True when it moved: the caller sends the run again once the socket is ready.
   */
  async moveWhileWaiting(stillWaiting: () => boolean): Promise<boolean> {
    const { connection, routed } = this.options;
    if (!connection || !routed || this.state !== 'ready') return false;
    const from = this.current;
    const answer = await connection({ previous: from, waiting: true }).catch(() => null);
    const moving = answer?.sandbox && answer.sandbox !== from;
    if (!moving || this.closed || this.current !== from || this.state !== 'ready') return false;
    if (!stillWaiting()) return false;
    const leaving = this.socket;
    this.socket = null; // its close is a move, not a drop to reconnect from
    leaving?.close(1000);
    this.current = answer.sandbox!;
    this.setState('connecting', null);
    this.openAt(Promise.resolve(answer));
    return true;
  }

  private open(): void {
    const ticket = this.options.connection?.({ previous: this.previous }).catch(() => null) ?? null;
    if (!this.options.routed || !ticket) return this.openAt(ticket);
    void ticket.then((answer) => {
      if (this.closed) return;
      if (answer?.sandbox) this.current = answer.sandbox;
      this.openAt(ticket);
    });
  }

  private openAt(ticket: Promise<ConnectionTicket | null> | null): void {
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url));
    let socket: WebSocket;
    try {
      socket = create(this.current);
    } catch {
      this.scheduleReconnect(null); // e.g. a malformed URL: keep saying so rather than crash
      return;
    }
    this.socket = socket;
    this.previous = this.current;
    this.token = ticket ? ticket.then((answer) => answer?.token ?? null) : null;
    socket.onmessage = (event) => this.receive(event.data, socket);
    socket.onclose = (event) => {
      if (this.socket === socket) this.scheduleReconnect(event.code);
    };
  }

  private receive(data: unknown, socket: WebSocket): void {
    if (typeof data !== 'string' || socket !== this.socket) return;
    const message = parseServerMessage(data);
    if (!message && helloOfAnotherVersion(data)) {
      this.close();
      this.setState('outdated', null);
      return;
    }
    if (!message) {
      console.warn(
        'handshake: dropped a sandbox message that does not match the protocol',
        data.slice(0, 200),
      );
      return;
    }
    if (message.type === 'hello') {
      this.limits = message.limits;
      const token = this.token;
      this.token = null;
      if (token) return void this.authenticate(socket, token, message);
      this.attempt = 0;
      this.setState('ready', null);
    }
    this.options.onMessage(message);
  }

  /** Sends the run token (if any) before anything else, then becomes ready. */
  private async authenticate(
    socket: WebSocket,
    token: Promise<string | null>,
    hello: ServerMessage,
  ): Promise<void> {
    const value = await token;
    if (this.socket !== socket || socket.readyState !== WebSocket.OPEN) return;
    if (value) socket.send(JSON.stringify({ type: 'auth', token: value } satisfies ClientMessage));
    // A refused token closes the socket at once, so the backoff keeps growing until a token has
    // stood for a while; then the next drop starts from the shortest delay again.
    if (!value) this.attempt = 0;
    else setTimeout(() => this.socket === socket && (this.attempt = 0), TOKEN_STANDS_MS);
    this.setState('ready', null);
    this.options.onMessage(hello);
  }

  private scheduleReconnect(closeCode: number | null): void {
    this.socket = null;
    if (this.closed) return;
    this.setState('reconnecting', closeCode);
    const delay = backoffDelay(this.attempt++, this.options.random);
    this.timer = setTimeout(() => this.open(), delay);
  }

  private setState(state: ConnectionState, closeCode: number | null): void {
    this.state = state;
    this.options.onState(state, { limits: this.limits, closeCode });
  }
}
