/**
 * Entry point of every built-in peer, bundled into one file and run with Node inside the peer's
 * sandbox: `node /peer/main.mjs '<PeerConfig JSON>' < /dev/null` (it begins once stdin closes).
 */
import { PEER_CRASH_STATUS, type PeerConfig } from './config.ts';
import { createPeerIo, type PeerIo } from './peer-io.ts';
import { runTcpClient } from './tcp-client.ts';
import { runTcpEcho } from './tcp-echo.ts';
import { runTcpGreeter } from './tcp-greeter.ts';
import { runUdpEcho } from './udp-echo.ts';

const PEERS: Record<PeerConfig['peer'], (config: PeerConfig, io: PeerIo) => void | Promise<void>> =
  {
    'tcp-echo': runTcpEcho,
    'udp-echo': runUdpEcho,
    'tcp-greeter': runTcpGreeter,
    'tcp-client': runTcpClient,
  };

const config = JSON.parse(process.argv[2] ?? '{}') as PeerConfig;
const start = PEERS[config.peer];
if (!start) {
  process.stderr.write(`unknown peer ${JSON.stringify(config.peer)}\n`);
  process.exit(2);
}
// A bug in a peer is a crash the run must tell from a client's ordinary "it failed" (exit 1).
process.on('uncaughtException', (error) => {
  process.stderr.write(`${config.name}: crashed: ${error.stack ?? String(error)}\n`);
  process.exit(PEER_CRASH_STATUS);
});
// A SIGTERM/SIGINT from the run's end is a normal stop, not a crash.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
// A peer begins when its stdin closes: at once when its run starts it, or, started ahead of its
// run (a warm sandbox), when the run reaches it in the start order.
await new Promise<void>((resolve) => {
  process.stdin
    .once('end', resolve)
    .once('error', () => resolve())
    .resume();
});
await start(config, createPeerIo(config.name));
