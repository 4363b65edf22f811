/**
 * One real sandbox server (`sandbox-server/main.ts`) per test file, started before its tests and
 * stopped after them (it must exit 0), with browser-like clients that are closed at the end.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { ProtocolClient } from '../../sandbox-server/transport/client.ts';
import { launchServer, type LaunchedServer } from '../../sandbox-server/transport/launch.ts';

export interface LiveServer {
  /** The running server (valid inside tests). */
  readonly server: LaunchedServer;
  /** A new client connected to it, closed after the file's tests. */
  connect(): Promise<ProtocolClient>;
}

/** Registers the server's start and stop with this file's hooks; HANDSHAKE_* overrides in `env`. */
export function liveServerPerFile(env: Record<string, string> = {}): LiveServer {
  let server: LaunchedServer | undefined;
  const clients: ProtocolClient[] = [];
  beforeAll(async () => {
    server = await launchServer(env);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    expect(await server?.stop()).toBe(0);
  });
  return {
    get server() {
      if (!server) throw new Error('the live server starts in beforeAll');
      return server;
    },
    async connect() {
      const client = await ProtocolClient.connect(this.server.url, { timeoutMs: 25_000 });
      clients.push(client);
      return client;
    },
  };
}
