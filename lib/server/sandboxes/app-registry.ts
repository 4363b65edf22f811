/**
 * Where the app's pages connect, read once per process from the configuration (it does not
 * change while the app runs): the SandboxRegistry polling HANDSHAKE_SANDBOX_SERVERS (null with
 * one sandbox server: then pages connect to HANDSHAKE_SANDBOX_URL, as always) and the URL a page
 * starts from. Kept on globalThis: Next.js may load this module more than once, and one process
 * polls once.
 */
import { loadConfig } from '../../../sandbox-server/config.ts';
import { SandboxRegistry } from './registry.ts';

interface Placement {
  registry: SandboxRegistry | null;
  defaultUrl: string | null;
}

const KEY = Symbol.for('handshake.sandboxPlacement');
const holder = globalThis as { [KEY]?: Placement };

function placement(): Placement {
  if (!holder[KEY]) {
    const config = loadConfig();
    const servers = config.sandboxServers;
    const registry = servers.length > 0 ? new SandboxRegistry(servers) : null;
    registry?.start();
    holder[KEY] = { registry, defaultUrl: servers[0]?.url ?? config.sandboxUrl ?? null };
  }
  return holder[KEY];
}

/** The registry polling every configured server, or null with one server. */
export function appSandboxRegistry(): SandboxRegistry | null {
  return placement().registry;
}

/** The WebSocket URL a page starts from: the first listed server, or HANDSHAKE_SANDBOX_URL. */
export function defaultSandboxUrl(): string | null {
  return placement().defaultUrl;
}
