'use client';

import { useEffect, useMemo, useState } from 'react';
import { isActive } from '../../../lib/client/run-state.ts';
import type { RunState } from '../../../lib/client/run-state.ts';
import { captureDownloadUrl, resolveSandboxUrl } from '../../../lib/client/sandbox-url.ts';
import { captureDownloadName } from '../../../lib/protocol.ts';
import type { DownloadOffer } from './wire-panel.tsx';

/**
 * The current run's capture as a download: the link once capture-ready came, `pending` while the
 * run still captures packets, `expired` once the server no longer keeps it, else nothing.
 */
export function useCaptureDownload(
  run: RunState,
  packets: number,
  sandboxUrl: string | null,
  lesson: string,
): DownloadOffer {
  const { capture, runId } = run;
  const expired = useExpired(capture?.expiresAt ?? null);
  const pending = isActive(run) && packets > 0;
  // One object per capture: the offer is published to the page's embedded diagrams.
  return useMemo(() => {
    if (!capture || !runId) return pending ? 'pending' : null;
    if (expired) return 'expired';
    const url = resolveSandboxUrl(sandboxUrl, window.location);
    return {
      href: captureDownloadUrl(url, runId, capture.token),
      fileName: captureDownloadName(runId, lesson),
      bytes: capture.bytes,
    };
  }, [capture, runId, pending, expired, sandboxUrl, lesson]);
}

/** Becomes true once `performance.now()` passes `expiresAt` (and false for a new one). */
function useExpired(expiresAt: number | null): boolean {
  const [passed, setPassed] = useState<number | null>(null);
  useEffect(() => {
    if (expiresAt === null) return;
    const timer = setTimeout(
      () => setPassed(expiresAt),
      Math.max(0, expiresAt - performance.now()),
    );
    return () => clearTimeout(timer);
  }, [expiresAt]);
  return expiresAt !== null && passed === expiresAt;
}
