/**
 * The sandbox server's Prometheus metrics (prom-client), in a registry of its own: runs by
 * outcome, slots busy and in all, runs waiting in the queue, Run → first output, limit hits,
 * sandboxes made ahead, open connections, and Node's default process metrics. The gauges read
 * the live numbers when scraped, so they never go stale. The KEDA trigger of deploy/k8s/sandbox
 * queries handshake_sandbox_slots_busy and handshake_sandbox_queue_waiting by these names.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunEndReason } from '../../lib/protocol.ts';

/** Where the gauges read their values when scraped. */
export interface MetricSources {
  slots(): number;
  busy(): number;
  waiting(): number;
  connections(): number;
  /** Sandboxes the jailer holds ready, or null when it does not answer. */
  warmSandboxes(): Promise<number | null>;
}

/** Counts the server's slot pool keeps. */
export interface PoolCounts {
  readonly slots: number;
  readonly busy: number;
  readonly waiting: number;
}

/** Metrics of a server: its pool's counts, its `connections()` and `warmSandboxes()`. */
export function poolMetrics(
  pool: PoolCounts,
  connections: () => number,
  warmSandboxes: MetricSources['warmSandboxes'],
): SandboxMetrics {
  return new SandboxMetrics({
    slots: () => pool.slots,
    busy: () => pool.busy,
    waiting: () => pool.waiting,
    connections,
    warmSandboxes,
  });
}

/** Run-end reasons that mean a run hit one of its limits, and the limit's label. */
const LIMIT_OF: Partial<Record<RunEndReason, string>> = {
  'time-limit': 'time',
  'cpu-limit': 'cpu',
  'memory-limit': 'memory',
  'output-limit': 'output',
  'process-limit': 'processes',
};

/** Buckets for Run → first output: a warm hello is ~0.1 s, a cold lesson with peers ~1–2 s. */
const FIRST_OUTPUT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];

export class SandboxMetrics {
  readonly registry = new Registry();
  private readonly runs: Counter<'outcome'>;
  private readonly limitHits: Counter<'limit'>;
  private readonly firstOutput: Histogram;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.runs = new Counter({
      name: 'handshake_sandbox_runs_total',
      help: 'Runs asked for, by how they ended (completed, stopped, a limit, busy, refused, error, draining…).',
      labelNames: ['outcome'],
      registers,
    });
    this.limitHits = new Counter({
      name: 'handshake_sandbox_limit_hits_total',
      help: 'Runs ended by one of their limits, by limit.',
      labelNames: ['limit'],
      registers,
    });
    this.firstOutput = new Histogram({
      name: 'handshake_sandbox_first_output_seconds',
      help: 'From a run being started in its slot to its first output (queue wait excluded).',
      buckets: FIRST_OUTPUT_BUCKETS,
      registers,
    });
    this.gauges(sources);
  }

  /** Counts a run that has ended (or was refused), by its outcome. */
  runEnded(outcome: string): void {
    this.runs.inc({ outcome });
    const limit = LIMIT_OF[outcome as RunEndReason];
    if (limit) this.limitHits.inc({ limit });
  }

  /** Records how long a run took from its start in a slot to its first output. */
  firstOutputAfter(seconds: number): void {
    this.firstOutput.observe(seconds);
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of render()'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  private gauges(sources: MetricSources): void {
    const registers = [this.registry];
    const live = (name: string, help: string, read: () => number): void =>
      void new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    live('handshake_sandbox_slots', 'Run slots of this server.', sources.slots);
    live('handshake_sandbox_slots_busy', 'Run slots in use now.', sources.busy);
    live('handshake_sandbox_queue_waiting', 'Runs waiting for a slot now.', sources.waiting);
    live('handshake_sandbox_connections', 'Open browser connections.', sources.connections);
    new Gauge({
      name: 'handshake_sandbox_warm_sandboxes',
      help: 'Sandboxes the jailer holds made ahead of runs (its last answer, while it does not answer).',
      registers,
      async collect() {
        const warm = await sources.warmSandboxes();
        if (warm !== null) this.set(warm);
      },
    });
  }
}
