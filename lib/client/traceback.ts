/**
 * Reading a Python traceback out of terminal text: where in the learner's files it points
 * (`File "/sandbox/client.py", line 12`) and the exception it ended with. Pure; the terminal
 * pane turns the locations into links and the last exception into a sentence (lib/notices).
 */

/** A place in one of the learner's files that a traceback names. */
export interface SourceLocation {
  file: string;
  line: number;
}

/** A location as it sits in one line of terminal text: [start, end) are character offsets. */
export interface LocatedLink extends SourceLocation {
  start: number;
  end: number;
}

const FRAME = /File "([^"]*?)([^"/\\]+\.py)", line (\d+)/g;
// CSI sequences (colours) and OSC sequences, which the terminal feed adds around stderr.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** The text without terminal escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * The traceback frames in one line that point into the learner's files (`files`, by name), with
 * their position in the line. Frames of Python's own modules (socket.py…) are not links.
 */
export function linksInLine(line: string, files: readonly string[]): LocatedLink[] {
  const links: LocatedLink[] = [];
  for (const match of line.matchAll(FRAME)) {
    const file = match[2]!;
    if (!files.includes(file)) continue;
    links.push({
      file,
      line: Number(match[3]),
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  return links;
}

/** Every frame of the text that points into the learner's files, deduplicated, in order. */
export function tracebackLocations(text: string, files: readonly string[]): SourceLocation[] {
  const seen = new Set<string>();
  const found: SourceLocation[] = [];
  for (const line of stripAnsi(text).split('\n')) {
    for (const { file, line: number } of linksInLine(line, files)) {
      const key = `${file}:${number}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ file, line: number });
    }
  }
  return found;
}

// The exception line is the first one after the header that is not indented (frames and their
// source lines are); its name is a dotted identifier, optionally followed by `: message`.
const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(?::\s.*)?$/;

/**
 * The last line of the last traceback in the text (`ConnectionRefusedError: [Errno 111] …`),
 * or undefined when the text holds no traceback.
 */
export function lastException(text: string): string | undefined {
  const lines = stripAnsi(text).split('\n');
  const start = lines.findLastIndex((line) => line.startsWith('Traceback (most recent call last)'));
  if (start < 0) return undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (line === '' || /^\s/.test(line)) continue;
    return EXCEPTION_LINE.test(line) ? line : undefined;
  }
  return undefined;
}
