import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputCoalescer } from './coalescer.ts';

describe('OutputCoalescer', () => {
  let now = 0;
  let events: Array<[string, string, string]>;
  let coalescer: OutputCoalescer;

  beforeEach(() => {
    vi.useFakeTimers();
    now = 1000;
    events = [];
    coalescer = new OutputCoalescer(
      (process, stream, data) => events.push([process, stream, data]),
      {
        windowMs: 15,
        partialMs: 3,
        maxChars: 10,
        now: () => now,
      },
    );
  });

  afterEach(() => vi.useRealTimers());

  const advance = (ms: number): void => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  it('emits the first chunk at once, so a single line is live', () => {
    coalescer.push('a.py', 'stdout', 'hi\n');
    expect(events).toEqual([['a.py', 'stdout', 'hi\n']]);
  });

  it('lets a partial line wait a moment for the rest of its line, and no longer than that', () => {
    coalescer.push('a.py', 'stdout', 'first');
    expect(events).toEqual([]);
    coalescer.push('a.py', 'stdout', '\n');
    expect(events).toEqual([['a.py', 'stdout', 'first\n']]);
  });

  it('shows a prompt without a newline after that moment', () => {
    coalescer.push('a.py', 'stdout', 'name? ');
    advance(3);
    expect(events).toEqual([['a.py', 'stdout', 'name? ']]);
  });

  it('holds chunks that follow within the window and emits them together when it ends', () => {
    coalescer.push('a.py', 'stdout', '1\n');
    coalescer.push('a.py', 'stdout', '2\n');
    coalescer.push('a.py', 'stdout', '3\n');
    expect(events).toHaveLength(1);
    advance(15);
    expect(events).toEqual([
      ['a.py', 'stdout', '1\n'],
      ['a.py', 'stdout', '2\n3\n'],
    ]);
  });

  it('turns a flood into few events', () => {
    for (let i = 0; i < 1000; i++) {
      coalescer.push('a.py', 'stdout', 'x');
      if (i % 100 === 0) advance(1);
    }
    advance(15);
    expect(events.length).toBeLessThan(1000 / 5);
    expect(events.map((event) => event[2]).join('')).toBe('x'.repeat(1000));
  });

  it('emits as soon as the held text reaches the size cap', () => {
    coalescer.push('a.py', 'stdout', 'a\n');
    coalescer.push('a.py', 'stdout', '0123456789');
    expect(events).toEqual([
      ['a.py', 'stdout', 'a\n'],
      ['a.py', 'stdout', '0123456789'],
    ]);
  });

  it('never emits more than the cap at once, even when held text and a big chunk pass it', () => {
    coalescer.push('a.py', 'stdout', 'a\n');
    coalescer.push('a.py', 'stdout', '0123');
    coalescer.push('a.py', 'stdout', 'x'.repeat(23));
    expect(events.map(([, , data]) => data)).toEqual([
      'a\n',
      '0123xxxxxx',
      'xxxxxxxxxx',
      'xxxxxxx',
    ]);
  });

  it('cuts a long chunk between characters, never inside a surrogate pair', () => {
    coalescer.push('a.py', 'stdout', `${'x'.repeat(9)}😀${'y'.repeat(9)}`);
    const pieces = events.map(([, , data]) => data);
    expect(pieces.join('')).toBe(`${'x'.repeat(9)}😀${'y'.repeat(9)}`);
    expect(pieces[0]).toBe('x'.repeat(9));
    expect(pieces.every((piece) => piece.length <= 10 && !/[\uD800-\uDBFF]$/.test(piece))).toBe(
      true,
    );
  });

  it('keeps the order of stdout and stderr', () => {
    coalescer.push('a.py', 'stdout', 'out1');
    coalescer.push('a.py', 'stderr', 'err1');
    coalescer.push('a.py', 'stdout', 'out2');
    coalescer.flushAll();
    expect(events.map((event) => `${event[1]}:${event[2]}`)).toEqual([
      'stdout:out1',
      'stderr:err1',
      'stdout:out2',
    ]);
  });

  it('keeps processes apart and flushes one on demand', () => {
    coalescer.push('a.py', 'stdout', 'a1\n');
    coalescer.push('b.py', 'stdout', 'b1\n');
    coalescer.push('a.py', 'stdout', 'a2');
    coalescer.flush('a.py');
    expect(events).toEqual([
      ['a.py', 'stdout', 'a1\n'],
      ['b.py', 'stdout', 'b1\n'],
      ['a.py', 'stdout', 'a2'],
    ]);
  });

  it('emits nothing for empty chunks', () => {
    coalescer.push('a.py', 'stdout', '');
    coalescer.flushAll();
    expect(events).toEqual([]);
  });
});
