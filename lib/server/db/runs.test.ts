import { describe, expect, it } from 'vitest';
import { tailBytes } from './runs.ts';
import { describePostgresUrl } from './postgres.ts';

describe('tailBytes', () => {
  it('keeps the last bytes without splitting a character', () => {
    expect(tailBytes('hello', 10)).toBe('hello');
    expect(tailBytes('hello', 3)).toBe('llo');
    expect(tailBytes('aé€', 4)).toBe('€');
    expect(tailBytes('aé€', 5)).toBe('é€');
  });
});

describe('describePostgresUrl', () => {
  it('names host, port and database, never the password', () => {
    expect(describePostgresUrl('postgres://u:pw@db.example:6543/hs')).toBe('db.example:6543/hs');
    expect(describePostgresUrl('postgresql://u@localhost/hs')).toBe('localhost:5432/hs');
  });
});
