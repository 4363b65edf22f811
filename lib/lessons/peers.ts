/**
 * The built-in peers' options, declared once: one zod schema per peer, joined in a union
 * discriminated on the peer's name. The lesson schema validates a lesson's peers with it (so a
 * typo in an option fails when the lesson loads), the sandbox host builds each peer's config
 * from it, and the peer programs take their option types from it.
 */
import { z } from 'zod';
import { PLACEHOLDERS, unknownPlaceholders } from './placeholders.ts';

const Probability = z.number().min(0).max(1);
const Millis = z.number().int().min(0).max(10_000);
const Port = z.number().int().min(1024).max(65535);
const Direction = z
  .enum(['both', 'to-target', 'from-target'])
  .default('both')
  .describe('Which way the faults apply: both, to-target or from-target');
const Seed = z
  .number()
  .int()
  .min(0)
  .max(0xffffffff)
  .optional()
  .describe("A fixed seed for the faults; the run's own seed without it");

const PLACEHOLDER_LIST = PLACEHOLDERS.map((name) => `{${name}}`).join(', ');
/** Text a peer sends, with placeholders it fills from the run's seed (peers/payload.ts). */
const Template = z
  .string()
  .max(1000)
  .refine((text) => unknownPlaceholders(text).length === 0, {
    error: (issue) =>
      `unknown placeholder {${unknownPlaceholders(String(issue.input))[0]}}: use ${PLACEHOLDER_LIST}`,
  });
const Timeout = z.number().int().min(100).max(30_000);

export const TcpEchoOptions = z
  .object({
    waitForEnd: z
      .boolean()
      .default(false)
      .describe("Echo the whole request at once after the client's FIN, then close"),
    banner: Template.min(1)
      .optional()
      .describe('Sent on every connection before anything is echoed (templated)'),
  })
  .strict();

export const UdpEchoOptions = z
  .object({
    host: z
      .enum(['127.0.0.1', '0.0.0.0'])
      .default('127.0.0.1')
      .describe('Address it binds: 0.0.0.0 also receives broadcasts to 127.255.255.255'),
    reply: z.boolean().default(true).describe('Echo each datagram back; false: only receive'),
  })
  .strict();

export const TcpGreeterOptions = z
  .object({
    greeting: Template.min(1)
      .default('Hello from the greeter!\n')
      .describe('The text sent to every connection before closing it (templated)'),
    waitForRequest: z
      .boolean()
      .default(false)
      .describe('Read one line from the client (its request) before greeting'),
    stallMs: Millis.default(0).describe(
      'Hold the greeting this long after accepting: a stalled server (the client must time out)',
    ),
    downForMs: Millis.default(0).describe(
      'When the run begins, stop listening for this long (a restarting server): connections are refused',
    ),
  })
  .strict();

export const TcpClientOptions = z
  .object({
    lines: z
      .array(Template)
      .min(1)
      .max(50)
      .default(['hello'])
      .describe('Lines sent one at a time, each waiting for its echo (templated)'),
    connections: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(1)
      .describe('Connections made one after another, each sending the lines'),
    halfClose: z
      .boolean()
      .default(false)
      .describe('Send all lines, shut down the sending side, then read the reply until EOF'),
    abort: z
      .boolean()
      .default(false)
      .describe(
        'Send the lines, then reset the connection (RST) without reading a reply: a client that crashes mid-request',
      ),
    connectTimeoutMs: Timeout.default(3000),
    replyTimeoutMs: Timeout.default(2000),
  })
  .strict();

/** A line the crowd sends and expects echoed: it adds the "\n" that ends it. */
const CrowdLine = Template.min(1).refine((text) => !text.includes('\n'), {
  error: 'a line cannot hold "\\n": the crowd adds the one that ends it',
});

export const TcpCrowdOptions = z
  .object({
    connections: z
      .number()
      .int()
      .min(1)
      .max(200)
      .default(20)
      .describe('Normal connections, opened all at once after the stalled ones'),
    lines: z
      .array(CrowdLine)
      .min(1)
      .max(10)
      .default(['{word} {token}'])
      .describe(
        'Lines each normal connection sends in turn, each waiting for its echo (templated)',
      ),
    stalled: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(1)
      .describe(
        'Connections opened first that send 3 bytes of a line and then nothing, held open to the end',
      ),
    startGapMs: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(0)
      .describe('Pause between opening two connections; 0: all at once'),
    replyTimeoutMs: Timeout.default(3000).describe(
      'How long each connect, each echo and (with halfClose) the close may take',
    ),
    halfClose: z
      .boolean()
      .default(false)
      .describe("After its lines, shut down the sending side and expect the server's close"),
    bulkBytes: z
      .number()
      .int()
      .min(0)
      .max(16 * 1024 * 1024)
      .default(0)
      .describe(
        'When above 0, the last normal connection, opened once the others are over, ends with one more line this many bytes long (seeded words), written whole before it reads any of the echo: more than the socket buffers hold (about 4 MiB on loopback), so a non-blocking send() of its echo takes only part',
      ),
  })
  .strict();

