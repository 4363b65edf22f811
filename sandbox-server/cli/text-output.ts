/**
 * The CLI's human output: every output line prefixed with its process name ("client.py | hi"),
 * program stderr to the CLI's stderr, then one status line per process, why the run ended (when
 * it was not a normal end), and the checks. Pure with respect to where text goes (`write`).
 * Notices are worded by the shared catalog, in English like the rest of the CLI.
 */
import { renderNotice } from '../../lib/notices/catalog.ts';
import type { CheckResult, RunEvent } from '../../lib/protocol.ts';

/** Where rendered text goes. */
export interface TextSink {
  stdout(text: string): void;
  stderr(text: string): void;
}

type Exited = Extract<RunEvent, { type: 'process-exited' }>;

/** Turns run events into prefixed lines and a closing summary. */
export class TextRenderer {
  private readonly sink: TextSink;
  private width = 0;
  private readonly partial = new Map<string, string>();
  private readonly exits: Exited[] = [];
  private checks: CheckResult[] = [];
  private packets = 0;
  private readonly connections = new Set<number>();
  private truncated = false;
  private seed: number | null = null;
  private readonly faults = new Map<string, number>();

  constructor(sink: TextSink) {
    this.sink = sink;
  }

  /** Renders one event. */
  handle(event: RunEvent): void {
    switch (event.type) {
      case 'run-started':
        this.width = Math.max(...event.processes.map((process) => process.name.length));
        this.seed = event.seed;
        break;
      case 'fault':
        this.faults.set(event.action, (this.faults.get(event.action) ?? 0) + 1);
        break;
      case 'output':
        this.output(event.process, event.stream, event.data);
        break;
      case 'output-skipped':
        this.output(event.process, 'stderr', `\n${renderNotice(event.notice, 'en')}\n`);
        break;
      case 'process-exited':
        this.flush(event.process);
        this.exits.push(event);
        break;
      case 'checks':
        this.checks = event.results;
        break;
      case 'packet':
        this.packets += 1;
        if (event.conn !== undefined) this.connections.add(event.conn);
        break;
      case 'capture-truncated':
        this.truncated = true;
        break;
      case 'run-finished':
        for (const key of [...this.partial.keys()]) this.flushKey(key);
        this.summary(event);
        break;
      default:
        break;
    }
  }

  private output(process: string, stream: 'stdout' | 'stderr', data: string): void {
    const key = `${stream}\0${process}`;
    const lines = ((this.partial.get(key) ?? '') + data).split('\n');
    this.partial.set(key, lines.pop()!);
    for (const line of lines) this.line(process, stream, line);
  }

  private flush(process: string): void {
    for (const stream of ['stdout', 'stderr'] as const) this.flushKey(`${stream}\0${process}`);
  }

  private flushKey(key: string): void {
    const rest = this.partial.get(key);
    this.partial.delete(key);
    if (!rest) return;
    const [stream, process] = key.split('\0') as ['stdout' | 'stderr', string];
    this.line(process, stream, rest);
  }

  private line(process: string, stream: 'stdout' | 'stderr', text: string): void {
    const line = `${process.padEnd(this.width)} | ${text}\n`;
    if (stream === 'stdout') this.sink.stdout(line);
    else this.sink.stderr(line);
  }

  private summary(finished: Extract<RunEvent, { type: 'run-finished' }>): void {
    for (const exit of this.exits) {
      this.sink.stdout(`${statusLine(exit)}\n`);
      for (const thread of exit.blocked ?? []) this.sink.stdout(`  ${blockedLine(thread)}\n`);
    }
    if (finished.reason !== 'completed')
      this.sink.stdout(`run: ${renderNotice(finished.notice, 'en')}\n`);
    if (this.packets > 0) this.sink.stdout(`${this.captureLine()}\n`);
    if (this.faults.size > 0) this.sink.stdout(`${this.faultLine()}\n`);
    for (const check of this.checks) this.sink.stdout(checkLine(check));
  }

  /** "faults: 3 dropped, 1 delayed (seed 42: --seed 42 repeats them)". */
  private faultLine(): string {
    const counts = [...this.faults].map(([action, count]) => `${count} ${action}`).join(', ');
    return `faults: ${counts} (seed ${this.seed}: --seed ${this.seed} repeats them)`;
  }

  private captureLine(): string {
    const connections = plural(this.connections.size, 'connection');
    const cut = this.truncated ? ', truncated' : '';
    return `capture: ${plural(this.packets, 'packet')} (${connections}${cut})`;
  }
}

/** "capture: 10 packets (1 connection)". */
function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "client.py: exited with code 0 after 0.12 s". */
export function statusLine(exit: Exited): string {
  const after = `after ${(exit.durationMs / 1000).toFixed(2)} s`;
  if (exit.end === 'stopped')
    return `${exit.process}: stopped at the end of the run (still serving) ${after}`;
  const how = exit.signal ? `by ${exit.signal}` : `with code ${exit.exitCode}`;
  if (exit.end === 'killed')
    return `${exit.process}: killed${exit.signal ? ` by ${exit.signal}` : ''} ${after}`;
  return `${exit.process}: exited ${how} ${after}`;
}

/** "blocked in recv (recvfrom) on tcp 127.0.0.1:41234 → 127.0.0.1:8080 ESTABLISHED". */
export function blockedLine(thread: NonNullable<Exited['blocked']>[number]): string {
  const head = `blocked in ${thread.call} (${thread.syscall})`;
  const socket = thread.socket;
  if (!socket) return head;
  const ends = socket.remote ? `${socket.local} → ${socket.remote}` : socket.local;
  return `${head} on ${socket.proto} ${ends} ${socket.state}`;
}

function checkLine(check: CheckResult): string {
  const mark = check.status === 'pass' ? '✓' : check.status === 'fail' ? '✗' : '!';
  const head = `${mark} ${check.title}: ${check.message}\n`;
  if (!check.details || check.status === 'pass') return head;
  const details = check.details.replace(/\n$/, '').split('\n');
  return head + details.map((line) => `    ${line}\n`).join('');
}
