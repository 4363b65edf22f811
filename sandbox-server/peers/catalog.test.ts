import { describe, expect, it } from 'vitest';
import { PEER_CATALOG, peerConfig } from './catalog.ts';

describe('fault peer options', () => {
  it('default udp-relay to no fault at all', () => {
    expect(peerConfig({ peer: 'udp-relay', port: 9000, options: { target: 9001 } })).toEqual({
      peer: 'udp-relay',
      name: 'relay',
      port: 9000,
      options: {
        target: 9001,
        loss: 0,
        duplicate: 0,
        reorder: 0,
        delayMs: 0,
        jitterMs: 0,
        bandwidthBytesPerSecond: 0,
        direction: 'both',
      },
    });
  });

  it('default tcp-proxy to no fault at all, with a 5 ms gap once chunks are asked for', () => {
    expect(peerConfig({ peer: 'tcp-proxy', port: 9000, options: { target: 9001 } })).toEqual({
      peer: 'tcp-proxy',
      name: 'proxy',
      port: 9000,
      options: {
        target: 9001,
        delayMs: 0,
        jitterMs: 0,
        bandwidthBytesPerSecond: 0,
        chunkBytes: 0,
        chunkGapMs: 5,
        resetAfterBytes: 0,
        resetRate: 0,
        direction: 'both',
      },
    });
  });

  it('keep a seed the lesson fixes', () => {
    const config = peerConfig({
      peer: 'udp-relay',
      port: 9000,
      options: { target: 9001, seed: 7 },
    });
    expect(config.options.seed).toBe(7);
  });

  it.each([
    [{ peer: 'udp-relay', port: 9000 }, /options: .*expected object/],
    [{ peer: 'udp-relay', port: 9000, options: { target: 9001, loss: 1.5 } }, /options\.loss: /],
    [
      { peer: 'udp-relay', port: 9000, options: { target: 9001, direction: 'up' } },
      /options\.direction: /,
    ],
    [{ peer: 'udp-relay', port: 9000, options: { target: 9001, seed: -1 } }, /options\.seed: /],
    [{ peer: 'udp-relay', port: 9000, options: { target: 9001, lose: 0.1 } }, /options: .*lose/],
    [
      { peer: 'tcp-proxy', port: 9000, options: { target: 9001, chunkBytes: 1.5 } },
      /options\.chunkBytes: /,
    ],
    [
      { peer: 'tcp-proxy', port: 9000, options: { target: 9001, delayMs: 60_000 } },
      /options\.delayMs: /,
    ],
    [{ peer: 'tcp-proxy', port: 9000, options: { target: 80 } }, /options\.target: /],
  ] as const)('refuse %j with the option named', (spec, message) => {
    expect(() => peerConfig(spec as never)).toThrow(message);
  });
});

