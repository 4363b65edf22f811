/**
 * Booting `sandbox-server/main.ts` as `npm run sandbox-server` does: a bad option stops it with
 * one clear line per bad variable; a good boot listens, says hello, and SIGTERM drains (an idle
 * socket is closed with serverDraining at once) and exits 0.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../lib/protocol.ts';
import { ProtocolClient } from '../../sandbox-server/transport/client.ts';
import { launchServer } from '../../sandbox-server/transport/launch.ts';

describe('sandbox server boot', () => {
  it('refuses a bad option with a message naming the variable, no stack trace', () => {
    const result = spawnSync(process.execPath, ['sandbox-server/main.ts'], {
      env: { ...process.env, HANDSHAKE_SANDBOX_PORT: 'eighty', HANDSHAKE_SLOTS: '0' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'handshake: bad configuration, the sandbox server did not start:\n' +
        'HANDSHAKE_SANDBOX_PORT="eighty" is invalid: must be a whole number from 0 to 65535\n' +
        'HANDSHAKE_SLOTS="0" is invalid: must be at least 1\n',
    );
  });

  it('says when the port is taken', async () => {
    const first = await launchServer();
    try {
      const port = new URL(first.url).port;
      const result = spawnSync(process.execPath, ['sandbox-server/main.ts'], {
        // Its own instance id: only the port may stand in its way.
        env: {
          ...process.env,
          HANDSHAKE_SANDBOX_PORT: port,
          HANDSHAKE_INSTANCE: `b${process.pid.toString(36)}`,
        },
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
    } finally {
      await first.stop();
    }
  });

  it('listens on /ws, and on SIGTERM drains: an idle socket is closed with serverDraining, exit 0', async () => {
    const server = await launchServer();
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    const client = await ProtocolClient.connect(server.url);
    expect(await server.stop()).toBe(0);
    expect((await client.closed).code).toBe(CLOSE_CODES.serverDraining);
  });
});
