import type { OwnerLabeler } from '../../../lib/client/wire/endpoints.ts';
import type { PacketSnapshot } from '../../../lib/client/wire/packet-log.ts';

/** What each view of the Network panel draws from: the run's packets so far and their owners. */
export interface WireViewProps {
  /** A new object whenever the packets change (the array itself grows in place). */
  snapshot: PacketSnapshot;
  /** The connection the panel is filtered to, or null for all. */
  conn: number | null;
  labelOf: OwnerLabeler;
}
