import { describe, expect, it } from 'vitest';
import { chunkUtf8, feedLine } from './line-discipline.ts';
import type { LineEffect } from './line-discipline.ts';

/** Feeds each string in turn, as separate keystrokes, and collects every effect. */
function type(...inputs: string[]): { line: string; effects: LineEffect[] } {
  let line = '';
  const effects: LineEffect[] = [];
  for (const input of inputs) {
    const result = feedLine(line, input);
    line = result.line;
    effects.push(...result.effects);
  }
  return { line, effects };
}

const sent = (effects: LineEffect[]) => effects.flatMap((e) => (e.type === 'send' ? [e.data] : []));
const echoed = (effects: LineEffect[]) =>
  effects.flatMap((e) => (e.type === 'echo' ? [e.text] : [])).join('');

describe('feedLine', () => {
  it('echoes typed characters and keeps them pending until Enter', () => {
    const result = type('h', 'i');
    expect(result.line).toBe('hi');
    expect(echoed(result.effects)).toBe('hi');
    expect(sent(result.effects)).toEqual([]);
  });

  it('sends the line with a newline on Enter and moves the cursor to a new line', () => {
    const result = type('h', 'i', '\r');
    expect(result.line).toBe('');
    expect(sent(result.effects)).toEqual(['hi\n']);
    expect(echoed(result.effects)).toBe('hi\r\n');
  });

  it('lets Backspace edit the pending line and erases the character on screen', () => {
    const result = type('a', 'b', '\x7f', 'c', '\r');
    expect(sent(result.effects)).toEqual(['ac\n']);
    expect(echoed(result.effects)).toBe('ab\b \bc\r\n');
  });

  it('erases two cells for a wide Chinese character', () => {
    const result = type('你', '好', '\x7f');
    expect(result.line).toBe('你');
    expect(echoed(result.effects)).toBe('你好\b\b  \b\b');
  });

  it('ignores Backspace on an empty line', () => {
    expect(type('\x7f').effects).toEqual([]);
  });

  it('turns Ctrl-C into an interrupt, shows ^C and drops the pending line', () => {
    const result = type('x', 'y', '\x03');
    expect(result.line).toBe('');
    expect(result.effects.at(-1)).toEqual({ type: 'interrupt' });
    expect(echoed(result.effects)).toBe('xy^C\r\n');
    expect(sent(result.effects)).toEqual([]);
  });

  it('turns Ctrl-D into end of file and shows ^D', () => {
    const result = type('\x04');
    expect(result.effects).toEqual([{ type: 'echo', text: '^D\r\n' }, { type: 'eof' }]);
  });

  it('delivers pending text before the end of file on Ctrl-D', () => {
    const result = type('ab', '\x04');
    expect(result.effects.filter((e) => e.type !== 'echo')).toEqual([
      { type: 'send', data: 'ab' },
      { type: 'eof' },
    ]);
  });

  it('sends a pasted block of lines as one message and keeps the unfinished tail pending', () => {
    const result = type('one\rtwo\r\nthree\nfour');
    expect(sent(result.effects)).toEqual(['one\ntwo\nthree\n']);
    expect(result.line).toBe('four');
    expect(echoed(result.effects)).toBe('one\r\ntwo\r\nthree\r\nfour');
  });

  it('ignores arrow keys and other escape sequences', () => {
    const result = type('a', '\x1b[D', '\x1b[1;5C', '\x1bOA', 'b', '\r');
    expect(sent(result.effects)).toEqual(['ab\n']);
  });

  it('clears the pending line on Ctrl-U', () => {
    const result = type('abc', '\x15', 'd', '\r');
    expect(sent(result.effects)).toEqual(['d\n']);
    expect(echoed(result.effects)).toContain('\b \b\b \b\b \b');
  });

  it('drops control characters that mean nothing on a pipe', () => {
    expect(type('\x07\x01').effects).toEqual([]);
  });
});

describe('chunkUtf8', () => {
  it('splits on byte size without breaking multi-byte characters', () => {
    expect(chunkUtf8('ab你c', 3)).toEqual(['ab', '你', 'c']);
    expect(chunkUtf8('', 3)).toEqual([]);
  });
});
