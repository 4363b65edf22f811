'use client';

/**
 * The lesson page's current run, for the `<SequenceDiagram />` a lesson's prose embeds: the
 * prose and the workbench are siblings under a server component, so the workbench publishes its
 * run here and the prose subscribes. A page has one workbench, hence one module-level value.
 */
import { useSyncExternalStore } from 'react';
import type { PacketLog } from '../../../lib/client/wire/packet-log.ts';
import type { DownloadOffer } from './wire-panel.tsx';

/** What an embedded diagram needs of the current run. */
export interface CurrentRun {
  packets: PacketLog;
  /** Display names of the run's processes (`peer:echo` → `peer: echo`). */
  labels: ReadonlyMap<string, string>;
  /** The capture's truncation notice, if any. */
  notice: string | null;
  finished: boolean;
  /** The run's capture as a download, when the server offers one. */
  download: DownloadOffer;
}

let current: CurrentRun | null = null;
const listeners = new Set<() => void>();

/** Makes `run` the page's current run (null when the workbench goes away). */
export function publishCurrentRun(run: CurrentRun | null): void {
  current = run;
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The page's current run, kept up to date; null outside a lesson page. */
export function useCurrentRun(): CurrentRun | null {
  return useSyncExternalStore(
    subscribe,
    () => current,
    () => null,
  );
}
