/**
 * The browser's line discipline. Learner processes run on pipes, not a pty, so nothing on the
 * server echoes keystrokes or edits lines; this does what a terminal's cooked mode would: echo
 * typed text, let Backspace edit the pending line, send whole lines on Enter, and turn Ctrl-C
 * and Ctrl-D into interrupt and end-of-file.
 */

export type LineEffect =
  /** Text to write to the terminal (the local echo). */
  | { type: 'echo'; text: string }
  /** Text to send to the process's stdin. */
  | { type: 'send'; data: string }
  /** Ctrl-C: interrupt the process. */
  | { type: 'interrupt' }
  /** Ctrl-D: close the process's stdin. */
  | { type: 'eof' };

export interface LineResult {
  /** The pending line after this input (typed but not yet sent). */
  line: string;
  /** What to do, in order; adjacent echoes and sends are merged. */
  effects: LineEffect[];
}

const ESC = '\x1b';

/** Feeds terminal input (keystrokes or a paste, as xterm's onData delivers it) into the pending line. */
export function feedLine(line: string, data: string): LineResult {
  const out = new Effects();
  const chars = Array.from(data);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === ESC) {
      i = skipEscapeSequence(chars, i);
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\n' && chars[i - 1] === '\r') continue; // a pasted CRLF is one line end
      out.echo('\r\n');
      out.send(`${line}\n`);
      line = '';
    } else if (ch === '\x7f' || ch === '\b') {
      const last = Array.from(line).pop();
      if (last === undefined) continue;
      line = line.slice(0, line.length - last.length);
      out.echo(erase(last));
    } else if (ch === '\x15') {
      // Ctrl-U: discard the pending line, as a terminal does.
      out.echo(Array.from(line).map(erase).join(''));
      line = '';
    } else if (ch === '\x03') {
      out.echo('^C\r\n');
      out.push({ type: 'interrupt' });
      line = '';
    } else if (ch === '\x04') {
      // A terminal delivers the pending text first, then the end of file.
      if (line) out.send(line);
      out.echo('^D\r\n');
      out.push({ type: 'eof' });
      line = '';
    } else if (ch === '\t' || ch >= ' ') {
      line += ch;
      out.echo(ch);
    }
    // Other control characters have no meaning on a pipe and are dropped.
  }
  return { line, effects: out.list };
}

/** Skips an escape sequence (arrow keys, function keys, Alt+key); returns the index of its last character. */
function skipEscapeSequence(chars: string[], start: number): number {
  const next = chars[start + 1];
  if (next === '[') {
    let i = start + 2;
    while (i < chars.length && !/[@-~]/.test(chars[i]!)) i++;
    return i;
  }
  if (next === 'O') return start + 2;
  return next === undefined ? start : start + 1;
}

/** The echo that erases one character: wide (CJK) characters take two cells. */
function erase(ch: string): string {
  return isWide(ch) ? '\b\b  \b\b' : '\b \b';
}

/** East Asian wide and fullwidth characters, the ones Chinese learners type. */
export function isWide(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Collects effects, merging adjacent echoes and adjacent sends so a paste becomes one message. */
class Effects {
  readonly list: LineEffect[] = [];

  push(effect: LineEffect): void {
    this.list.push(effect);
  }

  echo(text: string): void {
    const last = this.list.at(-1);
    if (last?.type === 'echo') last.text += text;
    else if (text) this.list.push({ type: 'echo', text });
  }

  send(data: string): void {
    // An echo may sit between two sends; sends merge across it so a paste is one stdin message.
    const target = this.list[this.list.findLastIndex((e) => e.type !== 'echo')];
    if (target?.type === 'send') target.data += data;
    else this.list.push({ type: 'send', data });
  }
}

/** Splits stdin text into chunks of at most `maxBytes` UTF-8 bytes without splitting a character. */
export function chunkUtf8(text: string, maxBytes: number): string[] {
  const chunks: string[] = [];
  let current = '';
  let bytes = 0;
  const encoder = new TextEncoder();
  for (const ch of text) {
    const size = encoder.encode(ch).length;
    if (bytes + size > maxBytes && current) {
      chunks.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  if (current) chunks.push(current);
  return chunks;
}
