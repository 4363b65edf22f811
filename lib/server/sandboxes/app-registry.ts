/**
 * The app's one SandboxRegistry, made on first use from HANDSHAKE_SANDBOX_SERVERS (null when
 * the app has one sandbox server: then pages connect to HANDSHAKE_SANDBOX_URL, as always).
 */
import { loadConfig } from '../../../sandbox-server/config.ts';
import { SandboxRegistry } from './registry.ts';

let registry: SandboxRegistry | null | undefined;

/** The registry polling every configured server, or null with one server. */
export function appSandboxRegistry(): SandboxRegistry | null {
  if (registry === undefined) {
    const servers = loadConfig().sandboxServers;
    registry = servers.length > 0 ? new SandboxRegistry(servers) : null;
    registry?.start();
  }
  return registry;
}

/** The WebSocket URL a page starts from: the first listed server, or HANDSHAKE_SANDBOX_URL. */
export function defaultSandboxUrl(): string | null {
  const config = loadConfig();
  return config.sandboxServers[0]?.url ?? config.sandboxUrl ?? null;
}
