/**
 * The app's one SandboxRegistry, made on first use from HANDSHAKE_SANDBOX_SERVERS (null when
 * the app has one sandbox server: then pages connect to HANDSHAKE_SANDBOX_URL, as always). Kept
 * on globalThis: Next.js may load this module more than once, and one process polls once.
 */
import { loadConfig } from '../../../sandbox-server/config.ts';
import { SandboxRegistry } from './registry.ts';

const KEY = Symbol.for('handshake.sandboxRegistry');
const holder = globalThis as { [KEY]?: SandboxRegistry | null };

/** The registry polling every configured server, or null with one server. */
export function appSandboxRegistry(): SandboxRegistry | null {
  if (holder[KEY] === undefined) {
    const servers = loadConfig().sandboxServers;
    holder[KEY] = servers.length > 0 ? new SandboxRegistry(servers) : null;
    holder[KEY]?.start();
  }
  return holder[KEY];
}

/** The WebSocket URL a page starts from: the first listed server, or HANDSHAKE_SANDBOX_URL. */
export function defaultSandboxUrl(): string | null {
  const config = loadConfig();
  return config.sandboxServers[0]?.url ?? config.sandboxUrl ?? null;
}