/** A bot's nickname template: one word on the wire, so no whitespace. */
const Nick = Template.min(1)
  .max(40)
  .refine((text) => !/\s/.test(text), { error: 'a nickname holds no whitespace' });

/** Most bytes the chat bots' flood may send: 16 MiB, well within the peers' memory. */
export const MAX_CHAT_FLOOD_BYTES = 16 * 1024 * 1024;

export const ChatBotsOptions = z
  .object({
    bots: z
      .number()
      .int()
      .min(2)
      .max(20)
      .default(4)
      .describe('Bots that join the chat server, one after another (the slow one first)'),
    nick: Nick.default('{word}{number}').describe(
      'Template of each nickname, drawn anew per bot (made unique): sent as NICK <name>',
    ),
    lines: z
      .array(CrowdLine)
      .min(1)
      .max(10)
      .default(['{word} {zh}'])
      .describe('Lines each talking bot sends, each drawn anew (templated, unique in the run)'),
    slow: z
      .boolean()
      .default(true)
      .describe('The first bot stops reading after its NICK: a slow consumer whose window fills'),
    floodBytes: z
      .number()
      .int()
      .min(0)
      .max(MAX_CHAT_FLOOD_BYTES)
      .default(6 * 1024 * 1024)
      .describe(
        "Bytes of 4 KiB filler lines one bot sends before the talk, to fill the slow bot's window",
      ),
    splitMs: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(30)
      .describe(
        'Send each line in two writes this far apart, split inside a multibyte character; 0: one write',
      ),
    echoToSender: z
      .boolean()
      .default(false)
      .describe("Expect a bot's own lines back too; false: an echo to the sender is a failure"),
    deliverTimeoutMs: Timeout.default(2000).describe(
      'How long each line (and the flood) may take to reach every other bot',
    ),
    leaveTimeoutMs: Timeout.default(1500).describe(
      'How long the others may take to see a line naming a bot that left',
    ),
  })
  .strict()
  .refine((options) => options.bots - (options.slow ? 1 : 0) >= 2, {
    error: 'at least two bots besides the slow one: one talks, another listens',
    path: ['bots'],
  });

export const UdpClientOptions = z
  .object({
    lines: z
      .array(Template.min(1))
      .min(1)
      .max(50)
      .default(['hello'])
      .describe('Datagrams sent one at a time, each waiting for a reply (templated)'),
    replyTimeoutMs: Timeout.default(1000),
  })
  .strict();

export const TcpFramerOptions = z
  .object({
    framing: z
      .enum(['line', 'length'])
      .default('line')
      .describe('line: UTF-8 text + "\\n"; length: 4-byte big-endian length + UTF-8 payload'),
    messages: z
      .array(Template)
      .max(50)
      .default(['hello'])
      .describe('Messages sent, framed, on every connection (templated)'),
  })
  .strict()
  .refine(
    (options) =>
      options.framing === 'length' || options.messages.every((text) => !text.includes('\n')),
    { error: 'a message framed as a line cannot hold "\\n"', path: ['messages'] },
  );

export const UdpRelayOptions = z
  .object({
    target: Port.describe('Port of the server the datagrams are relayed to'),
    loss: Probability.default(0),
    duplicate: Probability.default(0),
    reorder: Probability.default(0),
    delayMs: Millis.default(0),
    jitterMs: Millis.default(0),
    bandwidthBytesPerSecond: z.number().int().min(0).max(1e9).default(0).describe('0: unlimited'),
    direction: Direction,
    seed: Seed,
  })
  .strict();

export const TcpProxyOptions = z
  .object({
    target: Port.describe('Port of the server connections are forwarded to'),
    delayMs: Millis.default(0),
    jitterMs: Millis.default(0),
    bandwidthBytesPerSecond: z.number().int().min(0).max(1e9).default(0).describe('0: unlimited'),
    chunkBytes: z
      .number()
      .int()
      .min(0)
      .max(65536)
      .default(0)
      .describe('0: forward what is read as it is read; N: at most N bytes per segment'),
    chunkGapMs: z.number().int().min(1).max(1000).default(5),
    resetAfterBytes: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('0: never; N: reset both connections once N bytes went one way'),
    resetRate: Probability.default(0),
    direction: Direction,
    seed: Seed,
  })
  .strict();

