import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION } from '../protocol.ts';
import { backoffDelay, SandboxSocket } from './sandbox-socket.ts';
import type { ConnectionState, ConnectionTicket, TicketRequest } from './sandbox-socket.ts';

/** A stand-in for the browser WebSocket that a test drives by hand. */
class FakeSocket {
  static OPEN = 1;
  readyState = 0;
  sent: string[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = FakeSocket.OPEN;
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const hello = {
  type: 'hello',
  protocol: PROTOCOL_VERSION,
  limits: { wallSeconds: 10, outputBytes: 1000 },
  maxMessageBytes: 1000,
};

function setup(
  runToken?: () => Promise<string | null>,
  route?: { connection: (request: TicketRequest) => Promise<ConnectionTicket> },
) {
  const sockets: FakeSocket[] = [];
  const urls: string[] = [];
  const states: ConnectionState[] = [];
  const messages: unknown[] = [];
  const client = new SandboxSocket({
    url: 'ws://localhost:3001/ws',
    onMessage: (m) => messages.push(m),
    onState: (s) => states.push(s),
    createSocket: (url) => {
      urls.push(url);
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
    random: () => 0.5,
    ...(runToken
      ? { connection: async () => ({ token: await runToken(), sandbox: 'ws://ignored/ws' }) }
      : {}),
    ...(route ? { ...route, routed: true } : {}),
  });
  client.connect();
  return { client, sockets, states, messages, urls };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', FakeSocket);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('SandboxSocket', () => {
  it('becomes ready on hello and only then sends', () => {
    const { client, sockets, states } = setup();
    const run = { type: 'stop', runId: 'run-aaaaaaaa' } as const;
    sockets[0]!.open();
    expect(client.send(run)).toBe(false);
    sockets[0]!.receive(hello);
    expect(states.at(-1)).toBe('ready');
    expect(client.send(run)).toBe(true);
    expect(JSON.parse(sockets[0]!.sent[0]!)).toEqual(run);
  });

  it('says the page is outdated, and stops reconnecting, when the server speaks another version', () => {
    const { client, sockets, states, messages } = setup();
    sockets[0]!.open();
    sockets[0]!.receive({ ...hello, protocol: PROTOCOL_VERSION + 1 });
    expect(states.at(-1)).toBe('outdated');
    expect(messages).toEqual([]);
    expect(client.send({ type: 'stop', runId: 'run-aaaaaaaa' })).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('drops messages that do not match the protocol', () => {
    const { sockets, messages } = setup();
    sockets[0]!.receive({ type: 'output', runId: 'x' });
    sockets[0]!.onmessage?.({ data: 'not json' });
    expect(messages).toEqual([]);
  });

  it('reconnects with growing delays after the socket drops, and resets after hello', () => {
    const { sockets, states } = setup();
    sockets[0]!.drop();
    expect(states.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1]!.drop();
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    sockets[2]!.open();
    sockets[2]!.receive(hello);
    sockets[2]!.drop();
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(4);
  });

  it('stops reconnecting once closed on purpose', () => {
    const { client, sockets, states } = setup();
    client.close();
    sockets[0]!.drop();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(states.at(-1)).toBe('closed');
  });
});

describe('backoffDelay', () => {
  it('doubles from half a second up to a ten second cap, with jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 10000, 10000,
    ]);
    expect(backoffDelay(0, () => 0)).toBe(400);
    expect(backoffDelay(0, () => 1)).toBe(600);
  });
});

describe('SandboxSocket with a run token', () => {
  it('sends the run token first, then becomes ready; asks a new one on every connection', async () => {
    let issued = 0;
    const { client, sockets, states } = setup(async () => `token-${++issued}`);
    sockets[0]!.open();
    sockets[0]!.receive(hello);
    expect(states).not.toContain('ready');
    await vi.waitFor(() => expect(states.at(-1)).toBe('ready'));
    expect(JSON.parse(sockets[0]!.sent[0]!)).toEqual({ type: 'auth', token: 'token-1' });
    client.send({ type: 'viewing', lesson: null });
    expect(JSON.parse(sockets[0]!.sent[1]!).type).toBe('viewing');
    sockets[0]!.drop(4409);
    await vi.advanceTimersByTimeAsync(1000);
    sockets[1]!.open();
    sockets[1]!.receive(hello);
    await vi.waitFor(() => expect(sockets[1]!.sent[0]).toContain('token-2'));
  });

  it('connects as anonymous, sending no auth, when there is no token', async () => {
    const { sockets, states } = setup(async () => null);
    sockets[0]!.open();
    sockets[0]!.receive(hello);
    await vi.waitFor(() => expect(states.at(-1)).toBe('ready'));
    expect(sockets[0]!.sent).toEqual([]);
  });
});

describe('SandboxSocket placed by the app', () => {
  it('asks where before each connection, saying where it was, and connects there', async () => {
    const asked: Array<string | null> = [];
    const places = ['ws://sb1/ws', 'ws://sb2/ws'];
    const { client, sockets, states, urls } = setup(undefined, {
      connection: async ({ previous }) => {
        asked.push(previous);
        return { token: 't', sandbox: places[asked.length - 1]! };
      },
    });
    expect(sockets).toHaveLength(0); // nothing opens before the app answers
    await vi.waitFor(() => expect(sockets).toHaveLength(1));
    expect(client.url).toBe('ws://sb1/ws');
    sockets[0]!.open();
    sockets[0]!.receive(hello);
    await vi.waitFor(() => expect(states.at(-1)).toBe('ready'));
    sockets[0]!.drop(1012); // e.g. the server drains
    await vi.advanceTimersByTimeAsync(1000);
    await vi.waitFor(() => expect(sockets).toHaveLength(2));
    expect(asked).toEqual([null, 'ws://sb1/ws']);
    expect(urls).toEqual(['ws://sb1/ws', 'ws://sb2/ws']);
    expect(client.url).toBe('ws://sb2/ws');
  });

  it('moves a waiting run’s page to a server with a free slot, and stays when there is none', async () => {
    const asked: TicketRequest[] = [];
    const answers = ['ws://sb1/ws', 'ws://sb1/ws', 'ws://sb1/ws', 'ws://sb2/ws'];
    const { client, sockets, states, urls, messages } = setup(undefined, {
      connection: async (request) => {
        asked.push(request);
        return { token: `t${asked.length}`, sandbox: answers.shift()! };
      },
    });
    await vi.waitFor(() => expect(sockets).toHaveLength(1));
    sockets[0]!.open();
    sockets[0]!.receive(hello);
    await vi.waitFor(() => expect(states.at(-1)).toBe('ready'));

    // The app has nothing better: the page stays, its socket untouched.
    expect(await client.moveWhileWaiting(() => true)).toBe(false);
    expect(sockets).toHaveLength(1);
    // The run started while the app answered: no move either.
    expect(await client.moveWhileWaiting(() => false)).toBe(false);
    expect(sockets).toHaveLength(1);
    expect(asked).toEqual([
      { previous: null },
      { previous: 'ws://sb1/ws', waiting: true },
      { previous: 'ws://sb1/ws', waiting: true },
    ]);

    expect(await client.moveWhileWaiting(() => true)).toBe(true);
    expect(sockets[0]!.readyState).toBe(3); // closed: sb1's queue forgets the run
    expect(states.at(-1)).toBe('connecting');
    expect(urls).toEqual(['ws://sb1/ws', 'ws://sb2/ws']);
    sockets[0]!.drop(1000); // the old socket's close event schedules no reconnect
    sockets[0]!.receive({ type: 'queued', runId: 'run-aaaaaaaa', position: 1 });
    sockets[1]!.open();
    sockets[1]!.receive(hello);
    await vi.waitFor(() => expect(states.at(-1)).toBe('ready'));
    expect(JSON.parse(sockets[1]!.sent[0]!)).toEqual({ type: 'auth', token: 't4' });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sockets).toHaveLength(2);
    expect(messages.filter((m) => (m as { type: string }).type === 'queued')).toEqual([]);
  });

  it('stays with the server it knows when the app does not answer', async () => {
    const { sockets, urls } = setup(undefined, {
      connection: async () => {
        throw new Error('app down');
      },
    });
    await vi.waitFor(() => expect(sockets).toHaveLength(1));
    expect(urls).toEqual(['ws://localhost:3001/ws']);
  });
});
