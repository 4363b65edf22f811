import { describe, expect, it } from 'vitest';
import {
  DatabaseUnavailable,
  asUnavailable,
  isUniqueViolation,
  unavailableReason,
} from './errors.ts';

const sqliteError = (errcode: number) =>
  Object.assign(new Error('sqlite'), { code: 'ERR_SQLITE_ERROR', errcode });
const pgError = (code: string) => Object.assign(new Error('pg'), { code });

describe('DatabaseUnavailable mapping', () => {
  it('maps SQLite result codes, extended ones by their primary code', () => {
    expect(unavailableReason(sqliteError(5))).toBe('locked');
    expect(unavailableReason(sqliteError(8 | (1 << 8)))).toBe('read-only');
    expect(unavailableReason(sqliteError(13))).toBe('disk-full');
    expect(unavailableReason(sqliteError(14))).toBe('cannot-open');
    expect(unavailableReason(sqliteError(19))).toBeUndefined(); // a constraint: the query's fault
  });

  it('maps connection failures and PostgreSQL states that mean the server cannot serve', () => {
    expect(unavailableReason(pgError('ECONNREFUSED'))).toBe('unreachable');
    expect(unavailableReason(new AggregateError([pgError('ECONNREFUSED')]))).toBe('unreachable');
    expect(unavailableReason(new Error('timeout exceeded when trying to connect'))).toBe(
      'unreachable',
    );
    expect(unavailableReason(pgError('28P01'))).toBe('refused');
    expect(unavailableReason(pgError('53100'))).toBe('disk-full');
    expect(unavailableReason(pgError('23505'))).toBeUndefined();
    expect(unavailableReason(pgError('ENOSPC'))).toBe('disk-full');
  });

  it('names where the database is and keeps the cause', () => {
    const cause = sqliteError(8);
    const error = asUnavailable(cause, '/srv/data/handshake.sqlite') as DatabaseUnavailable;
    expect(error).toBeInstanceOf(DatabaseUnavailable);
    expect(error.message).toBe(
      'database /srv/data/handshake.sqlite is read-only (check the permissions of the data directory and the disk): sqlite',
    );
    expect(error.cause).toBe(cause);
    const plain = new Error('syntax error');
    expect(asUnavailable(plain, 'x')).toBe(plain);
  });

  it('recognises unique violations on both engines', () => {
    expect(isUniqueViolation(pgError('23505'))).toBe(true);
    expect(isUniqueViolation(sqliteError(2067))).toBe(true);
    expect(isUniqueViolation(sqliteError(1555))).toBe(true);
    expect(isUniqueViolation(sqliteError(787))).toBe(false); // a foreign key
  });
});
