/**
 * Entry point of every built-in peer, bundled into one file and run with Node inside the peer's
 * sandbox: `node /peer/main.mjs '<PeerConfig JSON>' < /dev/null` (it begins once stdin closes).
 */
import { PEER_CRASH_STATUS, SEEDED_PEERS, type PeerConfig, type PeerGo } from './config.ts';
import { runFileReceiver } from './file-receiver.ts';
import { runFileSender } from './file-sender.ts';
import { readGo } from './go.ts';
import { runChatBots } from './chat-bots.ts';
import { runHttpClient } from './http-client.ts';
import { runHttpServer } from './http-server.ts';
import { createPeerIo, type PeerIo } from './peer-io.ts';
import { runTcpClient } from './tcp-client.ts';
import { runTcpCrowd } from './tcp-crowd.ts';
import { runTcpEcho } from './tcp-echo.ts';
import { runTcpFramer } from './tcp-framer.ts';
import { runTcpGreeter } from './tcp-greeter.ts';
import { runTcpProxy } from './tcp-proxy.ts';
import { runTlsClient } from './tls-client.ts';
import { runTlsServer } from './tls-server.ts';
import { runUdpClient } from './udp-client.ts';
import { runUdpEcho } from './udp-echo.ts';
import { runUdpRelay } from './udp-relay.ts';

type Start = (config: PeerConfig, io: PeerIo, go: Promise<PeerGo>) => void | Promise<void>;

const PEERS: Record<PeerConfig['peer'], Start> = {
  'tcp-echo': runTcpEcho,
  'udp-echo': runUdpEcho,
  'tcp-greeter': runTcpGreeter,
  'tcp-client': runTcpClient,
  'udp-relay': runUdpRelay,
  'tcp-proxy': runTcpProxy,
  'udp-client': runUdpClient,
  'tcp-framer': runTcpFramer,
  'http-server': runHttpServer,
  'http-client': runHttpClient,
  'tcp-crowd': runTcpCrowd,
  'file-sender': runFileSender,
  'file-receiver': runFileReceiver,
  'chat-bots': runChatBots,
  'tls-server': runTlsServer,
  'tls-client': runTlsClient,
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
// run (a warm sandbox), when the run reaches it in the start order. The server peers listen at
// once and wait for the seed that comes with that close (their faults and templated text draw
// from it); with it comes the run's language, which the peer's lines wait for (in English if
// the peer exits first).
const go = readGo(process.stdin);
const io = createPeerIo(config.name);
void go.then(({ lang }) => io.begin(lang));
process.on('exit', () => io.begin('en'));
if (!SEEDED_PEERS.has(config.peer)) await go;
await start(config, io, go);
