/**
 * The one error the data layer raises when the database itself cannot serve (unreachable,
 * refused, disk full or read-only, locked for too long), as opposed to a query that is wrong.
 * Callers show a short "the database is unavailable" notice and log `message`, which names the
 * file or host so whoever runs the server knows where to look.
 */

/** Why the database cannot serve. */
export type UnavailableReason =
  'unreachable' | 'refused' | 'read-only' | 'disk-full' | 'locked' | 'corrupt' | 'cannot-open';

const EXPLAIN: Record<UnavailableReason, string> = {
  unreachable: 'cannot be reached',
  refused: 'refused the connection (check the user, password and database name)',
  'read-only': 'is read-only (check the permissions of the data directory and the disk)',
  'disk-full': 'is on a full disk',
  locked: 'stayed locked by another process for too long',
  corrupt: 'is damaged (restore it from a backup)',
  'cannot-open': 'cannot be opened (check that the data directory exists and is writable)',
};

/** The database at `where` (a file path or host:port/name) cannot serve; see `reason`. */
export class DatabaseUnavailable extends Error {
  readonly where: string;
  readonly reason: UnavailableReason;

  constructor(where: string, reason: UnavailableReason, options?: { cause?: unknown }) {
    const detail = errorText(options?.cause);
    super(`database ${where} ${EXPLAIN[reason]}${detail ? `: ${detail}` : ''}`, options);
    this.name = 'DatabaseUnavailable';
    this.where = where;
    this.reason = reason;
  }
}

function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorText(error.errors[0]);
  if (error instanceof Error) return error.message;
  return error === undefined ? '' : String(error);
}

interface ErrorFields {
  code?: unknown;
  errcode?: unknown;
  message?: unknown;
}

const FS_CODES: Record<string, UnavailableReason> = {
  EACCES: 'read-only',
  EPERM: 'read-only',
  EROFS: 'read-only',
  ENOSPC: 'disk-full',
  EDQUOT: 'disk-full',
  ENOTDIR: 'cannot-open',
  ENOENT: 'cannot-open',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** SQLite's primary result codes (the low byte of an extended code). */
const SQLITE_CODES: Record<number, UnavailableReason> = {
  5: 'locked', // SQLITE_BUSY: busy_timeout ran out
  6: 'locked', // SQLITE_LOCKED
  8: 'read-only', // SQLITE_READONLY
  10: 'read-only', // SQLITE_IOERR: usually a file the process may not write
  11: 'corrupt', // SQLITE_CORRUPT
  13: 'disk-full', // SQLITE_FULL
  14: 'cannot-open', // SQLITE_CANTOPEN
  26: 'corrupt', // SQLITE_NOTADB
};

/** PostgreSQL SQLSTATEs that mean the server cannot serve, not that the query is wrong. */
const POSTGRES_STATES: Record<string, UnavailableReason> = {
  '08000': 'unreachable',
  '08001': 'unreachable',
  '08003': 'unreachable',
  '08006': 'unreachable',
  '57P01': 'unreachable', // admin shutdown
  '57P02': 'unreachable', // crash shutdown
  '57P03': 'unreachable', // cannot connect now (starting up, recovering)
  '53100': 'disk-full',
  '53300': 'refused', // too many connections
  '25006': 'read-only', // a hot standby
  '28000': 'refused',
  '28P01': 'refused',
  '3D000': 'refused', // no such database
  '55P03': 'locked', // lock_not_available
};

/** The reason `error` means an unavailable database, or undefined for an ordinary query error. */
export function unavailableReason(error: unknown): UnavailableReason | undefined {
  if (error instanceof AggregateError) return unavailableReason(error.errors[0]);
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errcode, message } = error as ErrorFields;
  if (typeof errcode === 'number' && code === 'ERR_SQLITE_ERROR')
    return SQLITE_CODES[errcode & 0xff];
  if (typeof code === 'string') {
    if (code in FS_CODES) return FS_CODES[code];
    if (NETWORK_CODES.has(code)) return 'unreachable';
    if (code in POSTGRES_STATES) return POSTGRES_STATES[code];
  }
  // node-postgres reports a lost or timed-out connection only in words.
  if (
    typeof message === 'string' &&
    /connection terminated|timeout exceeded when trying to connect|Connection terminated/i.test(
      message,
    )
  )
    return 'unreachable';
  return undefined;
}

/** `error` as a DatabaseUnavailable naming `where` when it means one, else `error` unchanged. */
export function asUnavailable(error: unknown, where: string): unknown {
  if (error instanceof DatabaseUnavailable) return error;
  const reason = unavailableReason(error);
  return reason ? new DatabaseUnavailable(where, reason, { cause: error }) : error;
}

/** Whether `error` is a unique or primary key violation, on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errcode } = error as ErrorFields;
  if (code === '23505') return true; // PostgreSQL unique_violation
  // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE
  return code === 'ERR_SQLITE_ERROR' && (errcode === 1555 || errcode === 2067);
}
