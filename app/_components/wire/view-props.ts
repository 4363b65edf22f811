import type { OwnerLabeler } from '../../../lib/client/wire/endpoints.ts';
import type { WirePacket } from '../../../lib/client/wire/wire-packet.ts';

/** What each view of the Network panel draws from: the run's packets so far and their owners. */
export interface WireViewProps {
  packets: readonly WirePacket[];
  /** Changes whenever `packets` grows. */
  version: number;
  /** The connection the panel is filtered to, or null for all. */
  conn: number | null;
  labelOf: OwnerLabeler;
}
