/**
 * The built-in peers' options, declared once: one zod schema per peer, joined in a union
 * discriminated on the peer's name. The lesson schema validates a lesson's peers with it (so a
 * typo in an option fails when the lesson loads), the sandbox host builds each peer's config
 * from it, and the peer programs take their option types from it.
 */
import { z } from 'zod';

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

export const TcpEchoOptions = z
  .object({
    waitForEnd: z
      .boolean()
      .default(false)
      .describe("Echo the whole request at once after the client's FIN, then close"),
  })
  .strict();

export const UdpEchoOptions = z.object({}).strict();

export const TcpGreeterOptions = z
  .object({
    greeting: z
      .string()
      .min(1)
      .max(1000)
      .default('Hello from the greeter!\n')
      .describe('The line sent to every connection before closing it'),
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
      .array(z.string().max(1000))
      .min(1)
      .max(50)
      .default(['hello'])
      .describe('Lines sent one at a time, each waiting for its echo'),
    connectTimeoutMs: z.number().int().min(100).max(30_000).default(3000),
    replyTimeoutMs: z.number().int().min(100).max(30_000).default(2000),
  })
  .strict();

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

/** Each built-in peer's options schema, by the peer's name. */
export const PEER_OPTIONS = {
  'tcp-echo': TcpEchoOptions,
  'udp-echo': UdpEchoOptions,
  'tcp-greeter': TcpGreeterOptions,
  'tcp-client': TcpClientOptions,
  'udp-relay': UdpRelayOptions,
  'tcp-proxy': TcpProxyOptions,
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

const PeerBase = {
  name: PeerName,
  port: Port.describe('Port it listens on, or connects to'),
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
]);
export type PeerSpec = z.output<typeof PeerSpec>;
