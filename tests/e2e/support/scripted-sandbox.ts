/**
 * A sandbox scripted by the test: Playwright answers the page's WebSocket itself, so a test can
 * play exactly the events it needs (a queue, thousands of packets, a capture-ready) without the
 * real sandbox. The hello and the run-started/run-finished frame of a run are written once here.
 */
import type { Page, WebSocketRoute } from 'playwright-core';
import { PROTOCOL_VERSION } from '../../../lib/protocol.ts';
import type { ClientMessage, ServerMessage } from '../../../lib/protocol.ts';

/** The limits every scripted run announces. */
export const SCRIPTED_LIMITS = { wallSeconds: 10, outputBytes: 65536 };

export const HELLO: ServerMessage = {
  type: 'hello',
  protocol: PROTOCOL_VERSION,
  limits: SCRIPTED_LIMITS,
  maxMessageBytes: 262144,
};

/** How a scripted run that ran to its end says so. */
export const COMPLETED = { code: 'run-completed', params: {} } as const;

export type Send = (message: ServerMessage) => void;
export type Script = (socket: WebSocketRoute, message: ClientMessage, send: Send) => void;

export interface ScriptOptions {
  /**
   * When connection `index` (0: the page's first) gets its hello: at once by default, or when
   * the promise returned resolves. Until then the page is still connecting (or reconnecting).
   */
  helloWhen?: (index: number) => Promise<void> | undefined;
}

/** Answers the page's sandbox WebSocket with hello, then runs `script` for each message. */
export async function scriptSandbox(
  page: Page,
  script: Script,
  options: ScriptOptions = {},
): Promise<WebSocketRoute[]> {
  const sockets: WebSocketRoute[] = [];
  await page.routeWebSocket(
    (url) => url.pathname === '/ws',
    (socket) => {
      const index = sockets.push(socket) - 1;
      const send: Send = (m) => socket.send(JSON.stringify(m));
      socket.onMessage((raw) => script(socket, JSON.parse(String(raw)) as ClientMessage, send));
      const held = options.helloWhen?.(index);
      if (held) void held.then(() => send(HELLO));
      else send(HELLO);
    },
  );
  return sockets;
}

type Processes = Extract<ServerMessage, { type: 'run-started' }>['processes'];

/**
 * Answers every Run with run-started for `processes`, the events `body` gives for its run id,
 * and a completed run-finished.
 */
export function scriptRuns(
  page: Page,
  processes: Processes,
  body: (runId: string) => ServerMessage[],
): Promise<WebSocketRoute[]> {
  return scriptSandbox(page, (_socket, message, send) => {
    if (message.type !== 'run') return;
    const { runId } = message;
    send({ type: 'run-started', runId, seed: 7, limits: SCRIPTED_LIMITS, processes });
    body(runId).forEach(send);
    send({ type: 'run-finished', runId, reason: 'completed', notice: COMPLETED, durationMs: 120 });
  });
}
