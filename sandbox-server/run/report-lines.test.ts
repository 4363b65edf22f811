import { describe, expect, it } from 'vitest';
import { ReportLines } from './report-lines.ts';

describe('ReportLines', () => {
  it('joins lines split across chunks', () => {
    const lines = new ReportLines({ maxLineChars: 100, maxTotalChars: 1000 });
    expect(lines.push('{"a":')).toEqual([]);
    expect(lines.push('1}\n{"b":2}\n{"c"')).toEqual(['{"a":1}', '{"b":2}']);
    expect(lines.push(':3}\n')).toEqual(['{"c":3}']);
  });

  it('skips a line longer than the limit whole, even when it arrives in pieces', () => {
    const lines = new ReportLines({ maxLineChars: 10, maxTotalChars: 1000 });
    expect(lines.push('x'.repeat(8))).toEqual([]);
    expect(lines.push('y'.repeat(8))).toEqual([]);
    expect(lines.push('z'.repeat(30))).toEqual([]);
    // The end of the long line is not mistaken for a line of its own.
    expect(lines.push('{"tail":1}\nshort\n')).toEqual(['short']);
  });

  it('keeps nothing more once the total budget is spent', () => {
    const lines = new ReportLines({ maxLineChars: 10, maxTotalChars: 12 });
    expect(lines.push('12345\n67890\n')).toEqual(['12345', '67890']);
    expect(lines.push('abc\n')).toEqual([]);
    expect(lines.exhausted).toBe(true);
    expect(lines.push('d\n')).toEqual([]);
  });
});