const MiB = 1024 * 1024;

export const FileSenderOptions = z
  .object({
    sizes: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(16 * MiB),
      )
      .min(1)
      .max(5)
      .default([256 * 1024])
      .describe('Size in bytes of each file sent, one after another on every connection'),
    name: Template.min(1)
      .max(200)
      .refine((text) => !/[\\/\n]/.test(text), { error: 'a file name holds no "/", "\\" or "\\n"' })
      .default('{word}-{token}.bin')
      .describe("Each file's name (templated, drawn anew for every file)"),
  })
  .strict();

export const FileReceiverOptions = z
  .object({
    maxBytes: z
      .number()
      .int()
      .min(0)
      .max(64 * MiB)
      .default(16 * MiB)
      .describe('Largest file accepted; a header announcing more is refused'),
    idleTimeoutMs: Timeout.default(2000).describe(
      'How long it waits for the next byte before it gives up on the file (answers ERROR short)',
    ),
  })
  .strict();

/** An HTTP path as a request line carries it: absolute, printable ASCII, no spaces. */
const HttpPath = z
  .string()
  .max(200)
  .regex(/^\/[\x21-\x7e]*$/, { error: 'a path starts with "/" and holds no spaces' });
/** An HTTP method or header name: a token (RFC 9110), in any case the lesson writes it. */
const HttpToken = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,40}$/);
/** A header value: printable text, no CR or LF (they would end the header line). */
const HttpHeaderValue = z
  .string()
  .max(1000)
  .regex(/^[\t\x20-\x7e\u0080-\uffff]*$/, {
    error: 'a header value holds no CR, LF or control characters',
  });

/** How an HTTP/1.1 response body ends: a length, chunked transfer coding, or the close. */
const HttpFraming = z.enum(['content-length', 'chunked', 'close']);

export const HttpRoute = z
  .object({
    path: HttpPath.describe('Path answered, matched exactly (a query string after "?" is ignored)'),
    method: HttpToken.default('GET').describe('Method answered (HEAD is answered for GET too)'),
    status: z.number().int().min(200).max(599).default(200),
    body: Template.describe('Response body (templated, drawn anew for every response)'),
    contentType: HttpHeaderValue.default('text/plain; charset=utf-8'),
    framing: HttpFraming.optional().describe(
      "How this route's body is delimited; the server's framing when absent",
    ),
  })
  .strict();

export const HttpServerOptions = z
  .object({
    routes: z
      .array(HttpRoute)
      .min(1)
      .max(20)
      .default([
        {
          path: '/',
          method: 'GET',
          status: 200,
          body: 'Hello, {word}!\n',
          contentType: 'text/plain; charset=utf-8',
        },
      ])
      .describe('What it answers; any other path gets 404, another method 405'),
    framing: HttpFraming.default('content-length').describe(
      'How a response body is delimited unless its route says: a Content-Length header, chunked transfer coding (several chunks of varied sizes), or the server closing the connection',
    ),
    keepAlive: z
      .boolean()
      .default(true)
      .describe('Keep a connection open for the next request when the client allows it'),
  })
  .strict();

export const HttpRequestSpec = z
  .object({
    method: HttpToken.default('GET'),
    path: HttpPath.default('/'),
    headers: z
      .record(HttpToken, HttpHeaderValue)
      .default({})
      .describe('Extra request headers (Host is always sent)'),
    body: Template.optional().describe('Request body (templated), sent with a Content-Length'),
  })
  .strict();

export const HttpClientOptions = z
  .object({
    requests: z
      .array(HttpRequestSpec)
      .min(1)
      .max(20)
      .default([{ method: 'GET', path: '/', headers: {} }])
      .describe('Requests sent one at a time, each waiting for its whole response'),
    keepAlive: z
      .boolean()
      .default(false)
      .describe(
        'Send the requests over one connection (Connection: keep-alive) when the server allows it',
      ),
    connectTimeoutMs: Timeout.default(3000),
    timeoutMs: Timeout.default(3000).describe('How long each response may take, body included'),
  })
  .strict();

/** The certificate a tls-server presents (sandbox-server/run/run-pki.ts makes them per run). */
export const TlsCertificate = z
  .enum(['trusted', 'wrong-host', 'untrusted'])
  .describe(
    "trusted: signed by the run's CA (the learner's ca.pem) for localhost; wrong-host: the same CA, another host name; untrusted: for localhost, signed by a CA the learner does not have",
  );

