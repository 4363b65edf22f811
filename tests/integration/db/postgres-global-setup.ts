/**
 * Integration project global setup: names a directory for the throwaway PostgreSQL cluster that
 * the first database test starts (tests that do not ask for it cost nothing) and stops it after.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopCluster } from './postgres-harness.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresClusterDir: string;
  }
}

/** Provides the cluster's directory; the returned teardown stops the cluster if it ran. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'handshake-pg-'));
  // The postgres user must reach it (it is chowned to postgres when the cluster starts).
  chmodSync(dir, 0o755);
  project.provide('postgresClusterDir', dir);
  return () => stopCluster(dir);
}
