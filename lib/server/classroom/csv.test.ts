import { describe, expect, it } from 'vitest';
import { csvDisposition, csvField } from './csv.ts';

describe('progress CSV', () => {
  it('quotes every field and defuses formulas, numbers stay numbers', () => {
    expect(csvField('Kim')).toBe('"Kim"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvField(`${start}1+1`)).toBe(`"'${start}1+1"`);
    expect(csvField(-3)).toBe('"-3"');
    expect(csvField('a,b\r\nc')).toBe('"a,b\r\nc"');
  });

  it('names the file after the class: ASCII fallback plus the UTF-8 name', () => {
    expect(csvDisposition('网络 101')).toBe(
      `attachment; filename="101-progress.csv"; filename*=UTF-8''${encodeURIComponent('网络-101-progress.csv')}`,
    );
    expect(csvDisposition('..\\"\r\n')).toBe(
      `attachment; filename="class-progress.csv"; filename*=UTF-8''${encodeURIComponent('class-progress.csv')}`,
    );
  });
});
