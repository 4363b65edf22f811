/**
 * The transport options the transport tests start a server with (port 0, one allowed origin,
 * small limits), so each test says only what it changes.
 */
import { DEFAULT_OUTBOX_OPTIONS } from './outbox.ts';
import type { TransportOptions } from './server.ts';

/** Where the tests' clients come from. */
export const TEST_ORIGIN = 'http://localhost:3000';

/** Options for a test server on a free port of 127.0.0.1, with `changes` on top. */
export function testTransportOptions(changes: Partial<TransportOptions> = {}): TransportOptions {
  return {
    host: '127.0.0.1',
    port: 0,
    allowedOrigins: [TEST_ORIGIN],
    maxConnectionsPerAddress: 20,
    maxRunsPerAddress: 20,
    maxMessageBytes: 4096,
    trustProxy: false,
    limits: { wallSeconds: 10, outputBytes: 1 << 20 },
    outbox: DEFAULT_OUTBOX_OPTIONS,
    ...changes,
  };
}