describe('options of the peers that send text', () => {
  it('default the new options to the old behaviour', () => {
    expect(peerConfig({ peer: 'tcp-echo', port: 8080 }).options).toEqual({ waitForEnd: false });
    expect(peerConfig({ peer: 'udp-echo', port: 9001 }).options).toEqual({
      host: '127.0.0.1',
      reply: true,
    });
    expect(peerConfig({ peer: 'tcp-greeter', port: 7000 }).options).toEqual({
      greeting: 'Hello from the greeter!\n',
      waitForRequest: false,
      stallMs: 0,
      downForMs: 0,
    });
    expect(peerConfig({ peer: 'tcp-client', port: 8080 }).options).toEqual({
      lines: ['hello'],
      connections: 1,
      halfClose: false,
      abort: false,
      connectTimeoutMs: 3000,
      replyTimeoutMs: 2000,
    });
  });

  it('name and default the new peers', () => {
    expect(peerConfig({ peer: 'udp-client', port: 9000 })).toEqual({
      peer: 'udp-client',
      name: 'udp-client',
      port: 9000,
      options: { lines: ['hello'], replyTimeoutMs: 1000 },
    });
    expect(peerConfig({ peer: 'tcp-framer', port: 8080 })).toEqual({
      peer: 'tcp-framer',
      name: 'framer',
      port: 8080,
      options: { framing: 'line', messages: ['hello'] },
    });
    expect(PEER_CATALOG['udp-client'].role).toBe('client');
    expect(PEER_CATALOG['tcp-framer'].role).toBe('server');
  });

  it('keep placeholders in text options for the peer to fill', () => {
    const config = peerConfig({
      peer: 'tcp-framer',
      port: 8080,
      options: { framing: 'length', messages: ['{zh}\n{word}', '{"json": {token}}'] },
    });
    expect(config.options.messages).toEqual(['{zh}\n{word}', '{"json": {token}}']);
  });

  it.each([
    [
      { peer: 'tcp-echo', port: 8080, options: { banner: 'hi {name}' } },
      /options\.banner: unknown placeholder \{name\}: use \{word\}/,
    ],
    [{ peer: 'tcp-echo', port: 8080, options: { banner: '' } }, /options\.banner: /],
    [
      { peer: 'tcp-greeter', port: 8080, options: { greeting: '{Word}{words}' } },
      /unknown placeholder \{words\}/,
    ],
    [
      { peer: 'tcp-client', port: 8080, options: { lines: ['ok', '{numbr}'] } },
      /options\.lines\.1: unknown placeholder/,
    ],
    [{ peer: 'tcp-client', port: 8080, options: { connections: 0 } }, /options\.connections: /],
    [{ peer: 'udp-echo', port: 8080, options: { host: '10.0.0.1' } }, /options\.host: /],
    [{ peer: 'udp-client', port: 8080, options: { lines: [''] } }, /options\.lines\.0: /],
    [{ peer: 'tcp-framer', port: 8080, options: { framing: 'json' } }, /options\.framing: /],
    [
      { peer: 'tcp-framer', port: 8080, options: { messages: ['a\nb'] } },
      /options\.messages: .*cannot hold/,
    ],
  ] as const)('refuse %j with the option named', (spec, message) => {
    expect(() => peerConfig(spec as never)).toThrow(message);
  });
});

describe('options of the HTTP peers', () => {
  it('default to one route and one request at /', () => {
    expect(peerConfig({ peer: 'http-server', port: 8080 })).toEqual({
      peer: 'http-server',
      name: 'http-server',
      port: 8080,
      options: {
        routes: [
          {
            path: '/',
            method: 'GET',
            status: 200,
            body: 'Hello, {word}!\n',
            contentType: 'text/plain; charset=utf-8',
          },
        ],
        framing: 'content-length',
        keepAlive: true,
      },
    });
    expect(peerConfig({ peer: 'http-client', port: 8080 }).options).toEqual({
      requests: [{ method: 'GET', path: '/', headers: {} }],
      keepAlive: false,
      connectTimeoutMs: 3000,
      timeoutMs: 3000,
    });
    expect(PEER_CATALOG['http-server'].role).toBe('server');
    expect(PEER_CATALOG['http-client'].role).toBe('client');
  });

  it('fill a route and a request from what the lesson gives', () => {
    const server = peerConfig({
      peer: 'http-server',
      port: 8080,
      options: { routes: [{ path: '/notes', method: 'POST', status: 201, body: '{token}' }] },
    });
    expect(server.options.routes).toEqual([
      {
        path: '/notes',
        method: 'POST',
        status: 201,
        body: '{token}',
        contentType: 'text/plain; charset=utf-8',
      },
    ]);
    const client = peerConfig({
      peer: 'http-client',
      port: 8080,
      options: { requests: [{ path: '/a', headers: { Accept: 'text/plain' }, body: '{word}' }] },
    });
    expect(client.options.requests).toEqual([
      { method: 'GET', path: '/a', headers: { Accept: 'text/plain' }, body: '{word}' },
    ]);
  });

  it.each([
    [{ peer: 'http-server', port: 8080, options: { routes: [] } }, /options\.routes: /],
    [
      { peer: 'http-server', port: 8080, options: { routes: [{ path: 'x', body: '' }] } },
      /options\.routes\.0\.path: a path starts with "\/"/,
    ],
    [
      { peer: 'http-server', port: 8080, options: { routes: [{ path: '/a b', body: '' }] } },
      /options\.routes\.0\.path: /,
    ],
    [
      { peer: 'http-server', port: 8080, options: { routes: [{ path: '/', body: '{nme}' }] } },
      /options\.routes\.0\.body: unknown placeholder/,
    ],
    [
      {
        peer: 'http-server',
        port: 8080,
        options: { routes: [{ path: '/', body: '', status: 99 }] },
      },
      /options\.routes\.0\.status: /,
    ],
    [{ peer: 'http-server', port: 8080, options: { framing: 'gzip' } }, /options\.framing: /],
    [
      { peer: 'http-client', port: 8080, options: { requests: [{ method: 'GET /' }] } },
      /options\.requests\.0\.method: /,
    ],
    [
      { peer: 'http-client', port: 8080, options: { requests: [{ headers: { A: 'x\r\nB: y' } }] } },
      /options\.requests\.0\.headers\.A: a header value holds no CR/,
    ],
    [{ peer: 'http-client', port: 8080, options: { timeoutMs: 50 } }, /options\.timeoutMs: /],
  ] as const)('refuse %j with the option named', (spec, message) => {
    expect(() => peerConfig(spec as never)).toThrow(message);
  });
});

