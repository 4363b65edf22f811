/**
 * What the tcp-crowd peer tells: every report (with its connection and `t`, bounded so that the
 * final `done` always fits in the run's report budget), the timeline its metrics are computed
 * from, and a terminal that stays readable with 200 connections: a progress line per tenth of
 * them, the first few failures in full, and a summary.
 */
import type { PeerLine } from '../../lib/notices/peer-lines.ts';
import type { TcpCrowdOptions } from './config.ts';
import { crowdMetrics, type CrowdEvent, type CrowdMetrics } from './crowd-metrics.ts';
import type { PeerIo } from './peer-io.ts';

/**
 * Reports written before only `done` follows: the run keeps 10 000 reports and 1 MiB of report
 * text per peer, and a dropped `done` would leave the checks without the crowd's verdict.
 */
export const MAX_CROWD_REPORTS = 9000;
const MAX_CROWD_REPORT_CHARS = 900_000;
/** Failed connections described one by one; the rest are counted. */
export const FAILURES_SHOWN = 5;
/** A progress line after every this many finished connections, at least (else a tenth). */
const PROGRESS_EVERY = 10;

/** The crowd's verdict, as its `done` report carries it. */
export interface CrowdDone extends CrowdMetrics {
  ok: boolean;
  stalled: number;
  connections: number;
}

/** Reports, timeline and terminal lines of one crowd. */
export class CrowdLog {
  private readonly io: PeerIo;
  private readonly options: TcpCrowdOptions;
  private readonly began = performance.now();
  private readonly timeline: CrowdEvent[] = [];
  private reports = 0;
  private reportChars = 0;
  private finished = 0;
  private served = 0;
  private failures = 0;

  constructor(io: PeerIo, options: TcpCrowdOptions) {
    this.io = io;
    this.options = options;
  }

  /** Milliseconds since the crowd began. */
  now(): number {
    return Math.round(performance.now() - this.began);
  }

  /** Records `event` of `connection` in the timeline and reports it, while the budget lasts. */
  report(event: string, connection: number, fields: Record<string, unknown> = {}): void {
    const t = this.now();
    const { stalled, clean } = fields as Pick<CrowdEvent, 'stalled' | 'clean'>;
    this.timeline.push({ event, connection, t, stalled, clean });
    if (this.reports >= MAX_CROWD_REPORTS) return;
    this.reports += 1;
    this.reportChars += JSON.stringify(fields).length;
    if (this.reports === MAX_CROWD_REPORTS || this.reportChars >= MAX_CROWD_REPORT_CHARS) {
      this.reports = MAX_CROWD_REPORTS;
      this.io.report('reports-capped', { max: MAX_CROWD_REPORTS, t });
      this.io.say({ code: 'peer-crowd-reports-capped', params: { max: MAX_CROWD_REPORTS } });
      return;
    }
    this.io.report(event, { connection, t, ...fields });
  }

  /** One terminal line. */
  say(line: PeerLine): void {
    this.io.say(line);
  }

  /** Says why `connection` failed, for the first few failures only. */
  failed(connection: number, line: PeerLine): void {
    this.failures += 1;
    if (this.failures <= FAILURES_SHOWN)
      this.io.say({ code: 'peer-crowd-connection', params: { connection, line } });
  }

  /** Counts a normal connection that is over, with a progress line now and then. */
  ended(served: boolean): void {
    const count = this.options.connections;
    this.finished += 1;
    if (served) this.served += 1;
    const every = Math.max(PROGRESS_EVERY, Math.ceil(count / 10));
    if (this.finished % every === 0 || this.finished === count) {
      const params = { finished: this.finished, count, served: this.served };
      this.io.say({ code: 'peer-crowd-progress', params });
    }
    if (this.finished === count && this.failures > FAILURES_SHOWN) {
      const params = { count: this.failures - FAILURES_SHOWN };
      this.io.say({ code: 'peer-crowd-more-failures', params });
    }
  }

  /** Computes the verdict, says and reports it (`done`, never capped) and returns it. */
  finish(): CrowdDone {
    const { connections, stalled, lines } = this.options;
    const metrics = crowdMetrics(this.timeline, lines.length);
    const done = { ok: metrics.served === connections, ...metrics, stalled, connections };
    const { served, servedWhileStalled, maxInFlight } = metrics;
    const params = { served, count: connections, servedWhileStalled, stalled, maxInFlight };
    this.say({ code: 'peer-crowd-summary', params });
    if (this.stalledOpened() > 0 && servedWhileStalled === 0 && !done.ok)
      this.say({ code: 'peer-crowd-one-at-a-time', params: { stalled: this.stalledOpened() } });
    this.io.report('done', { ...done, t: this.now() });
    return done;
  }

  private stalledOpened(): number {
    return this.timeline.filter((event) => event.event === 'connected' && event.stalled).length;
  }
}
