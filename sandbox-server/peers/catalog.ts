/**
 * The built-in peers as the host sees them: what each one is (a server that must be listening
 * before the next process starts, or a client that connects), the word it logs under, and its
 * options with defaults, validated here so the peer program itself can trust its config.
 */
import { z } from 'zod';
import type { BuiltinPeer, PeerSpec } from '../../lib/lessons/schema.ts';
import type { PeerConfig } from './config.ts';

interface CatalogEntry {
  /** Servers start before learner files in the CLI; clients after them. */
  role: 'server' | 'client';
  /** Prefix of its log lines ("echo: connection from …"). */
  word: string;
  options: z.ZodType<Record<string, unknown>>;
}

const TcpClientOptions = z
  .object({
    lines: z.array(z.string().max(1000)).min(1).max(50).default(['hello']),
    connectTimeoutMs: z.number().int().min(100).max(30_000).default(3000),
    replyTimeoutMs: z.number().int().min(100).max(30_000).default(2000),
  })
  .strict();

const TcpEchoOptions = z.object({ waitForEnd: z.boolean().default(false) }).strict();

const TcpGreeterOptions = z
  .object({ greeting: z.string().min(1).max(1000).default('Hello from the greeter!\n') })
  .strict();

const NoOptions = z.object({}).strict();

const Probability = z.number().min(0).max(1);
const Millis = z.number().int().min(0).max(10_000);
const TargetPort = z.number().int().min(1024).max(65535);
const Direction = z.enum(['both', 'to-target', 'from-target']).default('both');
const Seed = z.number().int().min(0).max(0xffffffff).optional();

const UdpRelayOptions = z
  .object({
    target: TargetPort,
    loss: Probability.default(0),
    duplicate: Probability.default(0),
    reorder: Probability.default(0),
    delayMs: Millis.default(0),
    jitterMs: Millis.default(0),
    bandwidthBytesPerSecond: z.number().int().min(0).max(1e9).default(0),
    direction: Direction,
    seed: Seed,
  })
  .strict();

const TcpProxyOptions = z
  .object({
    target: TargetPort,
    delayMs: Millis.default(0),
    jitterMs: Millis.default(0),
    bandwidthBytesPerSecond: z.number().int().min(0).max(1e9).default(0),
    chunkBytes: z.number().int().min(0).max(65536).default(0),
    chunkGapMs: z.number().int().min(1).max(1000).default(5),
    resetAfterBytes: z.number().int().min(0).default(0),
    resetRate: Probability.default(0),
    direction: Direction,
    seed: Seed,
  })
  .strict();

/** Every built-in peer. */
export const PEER_CATALOG: Record<BuiltinPeer, CatalogEntry> = {
  'tcp-echo': { role: 'server', word: 'echo', options: TcpEchoOptions },
  'udp-echo': { role: 'server', word: 'udp-echo', options: NoOptions },
  'tcp-greeter': { role: 'server', word: 'greeter', options: TcpGreeterOptions },
  'tcp-client': { role: 'client', word: 'client', options: TcpClientOptions },
  'udp-relay': { role: 'server', word: 'relay', options: UdpRelayOptions },
  'tcp-proxy': { role: 'server', word: 'proxy', options: TcpProxyOptions },
};

/** The config a peer is started with; throws a readable error when its options are wrong. */
export function peerConfig(spec: z.input<typeof PeerSpec>): PeerConfig {
  const entry = PEER_CATALOG[spec.peer];
  const parsed = entry.options.safeParse(spec.options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `.${issue.path.join('.')}` : '';
    throw new Error(`peer ${spec.peer}: options${where}: ${issue?.message ?? 'invalid'}`);
  }
  return { peer: spec.peer, name: entry.word, port: spec.port, options: parsed.data };
}
