'use client';

import { useEffect, useState } from 'react';
import type { PacketLog, PacketSnapshot } from '../../../lib/client/wire/packet-log.ts';

const EMPTY: PacketSnapshot = { packets: [], version: 0, faults: 0 };

/**
 * The packets of a log, re-read at most once per animation frame: packets arrive one WebSocket
 * message each, and re-laying out thousands of them per message would stall the page.
 */
export function usePacketSnapshot(log: PacketLog | null): PacketSnapshot {
  const [snapshot, setSnapshot] = useState<PacketSnapshot>(() => log?.snapshot() ?? EMPTY);
  useEffect(() => {
    if (!log) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      setSnapshot(log.snapshot());
    };
    read();
    const unsubscribe = log.subscribe(() => {
      frame ||= requestAnimationFrame(read);
    });
    return () => {
      unsubscribe();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [log]);
  return log ? snapshot : EMPTY;
}
