/**
 * The built-in peers as the host sees them: what each one is (a server that must be listening
 * before the next process starts, or a client that connects), the word it logs under, and its
 * options validated (lib/lessons/peers.ts) so the peer program itself can trust its config.
 */
import type { z } from 'zod';
import { PeerSpec, type BuiltinPeer } from '../../lib/lessons/peers.ts';
import type { PeerConfig } from './config.ts';

interface CatalogEntry {
  /** Servers start before learner files in the CLI; clients after them. */
  role: 'server' | 'client';
  /** Prefix of its log lines ("echo: connection from …"). */
  word: string;
}

/** Every built-in peer. */
export const PEER_CATALOG: Record<BuiltinPeer, CatalogEntry> = {
  'tcp-echo': { role: 'server', word: 'echo' },
  'udp-echo': { role: 'server', word: 'udp-echo' },
  'tcp-greeter': { role: 'server', word: 'greeter' },
  'tcp-client': { role: 'client', word: 'client' },
  'udp-relay': { role: 'server', word: 'relay' },
  'tcp-proxy': { role: 'server', word: 'proxy' },
  'udp-client': { role: 'client', word: 'udp-client' },
  'tcp-framer': { role: 'server', word: 'framer' },
  'http-server': { role: 'server', word: 'http-server' },
  'http-client': { role: 'client', word: 'http-client' },
  'tcp-crowd': { role: 'client', word: 'crowd' },
  'file-sender': { role: 'server', word: 'sender' },
  'file-receiver': { role: 'server', word: 'receiver' },
  'chat-bots': { role: 'client', word: 'bots' },
  'tls-server': { role: 'server', word: 'tls-server' },
  'tls-client': { role: 'client', word: 'tls-client' },
};

/** The config a peer is started with; throws a readable error when its options are wrong. */
export function peerConfig(spec: z.input<typeof PeerSpec>): PeerConfig {
  const parsed = PeerSpec.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`peer ${spec.peer}: ${issue?.path.join('.')}: ${issue?.message ?? 'invalid'}`);
  }
  const { peer, port, options } = parsed.data;
  return { peer, name: PEER_CATALOG[peer].word, port, options };
}
