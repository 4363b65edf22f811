/** A recorded TCP session (lib/packets/fixtures/tcp-session.pcap) replayed as a run's events. */
import { readFileSync } from 'node:fs';
import { parsePcap } from '../../../lib/packets/parse-pcap.ts';
import type { ServerMessage } from '../../../lib/protocol.ts';

const PCAP = new URL('../../../lib/packets/fixtures/tcp-session.pcap', import.meta.url);

/** The session as the run's `packet` events: the peer connects to server.py on port 5000. */
export function sessionEvents(runId: string): ServerMessage[] {
  const { packets } = parsePcap(new Uint8Array(readFileSync(PCAP)));
  const owner = (port?: number) => (port === 5000 ? 'server.py' : 'peer:client');
  return packets.map((packet) => ({
    type: 'packet',
    runId,
    ...packet,
    srcOwner: owner(packet.sport),
    dstOwner: owner(packet.dport),
  }));
}
