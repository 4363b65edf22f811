/**
 * How a peer talks to the world: human lines on stdout (shown in its terminal pane), worded by
 * lib/notices in the run's language, and structured NDJSON reports on fd 3 (they become
 * PeerReports in the run record).
 */
import { writeSync } from 'node:fs';
import { renderPeerLine, type PeerLine } from '../../lib/notices/peer-lines.ts';
import type { Lang } from '../../lib/protocol.ts';
import { REPORT_FD } from './config.ts';

/** A peer's two outputs. */
export interface PeerIo {
  /** One human line, prefixed with the peer's name ("echo: …"), in the run's language. */
  say(line: PeerLine): void;
  /** One structured fact for the checks. */
  report(event: string, fields?: Record<string, unknown>): void;
}

/** The real outputs of a peer named `name`, and `begin`, which says the run's language. */
export function createPeerIo(name: string): PeerIo & { begin(lang: Lang): void } {
  let reportsOpen = true;
  // A peer started ahead of its run (a warm sandbox) learns the language from its go line;
  // what it says before that waits, in order, and is written then.
  let lang: Lang | null = null;
  const waiting: PeerLine[] = [];
  const write = (line: PeerLine, as: Lang): void => {
    process.stdout.write(`${name}: ${renderPeerLine(line, as)}\n`);
  };
  return {
    say: (line) => {
      if (lang) write(line, lang);
      else waiting.push(line);
    },
    begin: (given) => {
      if (lang) return;
      lang = given;
      for (const line of waiting.splice(0)) write(line, given);
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
