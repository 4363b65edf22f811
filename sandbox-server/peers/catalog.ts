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

const TcpGreeterOptions = z
  .object({ greeting: z.string().min(1).max(1000).default('Hello from the greeter!\n') })
  .strict();

const NoOptions = z.object({}).strict();

/** Every built-in peer. */
export const PEER_CATALOG: Record<BuiltinPeer, CatalogEntry> = {
  'tcp-echo': { role: 'server', word: 'echo', options: NoOptions },
  'udp-echo': { role: 'server', word: 'udp-echo', options: NoOptions },
  'tcp-greeter': { role: 'server', word: 'greeter', options: TcpGreeterOptions },
  'tcp-client': { role: 'client', word: 'client', options: TcpClientOptions },
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
