/**
 * How a peer talks to the world: human lines on stdout (shown in its terminal pane) and
 * structured NDJSON reports on fd 3 (they become PeerReports in the run record).
 */
import { writeSync } from 'node:fs';
import { REPORT_FD } from './config.ts';

/** A peer's two outputs. */
export interface PeerIo {
  /** One human line, prefixed with the peer's name ("echo: …"). */
  log(line: string): void;
  /** One structured fact for the checks. */
  report(event: string, fields?: Record<string, unknown>): void;
}

/** The real outputs of a peer named `name`. */
export function createPeerIo(name: string): PeerIo {
  let reportsOpen = true;
  return {
    log: (line) => {
      process.stdout.write(`${name}: ${line}\n`);
    },
    report: (event, fields = {}) => {
      if (!reportsOpen) return;
      try {
        writeSync(REPORT_FD, `${JSON.stringify({ event, ...fields })}\n`);
      } catch {
        // No report channel (run by hand): the human log is enough.
        reportsOpen = false;
      }
    },
  };
}

/** Most characters of received data shown in one log line. */
const SHOWN_CHARS = 200;

/** Data as a quoted, escaped string for a log line, shortened when long. */
export function quote(text: string): string {
  const shown = text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
  return JSON.stringify(shown);
}
