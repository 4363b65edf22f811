/**
 * Which sandbox server a page should connect to: the app polls every server's `/health` (slots,
 * busy, waiting, draining) and places each new connection on the healthy one with the most room.
 * A server that fails two polls in a row, or says it is draining, gets no new pages until it
 * answers again. Between polls every placement counts as one more busy slot on its server, so a
 * class opening its pages at once spreads out instead of piling onto the last poll's winner.
 */
import type { SandboxServer } from './servers.ts';

/** A server's own account of its load (the fields of its `/health` the app reads). */
export interface ServerLoad {
  slots: number;
  busy: number;
  waiting: number;
  draining: boolean;
}

/** What the registry knows of one server. */
export interface ServerStatus {
  url: string;
  load: ServerLoad | null;
  /** Polls failed in a row. */
  failures: number;
  healthy: boolean;
  /** Pages placed on it since its last poll. */
  placed: number;
}

export interface RegistryOptions {
  fetch?: typeof fetch;
  /** Between polls, in ms. */
  intervalMs?: number;
  /** Longest a poll waits for a server, in ms. */
  timeoutMs?: number;
}

/** Failed polls in a row after which a server gets no new pages. */
const MAX_FAILURES = 2;
/** A page stays on its previous server unless another has this many more free slots. */
const STICKY_SLOTS = 2;

interface Entry {
  server: SandboxServer;
  load: ServerLoad | null;
  failures: number;
  placed: number;
}

export class SandboxRegistry {
  private readonly entries: Entry[];
  private readonly fetch: typeof fetch;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private polled: Promise<void> | null = null;
  private turn = 0;

  constructor(servers: readonly SandboxServer[], options: RegistryOptions = {}) {
    this.entries = servers.map((server) => ({ server, load: null, failures: 0, placed: 0 }));
    this.fetch = options.fetch ?? globalThis.fetch;
    this.intervalMs = options.intervalMs ?? 2000;
    this.timeoutMs = options.timeoutMs ?? 1000;
  }

  /** Polls now and then every interval, until `stop`. */
  start(): void {
    if (this.timer) return;
    this.polled ??= this.poll();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Asks every server for its load once. */
  async poll(): Promise<void> {
    await Promise.all(this.entries.map((entry) => this.pollOne(entry)));
  }

  /**
   * The WebSocket URL for a page that was last on `previous` (null for a new page): the healthy
   * server with the most free slots, or `previous` while it is nearly as good (its sandboxes made
   * ahead for this page's lesson are there). With `waiting` the page's run is in `previous`'s
   * queue: it moves only to a server with a slot free now, and otherwise waits where it is.
   * Null when no server is known to be healthy.
   */
  async place(previous: string | null = null, waiting = false): Promise<string | null> {
    this.polled ??= this.poll();
    await this.polled;
    const healthy = this.entries.filter(isHealthy);
    const stay = healthy.find((entry) => entry.server.url === previous);
    const chosen = waiting ? this.forWaitingRun(healthy, stay) : this.forPage(healthy, stay);
    if (!chosen) return null;
    if (chosen !== stay || !waiting) chosen.placed += 1;
    return chosen.server.url;
  }

  /** What the registry knows now, server by server. */
  status(): ServerStatus[] {
    return this.entries.map((entry) => ({
      url: entry.server.url,
      load: entry.load,
      failures: entry.failures,
      healthy: isHealthy(entry),
      placed: entry.placed,
    }));
  }

  private forPage(healthy: Entry[], stay: Entry | undefined): Entry | undefined {
    const best = this.best(healthy);
    return stay && best && room(stay) + STICKY_SLOTS >= room(best) ? stay : best;
  }

  private forWaitingRun(healthy: Entry[], stay: Entry | undefined): Entry | undefined {
    const best = this.best(healthy.filter((entry) => entry !== stay));
    return best && room(best) > 0 ? best : (stay ?? best);
  }

  /** The entry with the most room; ties go round, so equal servers share new pages. */
  private best(healthy: Entry[]): Entry | undefined {
    if (healthy.length === 0) return undefined;
    const most = Math.max(...healthy.map(room));
    const tied = healthy.filter((entry) => room(entry) === most);
    return tied[this.turn++ % tied.length];
  }

  private async pollOne(entry: Entry): Promise<void> {
    try {
      const response = await this.fetch(entry.server.healthUrl, {
        signal: AbortSignal.timeout(this.timeoutMs),
        cache: 'no-store',
      });
      const load = response.ok ? parseLoad(await response.json()) : null;
      if (!load) throw new Error(`unexpected answer ${response.status}`);
      entry.load = load;
      entry.failures = 0;
    } catch {
      entry.failures += 1;
      if (entry.failures >= MAX_FAILURES) entry.load = null;
    }
    entry.placed = 0;
  }
}

function isHealthy(entry: Entry): boolean {
  return entry.load !== null && entry.failures < MAX_FAILURES && !entry.load.draining;
}

/** Free slots, less the queue and the pages placed since the last poll. */
function room(entry: Entry): number {
  const load = entry.load!;
  return load.slots - load.busy - load.waiting - entry.placed;
}

function parseLoad(body: unknown): ServerLoad | null {
  if (typeof body !== 'object' || body === null) return null;
  const { slots, busy, waiting, draining } = body as Record<string, unknown>;
  const counts = [slots, busy, waiting];
  if (!counts.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) return null;
  return {
    slots: slots as number,
    busy: busy as number,
    waiting: waiting as number,
    draining: draining === true,
  };
}