describe('tcp-crowd options', () => {
  it('default to 20 connections after one stalled, a seeded line each, all at once', () => {
    expect(peerConfig({ peer: 'tcp-crowd', port: 8080 })).toEqual({
      peer: 'tcp-crowd',
      name: 'crowd',
      port: 8080,
      options: {
        connections: 20,
        lines: ['{word} {token}'],
        stalled: 1,
        startGapMs: 0,
        replyTimeoutMs: 3000,
        halfClose: false,
        bulkBytes: 0,
      },
    });
    expect(PEER_CATALOG['tcp-crowd'].role).toBe('client');
  });

  it('accept the bounds: 200 connections, 20 stalled, none stalled, a 1 s gap', () => {
    const options = { connections: 200, stalled: 20, startGapMs: 1000, halfClose: true };
    expect(peerConfig({ peer: 'tcp-crowd', port: 8080, options }).options).toMatchObject(options);
    const none = { connections: 1, stalled: 0, startGapMs: 0 };
    expect(peerConfig({ peer: 'tcp-crowd', port: 8080, options: none }).options).toMatchObject(
      none,
    );
  });

  it.each([
    [{ connections: 0 }, /options\.connections: /],
    [{ connections: 201 }, /options\.connections: /],
    [{ connections: 2.5 }, /options\.connections: /],
    [{ stalled: 21 }, /options\.stalled: /],
    [{ stalled: -1 }, /options\.stalled: /],
    [{ startGapMs: 1001 }, /options\.startGapMs: /],
    [{ replyTimeoutMs: 50 }, /options\.replyTimeoutMs: /],
    [{ replyTimeoutMs: 60_000 }, /options\.replyTimeoutMs: /],
    [{ lines: [] }, /options\.lines: /],
    [{ lines: [''] }, /options\.lines\.0: /],
    [{ lines: Array.from({ length: 11 }, () => 'x') }, /options\.lines: /],
    [{ lines: ['ok', 'two\nlines'] }, /options\.lines\.1: a line cannot hold "\\n"/],
    [{ lines: ['{wrod}'] }, /options\.lines\.0: unknown placeholder \{wrod\}/],
    [{ halfClose: 'yes' }, /options\.halfClose: /],
    [{ connection: 5 }, /options: .*connection/],
  ] as const)('refuse %j with the option named', (options, message) => {
    expect(() => peerConfig({ peer: 'tcp-crowd', port: 8080, options } as never)).toThrow(message);
  });
});

describe('chat-bots options', () => {
  it('default to 4 bots, the first slow, a 6 MiB flood, no echo to the sender', () => {
    expect(peerConfig({ peer: 'chat-bots', port: 8080 })).toEqual({
      peer: 'chat-bots',
      name: 'bots',
      port: 8080,
      options: {
        bots: 4,
        nick: '{word}{number}',
        lines: ['{word} {zh}'],
        slow: true,
        floodBytes: 6 * 1024 * 1024,
        splitMs: 30,
        echoToSender: false,
        deliverTimeoutMs: 2000,
        leaveTimeoutMs: 1500,
      },
    });
    expect(PEER_CATALOG['chat-bots'].role).toBe('client');
  });

  it.each([
    [{ bots: 21 }, /options\.bots: /],
    [{ bots: 2 }, /options\.bots: at least two bots besides the slow one/],
    [{ nick: 'a b' }, /options\.nick: a nickname holds no whitespace/],
    [{ lines: ['a\nb'] }, /options\.lines\.0: /],
    [{ floodBytes: 17 * 1024 * 1024 }, /options\.floodBytes: /],
    [{ nick: '{name}' }, /unknown placeholder \{name\}/],
  ])('refuse %j', (options, message) => {
    expect(() => peerConfig({ peer: 'chat-bots', port: 8080, options })).toThrow(message);
  });
});
