/**
 * The sandbox server killed mid-run (issue 3's fault test), at the protocol level: the browser's
 * own socket class (lib/client/sandbox-socket.ts) sees the drop, reconnects by itself once a new
 * server listens on the same port, and a fresh run works; the new server has swept every
 * namespace, cgroup and process the killed one left. Killing only main, or stopping it with
 * SIGTERM, leaves nothing behind either.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { SandboxSocket, type ConnectionState } from '../../lib/client/sandbox-socket.ts';
import type { ServerMessage } from '../../lib/protocol.ts';
import { newRunId, ProtocolClient } from '../../sandbox-server/transport/client.ts';
import { launchServer, type LaunchedServer } from '../../sandbox-server/transport/launch.ts';
import { leftoversOf } from './server-host.ts';

const ORIGIN = 'http://localhost:3000';
const SLEEPER = [
  { name: 'main.py', content: 'import time\nprint("up", flush=True)\ntime.sleep(60)\n' },
];
const servers: LaunchedServer[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

async function launch(env: Record<string, string> = {}): Promise<LaunchedServer> {
  const server = await launchServer(env);
  servers.push(server);
  return server;
}

/** The browser's SandboxSocket over `ws` (Node's own WebSocket cannot send an Origin). */
function browserSocket(url: string) {
  const states: Array<{ state: ConnectionState; closeCode: number | null }> = [];
  const messages: ServerMessage[] = [];
  let wake = (): void => {};
  const socket = new SandboxSocket({
    url,
    onMessage: (message) => (messages.push(message), wake()),
    onState: (state, info) => (states.push({ state, closeCode: info.closeCode }), wake()),
    createSocket: (target) => {
      const ws = new NodeWebSocket(target, { origin: ORIGIN });
      // A browser reports a refused connection as a close (1006); `ws` also emits `error`.
      ws.on('error', () => {});
      return ws as unknown as WebSocket;
    },
    random: () => 0.5,
  });
  /** Resolves once `done()` holds, checked whenever the socket reports something. */
  const until = async (done: () => boolean): Promise<void> => {
    while (!done()) await new Promise<void>((resolve) => (wake = resolve));
  };
  socket.connect();
  return { socket, states, messages, until };
}

/** Resolves once `pid` is gone (no event tells another process's end: poll /proc). */
async function gone(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the sandbox server killed mid-run', () => {
  it('the browser sees the drop, reconnects by itself to the new server, and runs again', async () => {
    const first = await launch();
    const port = new URL(first.url).port;
    const browser = browserSocket(first.url);
    await browser.until(() => browser.states.at(-1)?.state === 'ready');
    const runId = newRunId();
    browser.socket.send({ type: 'run', runId, lang: 'en', files: SLEEPER });
    await browser.until(() => browser.messages.some((m) => m.type === 'output'));

    const { jailer, front } = first.children();
    expect(jailer).toBeDefined();
    // Children first: a front that outlived main by a moment would close politely (4001).
    for (const pid of [front!, jailer!, first.child.pid!]) process.kill(pid, 'SIGKILL');
    await browser.until(() => browser.states.at(-1)?.state === 'reconnecting');
    expect(browser.states.at(-1)).toEqual({ state: 'reconnecting', closeCode: 1006 });
    // Sent while the server is down: the socket says it could not (the page keeps the code).
    expect(browser.socket.send({ type: 'stop', runId })).toBe(false);
    const held = leftoversOf(first.instance);
    expect(held.netns.length).toBeGreaterThan(0);

    // The same instance id, as a restarted server has: its sweep removes what it left.
    await launch({ HANDSHAKE_SANDBOX_PORT: port, HANDSHAKE_INSTANCE: first.instance });
    await browser.until(() => browser.states.at(-1)?.state === 'ready');
    // The new jailer swept the killed one's namespaces, cgroups and processes before listening.
    expect(leftoversOf(first.instance, held)).toEqual({ netns: [], cgroups: [], processes: [] });

    const fresh = newRunId();
    browser.socket.send({
      type: 'run',
      runId: fresh,
      lang: 'en',
      files: [{ name: 'main.py', content: 'print("back")' }],
    });
    await browser.until(() =>
      browser.messages.some((m) => m.type === 'run-finished' && m.runId === fresh),
    );
    const output = browser.messages.filter((m) => m.type === 'output' && m.runId === fresh);
    expect(output.map((m) => (m.type === 'output' ? m.data : '')).join('')).toBe('back\n');
    expect(browser.messages.at(-1)).toMatchObject({ type: 'run-finished', reason: 'completed' });
    browser.socket.close();
  });

  it('when only main is killed, the front and the jailer stop their runs and leave nothing', async () => {
    const server = await launch();
    const client = await ProtocolClient.connect(server.url, { timeoutMs: 20_000 });
    const runId = newRunId();
    client.send({ type: 'run', runId, files: SLEEPER });
    await client.next('output', (m) => m.runId === runId);
    const { jailer, front } = server.children();
    process.kill(server.child.pid!, 'SIGKILL');
    await Promise.all([gone(jailer!), gone(front!)]);
    expect((await client.closed).code).toBe(4001);
    expect(leftoversOf(server.instance)).toEqual({ netns: [], cgroups: [], processes: [] });
  });

  it('SIGTERM ends runs, gives back the namespaces made ahead, and exits 0', async () => {
    const server = await launch();
    const client = await ProtocolClient.connect(server.url, { timeoutMs: 20_000 });
    const runId = newRunId();
    client.send({ type: 'run', runId, files: SLEEPER });
    await client.next('output', (m) => m.runId === runId);
    expect(leftoversOf(server.instance).netns.length).toBeGreaterThan(1);
    expect(await server.stop()).toBe(0);
    expect(leftoversOf(server.instance)).toEqual({ netns: [], cgroups: [], processes: [] });
  });
});
