/**
 * A few fresh network namespaces made ahead of time, so a run does not wait the ~10 ms that
 * `ip netns add` + `lo up` cost. Each is used by one run only and deleted after it. Names are
 * the host's run names (`hs-<instance>-<n>`, run-names.ts), so namespaces left by a server that
 * died can be recognised and swept, while those of other live servers on the host are left alone.
 */
import { execFileSync } from 'node:child_process';
import { HOST_TOOLS, launcherEnv } from './host-tools.ts';
import { createNetns, deleteNetns, listNetns } from './netns.ts';
import type { RunNames } from './run-names.ts';

/** How long after a take the pool starts replacing it (the run's own start comes first). */
const REFILL_DELAY_MS = 150;

/** Keeps `size` namespaces ready; `take()` never waits longer than creating one would. */
export class NetnsPool {
  private size: number;
  private readonly ready: string[] = [];
  private readonly creating = new Set<Promise<void>>();
  private readonly names: RunNames;

  constructor(size: number, names: RunNames) {
    this.size = size;
    this.names = names;
    process.once('exit', () => this.disposeSync());
  }

  /** A fresh namespace for one run; the caller deletes it with `discard` afterwards. */
  async take(): Promise<string> {
    const name = this.ready.shift() ?? (await this.createOne());
    // Making the next one forks `ip`: not now, while this run is forking its own processes.
    setTimeout(() => this.refill(), REFILL_DELAY_MS).unref();
    return name;
  }

  /** Deletes a namespace a run is done with, then tops the pool up. */
  async discard(name: string): Promise<void> {
    await deleteNetns(name);
    this.refill();
  }

  /** Starts making namespaces until `size` are ready (errors surface at the next take()). */
  refill(): void {
    while (this.ready.length + this.creating.size < this.size) {
      const name = this.nextName();
      const job = createNetns(name)
        // Made after a dispose: nobody will take it.
        .then(() => (this.size > 0 ? void this.ready.push(name) : deleteNetns(name)))
        .catch(() => {})
        .finally(() => this.creating.delete(job));
      this.creating.add(job);
    }
  }

  private async createOne(): Promise<string> {
    const name = this.nextName();
    await createNetns(name);
    return name;
  }

  private nextName(): string {
    return this.names.next();
  }

  /** Makes no more namespaces ahead (those being made are deleted once made). */
  stopRefilling(): void {
    this.size = 0;
  }

  /** Deletes the namespaces made ahead, waiting for those still being made. */
  async dispose(): Promise<void> {
    this.size = 0;
    await Promise.all(this.creating);
    await Promise.all(this.ready.splice(0).map((name) => deleteNetns(name).catch(() => {})));
  }

  /** Deletes the namespaces made ahead and never used (synchronously: at exit the loop is gone). */
  disposeSync(): void {
    this.size = 0;
    for (const name of this.ready.splice(0)) {
      try {
        execFileSync(HOST_TOOLS.ip, ['netns', 'delete', name], {
          env: launcherEnv(),
          stdio: 'ignore',
        });
      } catch {
        // Best effort: the sweep of a later server removes what is left.
      }
    }
  }
}

/** Deletes the namespaces `isLeftover` names (RunNames.isLeftover: this host's to remove). */
export async function sweepNetns(isLeftover: (name: string) => boolean): Promise<void> {
  await Promise.all(
    listNetns()
      .filter(isLeftover)
      .map((name) => deleteNetns(name).catch(() => {})),
  );
}