export const TlsServerOptions = z
  .object({
    certificate: TlsCertificate.default('trusted'),
    reply: Template.min(1)
      .default('{token} {zh}\n')
      .describe('Sent over TLS on every connection once the handshake is done (templated)'),
    waitForRequest: z
      .boolean()
      .default(true)
      .describe('Read one line from the client (its request) before replying; then close'),
    chunkBytes: z
      .number()
      .int()
      .min(0)
      .max(16384)
      .default(0)
      .describe(
        'Write the reply at most this many bytes at a time, each its own TLS record (0: one write): one recv() returns one record',
      ),
    chunkGapMs: z.number().int().min(1).max(1000).default(5),
  })
  .strict();

export const TlsClientOptions = z
  .object({
    lines: z
      .array(CrowdLine)
      .min(1)
      .max(20)
      .default(['{word} {zh}'])
      .describe(
        'Lines sent over TLS one at a time, each waiting for its echo (templated; "\\n" added)',
      ),
    connectTimeoutMs: Timeout.default(3000),
    replyTimeoutMs: Timeout.default(2000).describe('How long the handshake and each echo may take'),
  })
  .strict();

/** Each built-in peer's options schema, by the peer's name. */
export const PEER_OPTIONS = {
  'tcp-echo': TcpEchoOptions,
  'udp-echo': UdpEchoOptions,
  'tcp-greeter': TcpGreeterOptions,
  'tcp-client': TcpClientOptions,
  'udp-relay': UdpRelayOptions,
  'tcp-proxy': TcpProxyOptions,
  'udp-client': UdpClientOptions,
  'tcp-framer': TcpFramerOptions,
  'http-server': HttpServerOptions,
  'http-client': HttpClientOptions,
  'tcp-crowd': TcpCrowdOptions,
  'file-sender': FileSenderOptions,
  'file-receiver': FileReceiverOptions,
  'chat-bots': ChatBotsOptions,
  'tls-server': TlsServerOptions,
  'tls-client': TlsClientOptions,
} as const;

/** Names of the peers in the built-in library (sandbox-server/peers/). */
export type BuiltinPeer = keyof typeof PEER_OPTIONS;
export const BUILTIN_PEERS = Object.keys(PEER_OPTIONS) as BuiltinPeer[];
export const BuiltinPeer = z.enum(BUILTIN_PEERS as [BuiltinPeer, ...BuiltinPeer[]]);

/** The validated options of peer `P` (defaults filled in). */
export type PeerOptions<P extends BuiltinPeer> = z.output<(typeof PEER_OPTIONS)[P]>;

const PeerName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/)
  .optional()
  .describe('Name shown on its terminal as "peer: NAME"; defaults to the peer type');

/**
 * When the process after this one starts. By default once this one listens (or is bound), has
 * exited, or after 2 s, so servers are up before their clients; `at-once` lets two clients of
 * different servers run side by side instead of one after the other.
 */
export const StartNext = z
  .enum(['when-ready', 'at-once'])
  .optional()
  .describe(
    'When the next process starts: once this one listens or exits, at most 2 s (default), or at once',
  );
export type StartNext = z.infer<typeof StartNext>;

const PeerBase = {
  name: PeerName,
  port: Port.describe('Port it listens on, or connects to'),
  startNext: StartNext,
};

/** A trusted Node program started next to the learner's code, with its options checked. */
export const PeerSpec = z.discriminatedUnion('peer', [
  z.strictObject({
    peer: z.literal('tcp-echo'),
    ...PeerBase,
    options: TcpEchoOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('udp-echo'),
    ...PeerBase,
    options: UdpEchoOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('tcp-greeter'),
    ...PeerBase,
    options: TcpGreeterOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('tcp-client'),
    ...PeerBase,
    options: TcpClientOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('udp-relay'),
    ...PeerBase,
    options: UdpRelayOptions,
  }),
  z.strictObject({
    peer: z.literal('tcp-proxy'),
    ...PeerBase,
    options: TcpProxyOptions,
  }),
  z.strictObject({
    peer: z.literal('udp-client'),
    ...PeerBase,
    options: UdpClientOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('tcp-framer'),
    ...PeerBase,
    options: TcpFramerOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('http-server'),
    ...PeerBase,
    options: HttpServerOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('http-client'),
    ...PeerBase,
    options: HttpClientOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('tcp-crowd'),
    ...PeerBase,
    options: TcpCrowdOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('file-sender'),
    ...PeerBase,
    options: FileSenderOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('file-receiver'),
    ...PeerBase,
    options: FileReceiverOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('chat-bots'),
    ...PeerBase,
    options: ChatBotsOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('tls-server'),
    ...PeerBase,
    options: TlsServerOptions.prefault({}),
  }),
  z.strictObject({
    peer: z.literal('tls-client'),
    ...PeerBase,
    options: TlsClientOptions.prefault({}),
  }),
]);
export type PeerSpec = z.output<typeof PeerSpec>;
